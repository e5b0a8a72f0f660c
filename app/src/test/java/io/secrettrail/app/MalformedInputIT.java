package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.KafkaSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the command line on a real broker: every bad record is named, dead-lettered
 * and counted; everything valid around it is processed; the exit code says what happened.
 */
class MalformedInputIT {
    /** Real records, shared with core's tests (see SOURCE.md there). */
    static final Path STRATUS =
            Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    private int analyze(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--as-of",
                "2026-11-21T00:00:00Z"));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    static List<String> stratus() throws IOException {
        return Files.readAllLines(STRATUS, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
    }

    static void gzipRecords(Path f, List<String> records) throws IOException {
        Files.createDirectories(f.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void each_kind_of_bad_input_is_dead_lettered_by_name_and_the_rest_is_counted() throws Exception {
        List<String> ev = stratus(); // 26 Secrets Manager events, distinct eventIDs except the batch repeats
        Path trail = dir.resolve("trail");
        Path day = trail.resolve("AWSLogs/165109126369/CloudTrail/us-east-1/2024/07/31");
        gzipRecords(day.resolve("a-good.json.gz"), ev.subList(0, 10));
        gzipRecords(day.resolve("b-whole.json.gz"), ev.subList(10, 26));
        byte[] whole = Files.readAllBytes(day.resolve("b-whole.json.gz"));
        Files.delete(day.resolve("b-whole.json.gz"));
        Files.write(day.resolve("b-truncated.json.gz"), Arrays.copyOf(whole, whole.length / 2));
        List<String> lines = new ArrayList<>(ev.subList(10, 16));
        lines.set(1, lines.get(1).substring(0, 100) + " not json");
        lines.set(3, lines.get(3).replaceFirst("\"eventTime\": \"[^\"]+\"", "\"eventTime\": 17"));
        Files.write(trail.resolve("c-lines.ndjson"), lines);
        try (OutputStream out = Files.newOutputStream(trail.resolve("d-huge.ndjson"))) {
            String line = ev.get(20);
            int cut = line.indexOf("\"userAgent\": \"") + "\"userAgent\": \"".length();
            out.write(line.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write((line.substring(cut) + "\n" + ev.get(21) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = Files.newOutputStream(trail.resolve("e-latin1.ndjson"))) {
            out.write(ev.get(22).replace("stratus-red-team_", "d\u00e9j\u00e0-").getBytes(StandardCharsets.ISO_8859_1));
            out.write(("\n" + ev.get(23) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(trail.resolve("f-empty.json"), new byte[0]);

        Path report = dir.resolve("bad-report.json");
        assertThat(analyze("--trail", trail.toString(), "--out", report.toString()))
                .isZero();

        JsonNode r = ReportAssert.JSON.readTree(report.toFile());
        long uniqueGood = ev.subList(0, 10).stream()
                .map(MalformedInputIT::eventId)
                .distinct()
                .count();
        // 1 truncated-gzip + invalid line + wrong type + 50 MB field + non-UTF-8
        assertThat(r.get("ingest").get("rejected").asLong()).isEqualTo(5);
        assertThat(r.get("ingest").get("files").asLong()).isEqualTo(6);
        assertThat(r.get("ingest").get("secretsManagerEvents").asLong()).isGreaterThanOrEqualTo(uniqueGood + 4);

        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readAll(
                KAFKA.bootstrap(), KafkaSettings.Topics.defaults().deadLetter());
        List<String> described = dead.stream()
                .map(d -> header(d, "secrettrail.source") + "#" + header(d, "secrettrail.record") + "#"
                        + header(d, "secrettrail.field") + "#" + header(d, "secrettrail.error"))
                .toList();
        assertThat(described)
                .anySatisfy(d -> assertThat(d).contains("b-truncated.json.gz#").contains("truncated"));
        // Since issue 12 a syntax error names the field it is in and never quotes the input.
        assertThat(described)
                .anySatisfy(
                        d -> assertThat(d).startsWith("trail/c-lines.ndjson#2#").contains("#invalid JSON (line 2"));
        assertThat(described)
                .anySatisfy(d -> assertThat(d).startsWith("trail/c-lines.ndjson#4#eventTime#expected a string"));
        assertThat(described)
                .anySatisfy(d -> assertThat(d)
                        .startsWith("trail/d-huge.ndjson#1#userAgent#invalid JSON (line 1")
                        .endsWith(": a string longer than the parser's limit"));
        assertThat(described)
                .anySatisfy(d -> assertThat(d)
                        .startsWith("trail/e-latin1.ndjson#1#userAgent#invalid JSON")
                        .containsIgnoringCase("UTF-8"));
    }

    @Test
    void a_directory_of_no_files_is_a_usage_error() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("nothing-here"));
        assertThat(analyze("--trail", empty.toString())).isEqualTo(2);
    }

    @Test
    void a_missing_trail_bad_format_or_bad_time_is_a_usage_error() {
        assertThat(analyze("--trail", dir.resolve("no-such-dir").toString())).isEqualTo(2);
        assertThat(analyze("--trail", dir.toString(), "--format", "xml")).isEqualTo(2);
        assertThat(Main.run("analyze", "--trail", dir.toString(), "--as-of", "yesterday"))
                .isEqualTo(2);
        assertThat(Main.run("analyze")).isEqualTo(2);
    }

    @Test
    void analyze_refuses_a_database_held_by_a_running_analytics_process() throws Exception {
        Path work = dir.resolve("held");
        KafkaSettings kafka =
                new KafkaSettings(KAFKA.bootstrap(), java.util.Map.of(), KafkaSettings.Topics.defaults(), 3);
        try (var admin = io.secrettrail.ingest.KafkaClients.admin(kafka)) {
            io.secrettrail.ingest.TopicSetup.ensure(admin, kafka, (short) 1, java.time.Duration.ofSeconds(60));
        }
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.secrettrail.app.Main",
                        "analytics",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        work.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("held-analytics.log").toFile())
                .start();
        try {
            // analytics says so once it holds the file open
            Path log = dir.resolve("held-analytics.log");
            await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> !child.isAlive() || Files.readString(log).contains("analytics consuming into"));
            assertThat(child.isAlive()).isTrue();
            assertThat(analyzeIn(work, "--trail", STRATUS.toString())).isEqualTo(1);
            assertThat(child.isAlive())
                    .as("the running analytics keeps its file")
                    .isTrue();
        } finally {
            // SIGTERM: its consumer leaves its group, which the next class on the shared broker reuses
            child.destroy();
            if (!child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    private int analyzeIn(Path work, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                work.toString(),
                "--as-of",
                "2026-11-21T00:00:00Z"));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void an_unreachable_kafka_is_fatal_not_a_hang() {
        assertThat(Main.run(
                        "analyze",
                        "--kafka",
                        "127.0.0.1:1",
                        "--kafka-property",
                        "default.api.timeout.ms=3000",
                        "--kafka-property",
                        "request.timeout.ms=2000",
                        "--work-dir",
                        dir.resolve("w2").toString(),
                        "--trail",
                        STRATUS.toString()))
                .isEqualTo(1);
    }

    private static String eventId(String line) {
        try {
            return ReportAssert.JSON.readTree(line).get("eventID").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
