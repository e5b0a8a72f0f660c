package io.secrettrail.app;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.Progress;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.HeldOutbox;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.IngestSummary;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.Outbox;
import io.secrettrail.ingest.TopicSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the whole pipeline: trail files → Kafka → DuckDB → report. Ingest and analytics run
 * side by side; the report is built once analytics has consumed to the end offsets ingest left.
 * The database is rebuilt for the run, from offsets recorded before ingest started, so a report
 * covers exactly this run's input whatever the topics held before.
 */
public final class AnalyzeJob {
    private static final Logger log = LoggerFactory.getLogger(AnalyzeJob.class);
    /** Its own group: a run rebuilds its database from offsets of its own, whatever a running analytics holds. */
    static final String GROUP = "secrettrail-analyze";

    /**
     * What a run holds of the trail while the broker starts: as much as the producer itself buffers
     * (its buffer.memory), a few seconds of reading on two cores.
     */
    static final long HELD_BYTES = 32L * 1024 * 1024;

    /** The Kafka a run publishes to, perhaps still starting: the run reads its files meanwhile. */
    interface KafkaStart {
        /** The settings, once Kafka can be reached. */
        KafkaSettings await() throws IOException;

        /** The topics, known before Kafka is up. */
        KafkaSettings.Topics topics();

        static KafkaStart ready(KafkaSettings kafka) {
            return new KafkaStart() {
                @Override
                public KafkaSettings await() {
                    return kafka;
                }

                @Override
                public KafkaSettings.Topics topics() {
                    return kafka.topics();
                }
            };
        }
    }

    private final KafkaStart kafkaStart;
    private final Path database;
    private final ReportSettings settings;
    private final java.time.Clock clock;
    private final java.util.Set<String> teams;

    /** Default settings; files read on the system clock. */
    public AnalyzeJob(KafkaSettings kafka, Path database) {
        this(kafka, database, ReportSettings.defaults());
    }

    /** Files read on the system clock. */
    public AnalyzeJob(KafkaSettings kafka, Path database, ReportSettings settings) {
        this(kafka, database, settings, java.time.Clock.systemUTC());
    }

    /** @param clock when ingest reads a file: no delivery is dated later (see ingest's Delivery) */
    public AnalyzeJob(KafkaSettings kafka, Path database, ReportSettings settings, java.time.Clock clock) {
        this(KafkaStart.ready(kafka), database, settings, clock);
    }

    /** @param kafka perhaps still starting: files are read meanwhile, published once it is up */
    AnalyzeJob(KafkaStart kafka, Path database, ReportSettings settings, java.time.Clock clock) {
        this(kafka, database, settings, clock, java.util.Set.of());
    }

    /** @param teams the teams the report is narrowed to ({@code analyze --team}; empty: every secret) */
    AnalyzeJob(
            KafkaStart kafka,
            Path database,
            ReportSettings settings,
            java.time.Clock clock,
            java.util.Set<String> teams) {
        this.kafkaStart = kafka;
        this.database = database;
        this.settings = settings;
        this.clock = clock;
        this.teams = java.util.Set.copyOf(teams);
    }

    /** What a run produced: the report, narrowed to the job's teams when it names any. */
    public record Outcome(Report report, IngestSummary ingest) {}

    public Outcome run(IngestConfig ingest, Instant asOf) throws IOException, SQLException, InterruptedException {
        return run(ingest, asOf, new BillingImport.Fetched(List.of(), List.of(), null, List.of()));
    }

    /** @param billing AWS's billing data to store beside the trail before the report is built */
    Outcome run(IngestConfig ingest, Instant asOf, BillingImport.Fetched billing)
            throws IOException, SQLException, InterruptedException {
        return run(ingest, asOf, billing, new HeldOutbox(HELD_BYTES));
    }

    /**
     * Reading starts at once, into {@code held}, while Kafka comes up and the run sets up its topics,
     * offsets and database; held messages are published, in order, once a producer can send them.
     */
    Outcome run(IngestConfig ingest, Instant asOf, BillingImport.Fetched billing, HeldOutbox held)
            throws IOException, SQLException, InterruptedException {
        long began = System.nanoTime();
        FutureTask<IngestSummary> reading = OneShot.ingestFiles(held, kafkaStart.topics(), ingest, clock);
        Thread reader = new Thread(reading, "ingest");
        reader.setDaemon(true);
        reader.start();
        try {
            return run(kafkaStart.await(), reading, held, began, asOf, billing);
        } finally {
            // a run that stops before the broker is up releases the readers waiting for it
            held.fail(new EventPublisher.PublishException("the run stopped before Kafka was up", null));
            reading.cancel(true);
        }
    }

