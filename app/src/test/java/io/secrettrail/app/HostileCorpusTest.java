package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

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

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.secrettrail.core.KafkaSettings;

/**
 * The hostile corpus ({@code src/test/resources/hostile/cases.json}): what an attacker can put in
 * front of SecretTrail, case by case, and what must happen. Each trail case is written as files
 * under a directory of its own and run through {@code analyze} on a real broker; the report's
 * counts, the dead letters that name the case's files and everything printed are checked against
 * the case's {@code expect}. The README's "Hostile corpus" table lists the same cases.
 *
 * <p>A case's records are built from a real GetSecretValue record (Stratus Red Team's detonation
 * log, see core's test resources and their SOURCE note): {@code {}} is that record with an eventID
 * of its own; {@code set}/{@code remove} change fields by JSON pointer; {@code replace} edits the
 * serialised text (for malformed JSON); {@code raw} is the record's text outright; {@code repeat}
 * makes that many copies with ids of their own, of one record or of a {@code group} of them.
 */
class HostileCorpusTest {
    static final Path STRATUS = Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = HostileCorpusTest.class.getResourceAsStream("/hostile/cases.json")) {
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
            default -> throw new IllegalArgumentException(id + ": unknown kind " + c.get("kind"));
        }
    }

    // ---- trail cases: files -> analyze -> report, dead letters, output

    private void trailCase(String id, JsonNode c) throws Exception {
        Path trail = dir.resolve("trails").resolve(id);
        Files.createDirectories(trail);
        JsonNode base = JSON.readTree(baseRecord());
        JsonNode files = c.has("files") ? c.get("files") : JSON.createArrayNode().add(c);
        int fileNo = 0;
        for (JsonNode f : files) {
            fileNo++;
            String name = f.path("file").asText("case.ndjson");
            writeFile(trail.resolve(name), records(id + "/" + fileNo, base, f.get("records")), f.path("generate").asText(""));
        }
        Path report = dir.resolve(id + "-report.json");
        List<String> args = new ArrayList<>(List.of("analyze", "--kafka", KAFKA.bootstrap(),
                "--work-dir", dir.resolve("work-" + id).toString(), "--as-of", c.path("asOf").asText("2026-11-21T00:00:00Z"),
                "--trail", trail.toString(), "--out", report.toString()));
        c.path("args").forEach(a -> args.add(a.asText()));

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

        JsonNode expect = c.get("expect");
        assertThat(exit).as(id + ": exit code; stderr:\n" + stderr).isEqualTo(expect.path("exit").asInt(0));
        List<String> dead = deadLetters(id);
        if (exit == 0) {
            JsonNode r = JSON.readTree(report.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("report").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(r.at(e.getKey())).as(id + ": report " + e.getKey()).isEqualTo(e.getValue());
            }
        }
        if (expect.has("deadLetterCount")) {
            // Too many to list: how many, each of what form, no record twice.
            assertThat(dead).as(id + ": dead letters").hasSize(expect.get("deadLetterCount").asInt())
                    .allSatisfy(d -> assertThat(d).matches(expect.get("deadLetterEach").asText()))
                    .doesNotHaveDuplicates();
        } else {
            assertThat(dead).as(id + ": dead letters").hasSize(expect.path("deadLetters").size());
        }
        int i = 0;
        for (JsonNode d : expect.path("deadLetters")) {
            // file#record#field#error, in the order ingest wrote them
            assertThat(dead.get(i++)).as(id + ": dead letter").startsWith(d.get(0).asText()).contains(d.get(1).asText());
        }
        for (JsonNode s : expect.path("neverPrinted")) {
            assertThat(stderr).as(id + ": printed").doesNotContain(s.asText());
            assertThat(String.join("\n", dead)).as(id + ": dead-letter headers").doesNotContain(s.asText());
        }
    }

    private static String baseRecord() throws IOException {
        return Files.readAllLines(STRATUS, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"GetSecretValue\"")).findFirst().orElseThrow();
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
                String eventId = UUID.nameUUIDFromBytes((seed + "#" + n++).getBytes(StandardCharsets.UTF_8)).toString();
                if (spec.has("raw")) {
                    out.add(spec.get("raw").asText().replace("${eventID}", eventId));
                    continue;
                }
                ObjectNode r = base.deepCopy();
                r.put("eventID", spec.path("eventID").asText(eventId));
                for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("set").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    set(r, e.getKey(), e.getValue().isTextual() ? JSON.getNodeFactory().textNode(expand(e.getValue().asText(), k)) : e.getValue());
                }
                for (JsonNode p : spec.path("remove")) {
                    JsonPointer ptr = JsonPointer.compile(p.asText());
                    ((ObjectNode) r.at(ptr.head())).remove(ptr.last().getMatchingProperty());
                }
                String text = JSON.writeValueAsString(r);
                for (JsonNode rep : spec.path("replace")) {
                    String from = rep.get(0).asText();
                    assertThat(text).as("replace target in " + seed).contains(from);
                    text = text.replace(from, rep.get(1).asText());
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
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{(.)\\*(\\d+)}").matcher(s.replace("${k}", String.valueOf(k)));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
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
            String text = ndjson ? String.join(sep, records) + "\n" : "{\"Records\":[" + String.join(sep, records) + "]}";
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
        for (ConsumerRecord<byte[], byte[]> d : TestKafka.readAll(KAFKA.bootstrap(), KafkaSettings.Topics.defaults().deadLetter())) {
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
}
