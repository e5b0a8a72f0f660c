package io.secrettrail.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailGeneratorTest {
    private static final Instant END = Instant.parse("2026-11-20T10:17:42.500Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LAYOUT =
            Pattern.compile("AWSLogs/(\\d{12})/CloudTrail/([a-z]{2}-[a-z]+-\\d)/(\\d{4})/(\\d{2})/(\\d{2})/"
                    + "\\1_CloudTrail_\\2_\\3\\4\\5T\\d{2}[0-5][05]Z_[A-Za-z0-9]{16}\\.json\\.gz");

    @TempDir
    static Path shared;

    static Run run;

    /** One generated trail, read back from the files. */
    record Run(
            GenerationSummary summary,
            JsonNode truth,
            byte[] truthBytes,
            List<String> files,
            List<JsonNode> records,
            List<String> rawFiles) {}

    @BeforeAll
    static void generateOnce() throws IOException {
        run = generate(shared.resolve("a"), 7L);
    }

    static GeneratorConfig small(Path out, long seed) {
        return new GeneratorConfig(out, 2, 20, 300, 0.5, seed, END);
    }

    static Run generate(Path out, long seed) throws IOException {
        return read(new TrailGenerator(small(out, seed)).generate());
    }

    static Run read(GenerationSummary summary) throws IOException {
        List<String> files = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        Path trail = summary.trailDir();
        try (Stream<Path> walk = Files.walk(trail)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(trail.relativize(p).toString().replace('\\', '/'));
                try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    raw.add(text);
                    JsonNode root = JSON.readTree(text);
                    assertThat(root.get("Records").isArray()).as(p.toString()).isTrue();
                    root.get("Records").forEach(records::add);
                }
            }
        }
        byte[] truthBytes = Files.readAllBytes(summary.truthFile());
        return new Run(summary, JSON.readTree(truthBytes), truthBytes, files, records, raw);
    }

    @Test
    void sameSeedGivesIdenticalOutputAndOtherSeedDiffers(@TempDir Path dir) throws IOException {
        Run again = generate(dir.resolve("b"), 7L);
        assertThat(again.truthBytes()).isEqualTo(run.truthBytes());
        assertThat(again.files()).isEqualTo(run.files());
        assertThat(again.rawFiles()).isEqualTo(run.rawFiles());
        Run other = generate(dir.resolve("c"), 8L);
        assertThat(other.truthBytes()).isNotEqualTo(run.truthBytes());
        assertThat(other.files()).isNotEqualTo(run.files());
    }

    @Test
    void filesFollowTheS3LayoutAndCountsMatchTheTruth() {
        assertThat(run.files()).isNotEmpty().allSatisfy(f -> assertThat(f).matches(LAYOUT));
        JsonNode ingest = run.truth().get("ingest");
        assertThat(run.summary().files()).isEqualTo(run.files().size());
        assertThat(ingest.get("files").asInt()).isEqualTo(run.files().size());
        assertThat((long) run.records().size())
                .isEqualTo(run.summary().records())
                .isEqualTo(ingest.get("records").asLong());

        long smRecords = 0;
        Set<String> smIds = new HashSet<>();
        Set<String> allIds = new HashSet<>();
        for (JsonNode r : run.records()) {
            allIds.add(r.get("eventID").asText());
            if (r.get("eventSource").asText().equals("secretsmanager.amazonaws.com")) {
                smRecords++;
                smIds.add(r.get("eventID").asText());
            }
        }
        assertThat((long) smIds.size())
                .isEqualTo(ingest.get("secretsManagerEvents").asLong())
                .isEqualTo(run.summary().secretsManagerEvents());
        assertThat(smRecords - smIds.size())
                .isEqualTo(ingest.get("duplicates").asLong())
                .isEqualTo(run.summary().duplicates())
                .isPositive();
        // Only Secrets Manager records are redelivered.
        assertThat((long) allIds.size()).isEqualTo(run.records().size() - smRecords + smIds.size());
        long noise = allIds.size() - smIds.size();
        assertThat((double) noise / allIds.size()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.05));
        assertThat(ingest.get("rejected").asInt()).isZero();
    }

    @Test
    void hourlyFilesHoldTheSameEventsInAFileAnHourPerAccountAndRegion(@TempDir Path dir) throws IOException {
        GeneratorConfig hourly = GeneratorConfig.builder()
                .outputDir(dir.resolve("h"))
                .days(2)
                .secrets(20)
                .eventsPerDay(300)
                .noiseRatio(0.5)
                .seed(7L)
                .end(END)
                .fileMinutes(60)
                .build();
        Run h = read(new TrailGenerator(hourly).generate());
        assertThat(h.files()).allSatisfy(f -> assertThat(f).matches(LAYOUT));
        // 2 days ending at 10:17:42 touch 49 hours; at most one file per hour and account-region
        assertThat(h.files().size())
                .isLessThanOrEqualTo(49 * 4)
                .isLessThan(run.files().size() / 5);
        Map<String, Long> hourFiles = new HashMap<>();
        for (String f : h.files()) {
            hourFiles.merge(f.replaceAll("\\d{2}Z_[A-Za-z0-9]{16}\\.json\\.gz$", ""), 1L, Long::sum);
        }
        assertThat(hourFiles.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
        // the events are those of the 5-minute files: only where their copies land differs
        assertThat(ids(h.records())).isEqualTo(ids(run.records()));
        assertThat(h.truth().get("secrets")).isEqualTo(run.truth().get("secrets"));
        assertThat(h.truth().get("ingest").get("secretsManagerEvents"))
                .isEqualTo(run.truth().get("ingest").get("secretsManagerEvents"));
        assertThat(h.truth().get("ingest").get("files").asInt())
                .isEqualTo(h.files().size());
        assertThat(h.summary().duplicates()).isPositive();
    }

    private static Set<String> ids(List<JsonNode> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.get("eventID").asText()));
        return out;
    }

    @Test
    void duplicatesLandInAnotherFile() {
        Map<String, Integer> fileOf = new HashMap<>();
        for (int i = 0; i < run.rawFiles().size(); i++) {
            Set<String> seenHere = new HashSet<>();
            for (JsonNode r : readRecords(run.rawFiles().get(i))) {
                String id = r.get("eventID").asText();
                assertThat(seenHere.add(id)).as("duplicate within one file").isTrue();
                Integer before = fileOf.putIfAbsent(id, i);
                assertThat(before == null || before != i).isTrue();
            }
        }
    }

    private static List<JsonNode> readRecords(String text) {
        try {
            List<JsonNode> list = new ArrayList<>();
            JSON.readTree(text).get("Records").forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void modelCoversTheTrickyCases() {
        Set<String> chars = new HashSet<>();
        boolean unresolved = false;
        boolean replica = false;
        boolean createdAndDeleted = false;
        for (JsonNode s : run.truth().get("secrets")) {
            String name = s.get("name").asText();
            for (String c : List.of("/", "+", "=", ".", "@", "-")) {
                if (name.contains(c)) {
                    chars.add(c);
                }
            }
            unresolved |= !s.get("resolved").asBoolean();
            replica |= !s.get("primaryRegion").asText().equals(s.get("region").asText());
            createdAndDeleted |= s.get("rotationEnabled").isNull()
                    && !s.get("createdDate").isNull()
                    && !s.get("deletedDate").isNull();
        }
        assertThat(chars).containsExactlyInAnyOrder("/", "+", "=", ".", "@", "-");
        assertThat(unresolved).isTrue();
        assertThat(replica).isTrue();
        assertThat(createdAndDeleted).isTrue();
        String canary = run.truth().get("canary").asText();
        assertThat(canary).isEqualTo("st-canary-7");
        assertThat(run.rawFiles()).anyMatch(f -> f.contains(canary));
        assertThat(run.rawFiles()).anyMatch(f -> f.contains("\\\"ua\\\")</script>"));
        assertThat(run.records()).anyMatch(r -> r.path("eventType").asText().equals("AwsServiceEvent"));
    }

    @Test
    void everyEventIsBeforeEnd() {
        for (JsonNode r : run.records()) {
            Instant t = Instant.parse(r.get("eventTime").asText());
            assertThat(t).isBefore(END).isAfterOrEqualTo(END.minusSeconds(2 * 86_400L));
        }
    }

    @Test
    void inventoryListsEveryInventorySecretWithoutValues() throws IOException {
        Set<String> truthArns = new HashSet<>();
        run.truth().get("secrets").forEach(s -> truthArns.add(s.get("arn").asText()));
        int listed = 0;
        for (String file : List.of(
                "111111111111-us-east-1",
                "111111111111-eu-west-1",
                "222222222222-us-east-1",
                "222222222222-eu-west-1")) {
            Path p = run.summary().inventoryDir().resolve(file + ".json");
            String text = Files.readString(p);
            assertThat(text)
                    .doesNotContain("SecretString")
                    .doesNotContain(run.truth().get("canary").asText());
            for (JsonNode s : JSON.readTree(text).get("SecretList")) {
                listed++;
                assertThat(truthArns).contains(s.get("ARN").asText());
                JsonNode created = s.get("CreatedDate");
                if (file.startsWith("111")) {
                    assertThat(created.isNumber()).isTrue();
                } else {
                    assertThat(created.asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00");
                }
            }
        }
        assertThat(listed).isGreaterThanOrEqualTo(20);
    }

    /**
     * Re-derives per-secret call counts from the files alone, resolving names the way an auditor
     * must (inventory, then CreateSecret/DeleteSecret), and compares with the truth.
     */
    @Test
    void truthCallsCanBeRederivedFromTheFiles() throws IOException {
        Map<String, String> byName = new HashMap<>(); // account|region|name -> full ARN
        Set<String> confirmed = new HashSet<>(); // issue 15: listed, or shown to exist by an event
        try (Stream<Path> inv = Files.list(run.summary().inventoryDir())) {
            for (Path p : inv.toList()) {
                for (JsonNode s : JSON.readTree(p.toFile()).get("SecretList")) {
                    String arn = s.get("ARN").asText();
                    String[] parts = arn.split(":", 7);
                    byName.put(parts[4] + "|" + parts[3] + "|" + s.get("Name").asText(), arn);
                    confirmed.add(arn);
                }
            }
        }
        Map<String, JsonNode> unique = new HashMap<>();
        for (JsonNode r : run.records()) {
            if (r.get("eventSource").asText().equals("secretsmanager.amazonaws.com")) {
                unique.putIfAbsent(r.get("eventID").asText(), r);
            }
        }
        for (JsonNode r : unique.values()) {
            String arn = r.path("responseElements")
                    .path("arn")
                    .asText(r.path("responseElements").path("aRN").asText());
            String name = r.path("requestParameters")
                    .path("name")
                    .asText(r.path("responseElements").path("name").asText());
            if (!arn.isEmpty() && !name.isEmpty()) {
                String[] parts = arn.split(":", 7);
                byName.put(parts[4] + "|" + parts[3] + "|" + name, arn);
            }
        }
        Map<String, Long> calls = new HashMap<>();
        Map<JsonNode, List<String>> named = new HashMap<>();
        for (JsonNode r : unique.values()) {
            List<String> ids = new ArrayList<>();
            JsonNode req = r.path("requestParameters");
            if (req.has("secretId")) {
                ids.add(req.get("secretId").asText());
            }
            req.path("secretIdList").forEach(id -> ids.add(id.asText()));
            if (r.get("eventName").asText().equals("CreateSecret")) {
                ids.add(req.get("name").asText());
            }
            if (r.path("additionalEventData").has("SecretId")) {
                ids.add(r.get("additionalEventData").get("SecretId").asText());
            }
            String account = r.get("recipientAccountId").asText();
            String region = r.get("awsRegion").asText();
            List<String> keys = new ArrayList<>();
            for (String id : ids) {
                String key = resolve(id, account, region, byName);
                keys.add(key);
                calls.merge(key, 1L, Long::sum);
                if (!r.get("eventType").asText().equals("AwsApiCall")
                        || !r.has("errorCode") && !r.get("eventName").asText().equals("BatchGetSecretValue")) {
                    confirmed.add(key);
                }
            }
            named.put(r, keys);
        }
        // unattributed: API calls naming no secret, or only names never confirmed to exist
        long unattributed = 0;
        for (Map.Entry<JsonNode, List<String>> e : named.entrySet()) {
            if (e.getKey().get("eventType").asText().equals("AwsApiCall")
                    && e.getValue().stream().noneMatch(confirmed::contains)) {
                unattributed++;
            }
        }
        Map<String, Long> expected = new HashMap<>();
        for (JsonNode s : run.truth().get("secrets")) {
            if (s.get("calls").asLong() > 0) {
                expected.put(s.get("arn").asText(), s.get("calls").asLong());
            }
        }
        assertThat(calls).isEqualTo(expected);
        assertThat(run.truth().get("unattributedCalls").asLong()).isEqualTo(unattributed);
    }

    private static String resolve(String id, String account, String region, Map<String, String> byName) {
        if (!id.startsWith("arn:")) {
            return byName.getOrDefault(
                    account + "|" + region + "|" + id,
                    "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + id);
        }
        String[] parts = id.split(":", 7);
        String known = byName.get(parts[4] + "|" + parts[3] + "|" + parts[6]);
        return known != null ? known : id;
    }

    @Test
    void configValidationNamesTheField() {
        Path out = Path.of("x");
        assertThatThrownBy(() -> new GeneratorConfig(out, 0, 1, 1, 0.1, 1, END)).hasMessageContaining("days");
        assertThatThrownBy(() -> new GeneratorConfig(out, 1, 0, 1, 0.1, 1, END)).hasMessageContaining("secrets");
        assertThatThrownBy(() -> new GeneratorConfig(out, 1, 1, -1, 0.1, 1, END))
                .hasMessageContaining("eventsPerDay");
        assertThatThrownBy(() -> new GeneratorConfig(out, 1, 1, 1, 1.0, 1, END)).hasMessageContaining("noiseRatio");
        assertThatThrownBy(() -> new GeneratorConfig(out, 1, 1, 1, 0.1, 1, null))
                .hasMessageContaining("end");
        GeneratorConfig d = GeneratorConfig.defaults(out, END);
        assertThat(d).isEqualTo(new GeneratorConfig(out, 7, 60, 2000, 0.5, 42L, END));
    }

    @Test
    void tinyAndEmptyRunsWork(@TempDir Path dir) throws IOException {
        GenerationSummary none =
                new TrailGenerator(new GeneratorConfig(dir.resolve("n"), 1, 1, 0, 0.0, 3, END)).generate();
        assertThat(none.files()).isZero();
        assertThat(JSON.readTree(none.truthFile().toFile()).get("secrets")).hasSize(1);
        GenerationSummary tiny =
                new TrailGenerator(new GeneratorConfig(dir.resolve("t"), 1, 3, 50, 0.9, 3, END)).generate();
        assertThat(tiny.records()).isPositive();
        assertThatThrownBy(() ->
                        new TrailGenerator(new GeneratorConfig(dir.resolve("t"), 1, 3, 50, 0.9, 3, END)).generate())
                .isInstanceOf(IOException.class);
    }
}
