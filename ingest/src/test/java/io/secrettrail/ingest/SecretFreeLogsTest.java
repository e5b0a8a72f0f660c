package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7, end to end through ingest: malformed records holding a secret-like token go
 * to the dead-letter topic and the log by location only; the token is in no header, no value and
 * no log line.
 */
class SecretFreeLogsTest {
    static final String SECRET = "hunter2secretXYZ";
    static final Path STRATUS =
            Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson");

    @TempDir
    Path dir;

    @Test
    void no_secret_like_token_of_a_malformed_record_reaches_a_log_line_or_a_dead_letter() throws Exception {
        List<String> real = Files.readAllLines(STRATUS, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        Path trail = Files.createDirectories(dir.resolve("trail"));
        List<String> lines = new ArrayList<>(real.subList(0, 6));
        lines.set(
                1,
                real.get(1)
                        .replace(
                                "\"requestParameters\": {",
                                "\"requestParameters\": {\"secretString\": " + SECRET + ", "));
        lines.set(3, SECRET);
        lines.set(4, real.get(4).replace("\"userAgent\": \"", "\"userAgent\": " + SECRET + "\""));
        Files.write(trail.resolve("a.ndjson"), lines);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(trail.resolve("b.json.gz")))) {
            out.write(("{\"Records\":[" + real.get(6)
                            + ",{\"eventVersion\":\"1.09\",\"requestParameters\":{\"SecretString\":'" + SECRET + "'}},"
                            + real.get(7) + "]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Path inventory = dir.resolve("inventory.json");
        Files.writeString(
                inventory,
                "{\"SecretList\":[{\"ARN\":\"arn:aws:secretsmanager:us-east-1:1:secret:a-AbC123\",\"SecretString\":"
                        + SECRET + "}]}");

        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSettings.Topics topics = KafkaSettings.Topics.defaults();
        EventPublisher publisher = new EventPublisher(
                producer, topics, new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
        IngestSummary summary;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            summary = new TrailIngestor(
                            new IngestConfig(List.of(trail), List.of(inventory), 1, 1 << 20),
                            publisher,
                            new SecretIndex())
                    .run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(summary.rejected()).isEqualTo(4);
        assertThat(log)
                .contains(
                        "rejected trail/a.ndjson, record 2, field requestParameters.secretString: invalid JSON (line 2, column")
                .contains("rejected trail/b.json.gz, record 2, field requestParameters.SecretString: invalid JSON")
                .contains("rejected inventory.json, record 1: invalid JSON")
                .doesNotContain(SECRET)
                .doesNotContain("hunter2");
        List<ProducerRecord<byte[], byte[]>> dead = producer.history().stream()
                .filter(r -> r.topic().equals(topics.deadLetter()))
                .toList();
        assertThat(dead).hasSize(5);
        for (ProducerRecord<byte[], byte[]> r : dead) {
            assertThat(r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContain("hunter2");
            for (Header h : r.headers()) {
                assertThat(new String(h.value(), StandardCharsets.UTF_8))
                        .as(h.key())
                        .doesNotContain("hunter2");
            }
        }
    }
}
