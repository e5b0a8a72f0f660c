package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.KafkaSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus ({@code src/test/resources/hostile/cases.json}): what an attacker can put in
 * front of SecretTrail, case by case, and what must happen. Each trail case is written as files
 * under a directory of its own and run through {@code analyze} on a real broker; the report's
 * counts, the dead letters that name the case's files and everything printed are checked against
 * the case's {@code expect}. The cases whose expectations one case's files can be told apart by
 * (see {@link #together(JsonNode)}) share one analyze over all their directories; the others run
 * alone. The README's "Hostile corpus" table lists the same cases.
 *
 * <p>A case's records are built from a real GetSecretValue record (Stratus Red Team's detonation
 * log, see core's test resources and their SOURCE note): {@code {}} is that record with an eventID
 * of its own; {@code set}/{@code remove} change fields by JSON pointer; {@code replace} edits the
 * serialised text (for malformed JSON); {@code raw} is the record's text outright; {@code repeat}
 * makes that many copies with ids of their own, of one record or of a {@code group} of them;
 * {@code pad} adds many small fields; a file's {@code content} is its text outright and
 * {@code generate} ({@code whitespace:N}, {@code bom}, {@code latin1}, {@code truncate:F}) shapes its bytes.
 *
 * <p>An http case ({@code "kind": "http"}) is one raw request (forged Host and Origin headers go over
 * a socket, since HTTP clients will not send them) to a dashboard over the {@code webTrail} trail,
 * checked by status, body text and headers.
 */
class HostileCorpusIT {
    static final Path STRATUS =
            Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = HostileCorpusIT.class.getResourceAsStream("/hostile/cases.json")) {
            for (JsonNode c : JSON.readTree(in).get("cases")) {
                out.add(Arguments.of(c.get("id").asText(), c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostile_case_has_its_expected_outcome(String id, JsonNode c) throws Exception {
        switch (c.path("kind").asText("trail")) {
            case "trail" -> trailCase(id, c);
            case "http" -> httpCase(id, c);
            case "receiver" -> receiverCase(id, c);
            default -> throw new IllegalArgumentException(id + ": unknown kind " + c.get("kind"));
        }
    }

    // ---- trail cases: files -> analyze -> report, dead letters, output

    private void trailCase(String id, JsonNode c) throws Exception {
        if (together(c)) {
            togetherCase(id, c);
        } else {
            aloneCase(id, c);
        }
    }

    /** A case in an analyze of its own: its exit code, report, dead letters and what was printed. */
    private void aloneCase(String id, JsonNode c) throws Exception {
        Path trail = writeTrail(id, c);
        Path report =
                Files.createDirectories(Path.of("target", "hostile-reports")).resolve(id + ".json");
        Files.deleteIfExists(report);
        Run run = analyze(id, c.path("asOf").asText("2026-11-21T00:00:00Z"), List.of(trail), report, c.path("args"));
        int exit = run.exit();
        String stderr = run.stderr();
        JsonNode expect = c.get("expect");
        assertThat(exit)
                .as(id + ": exit code; stderr:\n" + stderr)
                .isEqualTo(expect.path("exit").asInt(0));
        List<String> dead = deadLetters(id);
        if (exit == 0) {
            JsonNode r = JSON.readTree(report.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            expect.path("report").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(r.at(e.getKey())).as(id + ": report " + e.getKey()).isEqualTo(e.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("sizes").fields(); it.hasNext(); ) {
                // {"/pointer": n} an array of exactly n, {"/pointer": [min, max]} of min to max entries
                Map.Entry<String, JsonNode> e = it.next();
                int size = r.at(e.getKey()).size();
                JsonNode v = e.getValue();
                assertThat(size)
                        .as(id + ": size of " + e.getKey())
                        .isBetween(
                                v.isArray() ? v.get(0).asInt() : v.asInt(),
                                v.isArray() ? v.get(1).asInt() : v.asInt());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            expect.path("alerts").fields();
                    it.hasNext(); ) {
                // {"rule": n}: n alarms of that rule
                Map.Entry<String, JsonNode> e = it.next();
                long n = 0;
                for (JsonNode a : r.path("alerts")) {
                    n += a.path("rule").asText().equals(e.getKey()) ? 1 : 0;
                }
                assertThat(n)
                        .as(id + ": alerts of " + e.getKey())
                        .isEqualTo(e.getValue().asLong());
            }
        }
        assertDeadLettersAndPrinted(id, expect, dead, stderr);
    }

    // ---- trail cases run together: one analyze over every such case's directory

    /**
     * Whether a case runs in the one analyze shared by such cases: the default arguments and asOf, exit 0,
     * records with ids of their own, and of the report only the counts one case's files can be told apart
     * by: its Secrets Manager events (the stored events from its files) and its rejections (each one is a
     * dead letter naming its file, and a case's expected rejections are its expected dead letters). Every
     * other case (limits, settings, duplicates, times, names and sizes in the report) runs alone.
     */
    static boolean together(JsonNode c) {
        JsonNode expect = c.get("expect");
        java.util.Set<String> counts = new java.util.HashSet<>();
        expect.path("report").fieldNames().forEachRemaining(counts::add);
        counts.removeAll(List.of("/ingest/secretsManagerEvents", "/ingest/rejected"));
        return c.path("kind").asText("trail").equals("trail")
                && !c.has("args")
                && !c.has("asOf")
                && expect.path("exit").asInt(0) == 0
                && counts.isEmpty()
                && !expect.has("sizes")
                && !expect.has("alerts")
                && !c.toString().replace("${eventID}", "").contains("eventID")
                && expect.path("report").path("/ingest/rejected").asLong(deadLetterCount(expect))
                        == deadLetterCount(expect);
    }

    private static long deadLetterCount(JsonNode expect) {
        return expect.has("deadLetterCount")
                ? expect.get("deadLetterCount").asLong()
                : expect.path("deadLetters").size();
    }

    /** The shared run: its exit, what it printed, and each case's stored Secrets Manager events. */
    record Together(Run run, Map<String, Long> events) {}

    static Together together;

    private static Together together() throws Exception {
        if (together != null) {
            return together;
        }
        List<String> ids = new ArrayList<>();
        List<Path> trails = new ArrayList<>();
        long rejected = 0;
        for (Arguments a : cases().toList()) {
            String id = (String) a.get()[0];
            JsonNode c = (JsonNode) a.get()[1];
            if (together(c)) {
                ids.add(id);
                trails.add(writeTrail(id, c));
                rejected += deadLetterCount(c.get("expect"));
            }
        }
        Path report =
                Files.createDirectories(Path.of("target", "hostile-reports")).resolve("together.json");
        Files.deleteIfExists(report);
        Run run = analyze("together", "2026-11-21T00:00:00Z", trails, report, JSON.createArrayNode());
        assertThat(run.exit())
                .as("the cases run together: exit code; stderr:\n" + run.stderr())
                .isZero();
        JsonNode r = JSON.readTree(report.toFile());
        Map<String, Long> events = new java.util.HashMap<>();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:"
                        + dir.resolve("work-together")
                                .resolve("secrettrail.duckdb")
                                .toAbsolutePath());
                java.sql.PreparedStatement ps = db.prepareStatement(
                        "SELECT count(*) FROM events WHERE event_time <= TIMESTAMP '2026-11-21 00:00:00'"
                                + " AND starts_with(source_file, ?)")) {
            // what the report counts as Secrets Manager events (up to its asOf), of this case's files
            for (String id : ids) {
                ps.setString(1, id + "/");
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events.put(id, rs.getLong(1));
                }
            }
        }
        // the report's counts are the cases' counts added up: no event or rejection belongs to no case
        assertThat(events.values().stream().mapToLong(Long::longValue).sum())
                .as("the cases run together: their events")
                .isEqualTo(r.at("/ingest/secretsManagerEvents").asLong());
        assertThat(r.at("/ingest/rejected").asLong())
                .as("the cases run together: their rejections")
                .isEqualTo(rejected);
        together = new Together(run, events);
        return together;
    }

    private void togetherCase(String id, JsonNode c) throws Exception {
        Together t = together();
        JsonNode expect = c.get("expect");
        JsonNode events = expect.path("report").path("/ingest/secretsManagerEvents");
        if (!events.isMissingNode()) {
            assertThat(t.events().get(id))
                    .as(id + ": report /ingest/secretsManagerEvents")
                    .isEqualTo(events.asLong());
        }
        // a case's rejections are its dead letters (see together(JsonNode)), which are checked here
        assertDeadLettersAndPrinted(id, expect, deadLetters(id), t.run().stderr());
    }

    // ---- running analyze

    /** Exit code and everything printed of one analyze. */
    record Run(int exit, String stderr) {}

    private static Run analyze(String id, String asOf, List<Path> trails, Path report, JsonNode more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work-" + id).toString(),
                "--as-of",
                asOf,
                "--out",
                report.toString()));
        for (Path t : trails) {
            args.add("--trail");
            args.add(t.toString());
        }
        more.forEach(a -> args.add(a.asText()));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream err = System.err;
        int exit;
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        String stderr = printed.toString(StandardCharsets.UTF_8);
        err.print(stderr);
        return new Run(exit, stderr);
    }

    /** Writes a case's files under a directory named after it (dead letters name "id/file"). */
    private static Path writeTrail(String id, JsonNode c) throws IOException {
        Path trail = dir.resolve("trails").resolve(id);
        Files.createDirectories(trail);
        JsonNode base = JSON.readTree(baseRecord());
        JsonNode files =
                c.has("files") ? c.get("files") : JSON.createArrayNode().add(c);
        int fileNo = 0;
        for (JsonNode f : files) {
            fileNo++;
            String name = f.path("file").asText("case.ndjson");
            if (f.has("content")) {
                // the file's text outright; ${record} is the base record with an id of its own
                String record = records(
                                id + "/" + fileNo, base, JSON.createArrayNode().add(JSON.createObjectNode()))
                        .get(0);
                Files.writeString(
                        trail.resolve(name),
                        f.get("content").asText().replace("${record}", record),
                        StandardCharsets.UTF_8);
                continue;
            }
            writeFile(
                    trail.resolve(name),
                    records(id + "/" + fileNo, base, f.get("records")),
                    f.path("generate").asText(""));
        }
        return trail;
    }

    /** The case's dead letters (they name its files) and what must never be printed. */
    private static void assertDeadLettersAndPrinted(String id, JsonNode expect, List<String> dead, String stderr) {
        if (expect.has("deadLetterCount")) {
            // Too many to list: how many, each of what form, no record twice.
            assertThat(dead)
                    .as(id + ": dead letters")
                    .hasSize(expect.get("deadLetterCount").asInt())
                    .allSatisfy(d ->
                            assertThat(d).matches(expect.get("deadLetterEach").asText()))
                    .doesNotHaveDuplicates();
        } else {
            assertThat(dead)
                    .as(id + ": dead letters")
                    .hasSize(expect.path("deadLetters").size());
        }
        int i = 0;
        for (JsonNode d : expect.path("deadLetters")) {
            // file#record#field#error, in the order ingest wrote them
            assertThat(dead.get(i++))
                    .as(id + ": dead letter")
                    .startsWith(d.get(0).asText())
                    .contains(d.get(1).asText());
        }
        for (JsonNode s : expect.path("neverPrinted")) {
            assertThat(stderr).as(id + ": printed").doesNotContain(s.asText());
            assertThat(String.join("\n", dead)).as(id + ": dead-letter headers").doesNotContain(s.asText());
        }
    }

    private static String baseRecord() throws IOException {
        return Files.readAllLines(STRATUS, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"GetSecretValue\""))
                .findFirst()
                .orElseThrow();
    }

    /** Each record spec as the text that goes into the file. */
    private static List<String> records(String seed, JsonNode base, JsonNode specs) throws IOException {
        List<String> out = new ArrayList<>();
        if (specs == null) {
            return out;
        }
        specs = ungroup(specs);
        int n = 0;
        for (JsonNode spec : specs) {
            for (int k = 0; k < spec.path("repeat").asInt(1); k++) {
                String eventId = UUID.nameUUIDFromBytes((seed + "#" + n++).getBytes(StandardCharsets.UTF_8))
                        .toString();
                if (spec.has("raw")) {
                    out.add(spec.get("raw").asText().replace("${eventID}", eventId));
                    continue;
                }
                ObjectNode r = base.deepCopy();
                r.put("eventID", spec.path("eventID").asText(eventId));
                for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("set").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    set(
                            r,
                            e.getKey(),
                            e.getValue().isTextual()
                                    ? JSON.getNodeFactory()
                                            .textNode(expand(e.getValue().asText(), k))
                                    : e.getValue());
                }
                for (JsonNode p : spec.path("remove")) {
                    JsonPointer ptr = JsonPointer.compile(p.asText());
                    ((ObjectNode) r.at(ptr.head())).remove(ptr.last().getMatchingProperty());
                }
                if (spec.has("pad")) {
                    // {"at": pointer, "fields": n, "value": v}: n small fields k0..k(n-1) added to the object there
                    JsonNode pad = spec.get("pad");
                    ObjectNode at = (ObjectNode) r.at(pad.get("at").asText());
                    for (int i = 0; i < pad.get("fields").asInt(); i++) {
                        at.put("k" + i, expand(pad.get("value").asText(), k));
                    }
                }
                String text = JSON.writeValueAsString(r);
                for (JsonNode rep : spec.path("replace")) {
                    String from = rep.get(0).asText();
                    assertThat(text).as("replace target in " + seed).contains(from);
                    text = text.replace(from, expand(rep.get(1).asText(), k));
                }
                out.add(text);
            }
        }
        return out;
    }

    /** A {@code group} spec as its records, in order, {@code repeat} times: bad records interleaved with good ones. */
    private static JsonNode ungroup(JsonNode specs) {
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (JsonNode spec : specs) {
            for (int k = 0; k < (spec.has("group") ? spec.path("repeat").asInt(1) : 1); k++) {
                if (spec.has("group")) {
                    spec.get("group").forEach(out::add);
                } else {
                    out.add(spec);
                }
            }
        }
        return out;
    }

    /** {@code ${k}} is the copy's number; {@code ${x*N}} is N times the character x. */
    static String expand(String s, int k) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\$\\{(.)\\*(\\d+)}").matcher(s.replace("${k}", String.valueOf(k)));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    out, java.util.regex.Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
        }
        return m.appendTail(out).toString();
    }

    private static void set(ObjectNode root, String pointer, JsonNode value) {
        JsonPointer ptr = JsonPointer.compile(pointer);
        ObjectNode parent = root;
        for (JsonPointer p = ptr; p.tail() != null && !p.tail().matches(); p = p.tail()) {
            String field = p.getMatchingProperty();
            JsonNode child = parent.get(field);
            parent = child instanceof ObjectNode o ? o : parent.putObject(field);
        }
        parent.set(ptr.last().getMatchingProperty(), value);
    }

    private static void writeFile(Path f, List<String> records, String generate) throws IOException {
        Files.createDirectories(f.getParent());
        String name = f.getFileName().toString();
        boolean gzip = name.endsWith(".gz");
        boolean ndjson = name.contains(".ndjson");
        try (OutputStream raw = Files.newOutputStream(f);
                OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
            if (generate.startsWith("truncate:")) {
                // the file's gzip bytes cut at the given fraction: a download that broke off
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                try (OutputStream z = new GZIPOutputStream(whole)) {
                    z.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
                }
                byte[] b = whole.toByteArray();
                raw.write(b, 0, (int) (b.length * Double.parseDouble(generate.substring("truncate:".length()))));
                return;
            }
            String sep = ndjson ? "\n" : ",";
            if (generate.startsWith("whitespace:") && !records.isEmpty()) {
                // that many spaces after the first record, streamed: a file that is mostly blank
                out.write((ndjson ? records.get(0) + "\n" : "{\"Records\":[" + records.get(0) + sep)
                        .getBytes(StandardCharsets.UTF_8));
                byte[] spaces = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
                for (long left = Long.parseLong(generate.substring("whitespace:".length()));
                        left > 0;
                        left -= spaces.length) {
                    out.write(spaces, 0, (int) Math.min(left, spaces.length));
                }
                List<String> rest = records.subList(1, records.size());
                out.write((ndjson ? String.join(sep, rest) + "\n" : String.join(sep, rest) + "]}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String text =
                    ndjson ? String.join(sep, records) + "\n" : "{\"Records\":[" + String.join(sep, records) + "]}";
            if (generate.equals("bom")) {
                text = "\uFEFF" + text;
            }
            if (generate.startsWith("latin1")) {
                out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Dead letters whose source names a file of this case: file#record#field#error. */
    private static List<String> deadLetters(String id) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> d : allDeadLetters()) {
            String source = header(d, "secrettrail.source");
            if (source != null && source.startsWith(id + "/")) {
                out.add(source.substring(id.length() + 1) + "#" + header(d, "secrettrail.record") + "#"
                        + header(d, "secrettrail.field") + "#" + header(d, "secrettrail.error"));
            }
        }
        // by file, then record number
        out.sort(java.util.Comparator.comparing((String s) -> s.substring(0, s.indexOf('#')))
                .thenComparingLong(s -> recordNo(s.split("#", -1)[1])));
        return out;
    }

    static org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> deadLetterReader;
    static final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

    /** Every dead letter so far: one reader for the whole class, reading only what is new since the last case. */
    private static List<ConsumerRecord<byte[], byte[]>> allDeadLetters() {
        if (deadLetterReader == null) {
            java.util.Properties p = new java.util.Properties();
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrap());
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            deadLetterReader = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                    p,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            String topic = KafkaSettings.Topics.defaults().deadLetter();
            List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
            deadLetterReader
                    .partitionsFor(topic, java.time.Duration.ofSeconds(30))
                    .forEach(i -> parts.add(new org.apache.kafka.common.TopicPartition(topic, i.partition())));
            deadLetterReader.assign(parts);
            deadLetterReader.seekToBeginning(parts);
        }
        Map<org.apache.kafka.common.TopicPartition, Long> end =
                deadLetterReader.endOffsets(deadLetterReader.assignment());
        TestKafka.pollUntil(
                () -> end.entrySet().stream().allMatch(e -> deadLetterReader.position(e.getKey()) >= e.getValue()),
                () -> deadLetterReader.poll(java.time.Duration.ofMillis(200)).forEach(deadLetters::add));
        return deadLetters;
    }

    private static long recordNo(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // ---- http cases: a raw request to a dashboard over a small analysed trail

    static final String TOKEN = "correct-horse-battery-staple";
    static final String WEB_TRAIL = "web-dashboard";
    static final Map<String, io.secrettrail.web.WebServer> servers = new java.util.LinkedHashMap<>();
    static io.secrettrail.analytics.store.EventStore store;
    static io.secrettrail.analytics.live.ReportCache reports;

    /**
     * The dashboards the http cases talk to, started on the first one: "open" on 127.0.0.1 without a
     * token (public URL https://secrettrail.example.com, allowed host dash.internal), "locked" on
     * 0.0.0.0 with a token, and "throttled", locked too, for the login-guessing case alone.
     */
    private static io.secrettrail.web.WebServer server(String name) throws Exception {
        if (servers.isEmpty()) {
            JsonNode web;
            try (InputStream in = HostileCorpusIT.class.getResourceAsStream("/hostile/cases.json")) {
                web = JSON.readTree(in).get("webTrail");
            }
            new HostileCorpusIT().aloneCase(WEB_TRAIL, web);
            store = io.secrettrail.analytics.store.EventStore.open(
                    dir.resolve("work-" + WEB_TRAIL).resolve("secrettrail.duckdb"));
            java.time.Instant asOf = java.time.Instant.parse(web.path("asOf").asText("2026-11-21T00:00:00Z"));
            java.time.Clock clock = java.time.Clock.fixed(asOf, java.time.ZoneOffset.UTC);
            io.secrettrail.analytics.report.ReportSettings settings =
                    io.secrettrail.analytics.report.ReportSettings.defaults();
            reports = new io.secrettrail.analytics.live.ReportCache(store, settings, () -> asOf)
                    .start(java.time.Duration.ofHours(1), clock);
            servers.put(
                    "open",
                    io.secrettrail.web.WebServer.start(
                            new io.secrettrail.web.WebConfig("127.0.0.1", 0)
                                    .withSettings(Map.of(
                                            "web.publicUrl",
                                            "https://secrettrail.example.com",
                                            "web.allowedHosts",
                                            "dash.internal")),
                            new io.secrettrail.analytics.dashboard.DashboardService(store, reports),
                            settings.rules(),
                            clock));
            for (String locked : List.of("locked", "throttled")) {
                servers.put(
                        locked,
                        io.secrettrail.web.WebServer.start(
                                new io.secrettrail.web.WebConfig("0.0.0.0", 0, TOKEN),
                                new io.secrettrail.analytics.dashboard.DashboardService(store, reports),
                                settings.rules(),
                                clock));
            }
        }
        return java.util.Objects.requireNonNull(servers.get(name), name);
    }

    @org.junit.jupiter.api.AfterAll
    static void stopDashboards() throws Exception {
        if (deadLetterReader != null) {
            deadLetterReader.close();
        }
        servers.values().forEach(io.secrettrail.web.WebServer::close);
        if (reports != null) {
            reports.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** A response off the socket: status, headers by lower-case name, body as UTF-8. */
    record Raw(int status, Map<String, String> headers, String body) {}

    private void httpCase(String id, JsonNode c) throws Exception {
        io.secrettrail.web.WebServer s = server(c.path("server").asText("open"));
        String csrf = null;
        String body = c.has("body") ? expand(c.get("body").asText(), 0).replace("${token}", TOKEN) : null;
        StringBuilder head = new StringBuilder(c.path("method").asText("GET") + " "
                + c.get("path").asText() + " " + c.path("version").asText("HTTP/1.1") + "\r\n");
        boolean host = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String v = h.getValue()
                    .asText()
                    .replace("${port}", String.valueOf(s.port()))
                    .replace("${token}", TOKEN);
            if (v.contains("${csrf}")) {
                csrf = csrf != null ? csrf : csrf(s);
                v = v.replace("${csrf}", csrf);
            }
            host |= h.getKey().equalsIgnoreCase("Host");
            if (!h.getValue().isNull()) {
                head.append(h.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        if (!host) {
            head.append("Host: localhost:").append(s.port()).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        String request = head.append("Connection: close\r\n\r\n").toString();
        Raw r = null;
        for (int i = 0; i < c.path("times").asInt(1); i++) {
            r = raw(s.port(), request.getBytes(StandardCharsets.UTF_8), bytes);
        }
        JsonNode expect = c.get("expect");
        assertThat(r.status())
                .as(id + ": status; body " + r.body())
                .isEqualTo(expect.get("status").asInt());
        for (JsonNode t : expect.path("bodyContains")) {
            assertThat(r.body()).as(id + ": body").contains(t.asText());
        }
        for (JsonNode t : expect.path("bodyNotContains")) {
            assertThat(r.body()).as(id + ": body").doesNotContain(t.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("header").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            assertThat(r.headers().get(h.getKey().toLowerCase(java.util.Locale.ROOT)))
                    .as(id + ": header " + h.getKey())
                    .isEqualTo(h.getValue().isNull() ? null : h.getValue().asText());
        }
    }

    /** The open dashboard's CSRF token, from its alerts page. */
    private static String csrf(io.secrettrail.web.WebServer s) throws Exception {
        Raw page = raw(
                s.port(),
                ("GET /alerts HTTP/1.1\r\nHost: localhost:" + s.port() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                new byte[0]);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                .matcher(page.body());
        assertThat(m.find()).as("csrf token on /alerts").isTrue();
        return m.group(1);
    }

    /** Sends exactly these bytes; a server that answers before reading a huge body may close early. */
    private static Raw raw(int port, byte[] head, byte[] body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                out.write(body);
                out.flush();
            } catch (java.net.SocketException e) {
                // answered and closed before the whole body was sent: read the answer
            }
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            String rest = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                StringBuilder b = new StringBuilder();
                int at = 0;
                while (true) {
                    int nl = rest.indexOf("\r\n", at);
                    int n = Integer.parseInt(rest.substring(at, nl).trim(), 16);
                    if (n == 0) {
                        break;
                    }
                    b.append(rest, nl + 2, nl + 2 + n);
                    at = nl + 2 + n + 2;
                }
                rest = b.toString();
            }
            return new Raw(
                    Integer.parseInt(lines[0].split(" ")[1]),
                    headers,
                    new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    // ---- receiver cases: a webhook receiver answers badly; that delivery records it, the others go on

    /**
     * A receiver on a raw socket answers each delivery with {@code answer} (its text; {@code ${x*N}}
     * expands), after {@code delayMs}, then trickles {@code trickle} bytes 200 ms apart; a second,
     * well-behaved webhook gets the same two alerts. One delivery pass with a 2 s deadline.
     */
    private void receiverCase(String id, JsonNode c) throws Exception {
        byte[] answer = expand(c.get("answer").asText(), 0).getBytes(StandardCharsets.ISO_8859_1);
        int delay = c.path("delayMs").asInt(0);
        int trickle = c.path("trickle").asInt(0);
        try (java.net.ServerSocket bad = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                java.net.ServerSocket good =
                        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                io.secrettrail.analytics.store.EventStore store =
                        io.secrettrail.analytics.store.EventStore.open(null)) {
            serve(bad, answer, delay, trickle);
            serve(
                    good,
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1),
                    0,
                    0);
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (var e : Map.of("a-bad", bad.getLocalPort(), "b-good", good.getLocalPort())
                    .entrySet()) {
                m.put("webhook." + e.getKey() + ".url", "http://127.0.0.1:" + e.getValue() + "/hook");
                m.put("webhook." + e.getKey() + ".format", "generic");
                m.put("webhook." + e.getKey() + ".secret", "corpus-signing-secret-0123456789");
            }
            var rules = io.secrettrail.analytics.rules.RuleCatalog.load();
            var hooks = io.secrettrail.analytics.alerts.WebhookSettings.of(
                    m,
                    java.util.Set.copyOf(rules.all().stream().map(r -> r.id()).toList()));
            java.time.Instant now = java.time.Instant.parse("2026-11-21T00:00:00Z");
            List<io.secrettrail.analytics.rules.Finding> alarms = new ArrayList<>();
            for (String who : List.of("role/a", "role/b")) {
                alarms.add(new io.secrettrail.analytics.rules.Finding(
                        "bulk-retrieval",
                        "high",
                        "arn:aws:iam::111111111111:" + who,
                        "alarm",
                        "read 20 distinct secrets in 4 s",
                        "111111111111",
                        "us-east-1",
                        now.minusSeconds(60),
                        now,
                        "arn:aws:iam::111111111111:" + who,
                        null));
            }
            new io.secrettrail.analytics.alerts.AlertLedger(store, hooks).record(alarms, now);
            var deliverer = new io.secrettrail.analytics.alerts.Deliverer(
                    store,
                    hooks,
                    java.time.Clock.fixed(now, java.time.ZoneOffset.UTC),
                    java.time.Duration.ofSeconds(2));
            long began = System.nanoTime();
            deliverer.deliverDue();
            JsonNode expect = c.get("expect");
            assertThat((System.nanoTime() - began) / 1_000_000)
                    .as(id + ": the pass ends within its deadlines")
                    .isLessThan(12_000);
            List<Map<String, Object>> badLog = io.secrettrail.analytics.alerts.Deliverer.log(store, "a-bad", 10);
            assertThat(badLog).as(id + ": bad receiver's deliveries").isNotEmpty();
            Map<String, Object> first = badLog.stream()
                    .filter(r -> ((Number) r.get("attempts")).intValue() > 0)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(id + ": no attempt recorded on the bad receiver: " + badLog));
            assertThat(String.valueOf(first.get("status")))
                    .as(id + ": status")
                    .isEqualTo(expect.get("status").asText());
            assertThat(String.valueOf(first.get("lastError")))
                    .as(id + ": recorded reason")
                    .contains(expect.get("errorContains").asText());
            assertThat(io.secrettrail.analytics.alerts.Deliverer.log(store, "b-good", 10))
                    .as(id + ": the other webhook")
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("delivered"));
        }
    }

    private static void serve(java.net.ServerSocket server, byte[] answer, int delayMs, int trickle) {
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            java.net.Socket s = server.accept();
                            Thread conn = new Thread(() -> {
                                try (s) {
                                    HostileReceiverRequests.read(s.getInputStream());
                                    Thread.sleep(delayMs);
                                    OutputStream out = s.getOutputStream();
                                    out.write(answer);
                                    out.flush();
                                    for (int i = 0; i < trickle; i++) {
                                        Thread.sleep(200);
                                        out.write('.');
                                        out.flush();
                                    }
                                } catch (IOException | InterruptedException e) {
                                    // the sender hung up: what a deadline or a cap does
                                }
                            });
                            conn.setDaemon(true);
                            conn.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "corpus-receiver");
        t.setDaemon(true);
        t.start();
    }

    /** Reads a request head and its Content-Length body. */
    static final class HostileReceiverRequests {
        static void read(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            java.util.regex.Matcher len = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)")
                    .matcher(head);
            if (len.find()) {
                in.readNBytes(Integer.parseInt(len.group(1)));
            }
        }
    }
}
