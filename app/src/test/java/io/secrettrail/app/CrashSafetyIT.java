package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.IngestSummary;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.TrailIngestor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics process is killed with SIGKILL mid-stream (no close, no commit), then resumed:
 * the final counts equal the truth, nothing lost and nothing counted twice.
 */
class CrashSafetyIT {
    static final Instant END = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    static Path dir;
    // a broker of its own: the SIGKILLed consumer stays in its group until its session times out
    @RegisterExtension
    static final TestBroker KAFKA = TestBroker.owned();

    @Test
    void analytics_killed_mid_stream_and_restarted_counts_exactly() throws Exception {
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(3)
                        .secrets(40)
                        .eventsPerDay(4000)
                        .noiseRatio(0.3)
                        .seed(11L)
                        .end(END)
                        .build())
                .generate();
        KafkaSettings kafka = new KafkaSettings(KAFKA.bootstrap(), Map.of(), KafkaSettings.Topics.defaults(), 3);
        IngestSummary ingested;
        Map<TopicPartition, Long> end;
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            try (Producer<byte[], byte[]> producer = KafkaClients.producer(kafka, "test-ingest")) {
                SecretIndex index = new SecretIndex();
                ingested = new TrailIngestor(
                                new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20),
                                new EventPublisher(
                                        producer,
                                        kafka.topics(),
                                        new SecretResolver(index),
                                        java.time.Clock.systemUTC()),
                                index)
                        .run();
            }
            end = AnalyzeJob.latestOffsets(
                    admin, List.of(kafka.topics().events(), kafka.topics().inventory()));
            long total = end.values().stream().mapToLong(Long::longValue).sum();

            Path work = dir.resolve("work");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.secrettrail.app.Main",
                    "analytics",
                    "--kafka",
                    KAFKA.bootstrap(),
                    "--work-dir",
                    work.toString(),
                    "--kafka-property",
                    "max.poll.records=150",
                    "--max-batch",
                    "150"));
            Process child = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("analytics-child.log").toFile())
                    .start();
            long committed;
            try {
                committed = await().atMost(Duration.ofSeconds(90))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> committed(admin), c -> c >= 600 || !child.isAlive());
            } catch (ConditionTimeoutException e) {
                committed = committed(admin);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(committed)
                    .as("the child had committed some batches before it was killed")
                    .isGreaterThanOrEqualTo(600);

            Path db = work.resolve("secrettrail.duckdb");
            try (EventStore store = EventStore.open(db)) {
                long stored = store.storedOffsets().values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToLong(Long::longValue)
                        .sum();
                assertThat(stored)
                        .as("killed mid-stream: DuckDB holds part of the stream")
                        .isPositive()
                        .isLessThan(total);

                AnalyticsConsumer resumed = new AnalyticsConsumer(
                        ConsumerFactory.create(kafka, "secrettrail-analytics"), store, kafka.topics());
                Thread loop = new Thread(resumed, "resumed-analytics");
                loop.start();
                try {
                    await().atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> resumed.caughtUp(end) || resumed.failure() != null);
                } catch (ConditionTimeoutException e) {
                    // the report below says what is missing
                }
                resumed.shutdown();
                loop.join();
                assertThat(resumed.failure()).isNull();
                try (var reader = store.reader()) {
                    var report = new ReportService(reader)
                            .build(END, ingested.files(), ingested.records(), ingested.rejected());
                    ReportAssert.matchesTruth(ReportAssert.json(report), ReportAssert.truth(trail.truthFile()));
                }
            }
        }
    }

    /** Offsets the analytics group has committed to Kafka, summed over its partitions. */
    private static long committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("secrettrail-analytics")
                .partitionsToOffsetAndMetadata()
                .get();
        return offsets.values().stream()
                .filter(o -> o != null)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }
}