    private Outcome run(
            KafkaSettings kafka,
            FutureTask<IngestSummary> reading,
            HeldOutbox held,
            long began,
            Instant asOf,
            BillingImport.Fetched billing)
            throws IOException, SQLException, InterruptedException {
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 0, Duration.ofSeconds(60));
            List<String> consumed = List.of(
                    kafka.topics().events(),
                    kafka.topics().inventory(),
                    kafka.topics().deadLetter());
            Map<TopicPartition, Long> start = latestOffsets(admin, consumed);
            ensureNotInUse(database);
            Files.deleteIfExists(database);
            Files.deleteIfExists(Path.of(database + ".wal"));
            GroupCoordinator.await(admin, GROUP, Duration.ofSeconds(30));
            try (EventStore store = OneShot.openStore(database, settings);
                    Consuming analytics = Consuming.create(kafka, store, GROUP, SecretTrailRuntime.DEFAULT_MAX_BATCH)) {
                store.seedOffsets(asStored(start));
                analytics.thread.start();
                IngestSummary summary;
                try {
                    try (Producer<byte[], byte[]> producer = KafkaClients.producer(kafka, "secrettrail-ingest")) {
                        held.open(Outbox.of(producer));
                        summary = io.secrettrail.core.Futures.join(reading);
                    }
                    Map<TopicPartition, Long> end = latestOffsets(admin, consumed);
                    awaitCaughtUp(analytics.consumer, analytics.thread, start, end);
                    double secs = (System.nanoTime() - began) / 1e9;
                    // Measured from the first file read to the last event in DuckDB; benchmarks read this line.
                    System.err.printf(
                            java.util.Locale.ROOT,
                            "secrettrail: pipeline %.2f s, %d records, %.0f records/s%n",
                            secs,
                            summary.records(),
                            summary.records() / secs);
                } finally {
                    analytics.stop(0);
                }
                if (analytics.consumer.failure() != null) {
                    throw analyticsFailed(analytics.consumer.failure());
                }
                if (!billing.roots().isEmpty() || !billing.costExplorer().isEmpty()) {
                    BillingImport.store(store, billing, clock.instant());
                }
                long reportBegan = System.nanoTime();
                Report report = OneShot.report(
                        store,
                        settings,
                        teams,
                        asOf,
                        summary.files(),
                        summary.records(),
                        summary.rejected() + summary.inventoryRejected() + analytics.consumer.deadLettered());
                System.err.printf(
                        java.util.Locale.ROOT,
                        "secrettrail: report %.2f s (%d alerts)%n",
                        (System.nanoTime() - reportBegan) / 1e9,
                        report.alerts().size());
                return new Outcome(report, summary);
            }
        } catch (ExecutionException e) {
            throw new IOException("Kafka: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** What stopped analytics, said so a user can act on it: never "analytics failed: null". */
    static IllegalStateException analyticsFailed(Throwable failure) {
        return new IllegalStateException(
                "analytics failed: " + Main.message(failure)
                        + "; no report was written, and the trail files are unchanged: run again once the cause is fixed",
                failure);
    }

    private static void awaitCaughtUp(
            io.secrettrail.analytics.live.AnalyticsConsumer analytics,
            Thread consumerThread,
            Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end)
            throws InterruptedException {
        long total = 0;
        for (var e : end.entrySet()) {
            total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        Progress progress = Progress.stderr("analytics", "messages", total);
        long reported = 0;
        while (!analytics.caughtUp(end)) {
            if (analytics.failure() != null) {
                return;
            }
            if (!consumerThread.isAlive()) {
                throw new IllegalStateException("analytics stopped before it caught up with the topics");
            }
            Thread.sleep(50);
            long now = analytics.messagesWritten();
            progress.advance(now - reported, now - reported);
            reported = now;
        }
        progress.done();
        log.debug("analytics caught up with {}", end);
    }

    static Map<TopicPartition, Long> latestOffsets(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .values()
                .forEach(td -> td.partitions()
                        .forEach(p -> req.put(new TopicPartition(td.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Refuses to rebuild a database another process holds (a running {@code analytics}): deleting
     * it would unlink the file under that process and lose what it writes.
     */
    static void ensureNotInUse(Path database) throws SQLException {
        if (!Files.exists(database)) {
            return;
        }
        try {
            EventStore.open(database).close();
        } catch (SQLException e) {
            throw new SQLException(
                    database + " is in use by another process (is `secrettrail analytics` running on this"
                            + " work dir?); use another --work-dir: " + e.getMessage(),
                    e);
        }
    }

    static Map<String, Map<Integer, Long>> asStored(Map<TopicPartition, Long> offsets) {
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        offsets.forEach(
                (tp, o) -> out.computeIfAbsent(tp.topic(), t -> new HashMap<>()).put(tp.partition(), o));
        return out;
    }
}
