package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 2, on a real broker: a 2.7 MB record (each field under --max-field-chars) made
 * the producer fail and analyze exit 1. Now it is dead-lettered with its size and a preview and
 * the run succeeds; with --max-record-bytes above it, it goes through producer, topic, broker
 * and consumer into the report.
 */
class OversizeRecordIT {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static String bigRecord(List<String> real) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 77_500; i++) {
            b.append(String.format("\"k%06d\": \"xxxxxxxxxxxxxxxxxxxx\", ", i));
        }
        return real.get(6).replace("\"requestParameters\": {", "\"requestParameters\": {" + b);
    }

    private int analyze(Path work, Path trail, Path report, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                work.toString(),
                "--as-of",
                "2026-11-21T00:00:00Z",
                "--trail",
                trail.toString(),
                "--out",
                report.toString()));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void a_2_7_mb_record_is_dead_lettered_by_default_and_accepted_under_a_higher_limit() throws Exception {
        List<String> real = MalformedInputIT.stratus();
        String big = bigRecord(real);
        assertThat(big.length()).isBetween(2_700_000, 2_800_000);
        Path trail = Files.createDirectories(dir.resolve("trail"));
        MalformedInputIT.gzipRecords(
                trail.resolve("AWSLogs/165109126369/CloudTrail/x/2024/07/31/big.json.gz"),
                List.of(real.get(5), big, real.get(7)));

        Path report = dir.resolve("default.json");
        assertThat(analyze(dir.resolve("w1"), trail, report)).isZero();
        JsonNode r = ReportAssert.JSON.readTree(report.toFile());
        assertThat(r.get("ingest").get("rejected").asLong()).isEqualTo(1);
        assertThat(r.get("ingest").get("secretsManagerEvents").asLong()).isEqualTo(2);
        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readAll(
                KAFKA.bootstrap(), KafkaSettings.Topics.defaults().deadLetter());
        assertThat(dead).anySatisfy(d -> {
            assertThat(header(d, KafkaSettings.Headers.SOURCE)).endsWith("big.json.gz");
            assertThat(header(d, KafkaSettings.Headers.RECORD)).isEqualTo("2");
            assertThat(header(d, KafkaSettings.Headers.FIELD)).startsWith("requestParameters.k");
            assertThat(header(d, KafkaSettings.Headers.ERROR))
                    .isEqualTo("record of " + big.getBytes(StandardCharsets.UTF_8).length
                            + " bytes exceeds the limit of 1048576 bytes (--max-record-bytes)");
            assertThat(new String(d.value(), StandardCharsets.UTF_8)).startsWith("{\"awsRegion\": ");
        });

        Path higher = dir.resolve("higher.json");
        assertThat(analyze(dir.resolve("w2"), trail, higher, "--max-record-bytes", "4194304"))
                .isZero();
        JsonNode h = ReportAssert.JSON.readTree(higher.toFile());
        assertThat(h.get("ingest").get("rejected").asLong()).isZero();
        assertThat(h.get("ingest").get("secretsManagerEvents").asLong()).isEqualTo(3);
    }

    @Test
    void an_events_topic_created_with_kafkas_default_limit_is_raised() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        try (Admin admin = KafkaClients.admin(kafka)) {
            // As an earlier version left it on a cluster with Kafka's default limit (the embedded broker's is higher).
            admin.createTopics(List.of(new NewTopic(kafka.topics().events(), Optional.of(1), Optional.empty())
                            .configs(Map.of("max.message.bytes", "1048588", "retention.ms", "-1"))))
                    .all()
                    .get();
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            ConfigResource events =
                    new ConfigResource(ConfigResource.Type.TOPIC, kafka.topics().events());
            ConfigResource inventory =
                    new ConfigResource(ConfigResource.Type.TOPIC, kafka.topics().inventory());
            // a broker applies a committed config change from the metadata log a moment later
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<ConfigResource, org.apache.kafka.clients.admin.Config> c =
                        admin.describeConfigs(List.of(events, inventory)).all().get();
                assertThat(c.get(events).get("max.message.bytes").value())
                        .isEqualTo(String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
                assertThat(c.get(inventory).get("max.message.bytes").value())
                        .isEqualTo(String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
            });
        }
    }

    @Test
    void every_ingesting_command_takes_the_limits_and_refuses_bad_values_at_start() throws Exception {
        Path watch = Files.createDirectories(dir.resolve("watch"));
        assertThat(Main.run("analyze", "--trail", watch.toString(), "--max-record-bytes", "1000"))
                .isEqualTo(2);
        assertThat(Main.run("serve", "--watch", watch.toString(), "--max-record-bytes", "1000"))
                .isEqualTo(2);
        assertThat(Main.run("ingest", "--watch", watch.toString(), "--max-file-ratio", "1"))
                .isEqualTo(2);
        assertThat(Main.run("ingest", "--watch", watch.toString(), "--max-field-chars", "10"))
                .isEqualTo(2);
        assertThat(Main.run("serve", "--watch", watch.toString(), "--max-file-bytes", "1"))
                .isEqualTo(2);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
