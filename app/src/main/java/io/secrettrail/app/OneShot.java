package io.secrettrail.app;

import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.access.AccessService;
import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookConfig;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.export.ParquetExporter;
import io.secrettrail.analytics.export.ScheduledExport;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.snapshot.Snapshot;
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
import io.secrettrail.ingest.Outbox;
import io.secrettrail.ingest.TrailIngestor;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * The one-shot jobs (analyze, access, cost, policy, a webhook test, generate) and the parts
 * {@link AnalyzeJob} builds them from: each opens what it needs, does one thing and closes it.
 * The long-running wiring is {@link SecretTrailRuntime}'s; between them they construct every
 * analytics, ingest and generator object a command uses.
 */
final class OneShot {
    private OneShot() {}

    /** The store as its writer opens it: with the settings' bounds and rule for SecretTrail's own calls. */
    static EventStore openStore(Path database, ReportSettings settings) throws SQLException {
        return EventStore.open(database, settings.limits(), settings.self().ownCalls());
    }

    /** Reads trail files and inventory into {@code outbox} when run; its result once everything sent is acknowledged. */
    static FutureTask<IngestSummary> ingestFiles(
            Outbox outbox, KafkaSettings.Topics topics, IngestConfig ingest, java.time.Clock clock) {
        SecretIndex index = new SecretIndex();
        EventPublisher publisher = new EventPublisher(outbox, topics, new SecretResolver(index), clock);
        return new FutureTask<>(() -> new TrailIngestor(ingest, publisher, index).run());
    }

    /**
     * The report of a run, built by the process that owns the database (detections evaluated incrementally,
     * incidents stored): one build, after analytics has stopped writing, so none runs beside it.
     */
    static Report report(
            EventStore store, ReportSettings settings, Instant asOf, long files, long records, long rejected)
            throws SQLException {
        return report(store, settings, java.util.Set.of(), asOf, files, records, rejected);
    }

    /** As above, narrowed to {@code teams} when it names any, its cost computed over their secrets alone. */
    static Report report(
            EventStore store,
            ReportSettings settings,
            java.util.Set<String> teams,
            Instant asOf,
            long files,
            long records,
            long rejected)
            throws SQLException {
        try (Connection reader = store.reader()) {
            return ReportService.owning(reader, settings).build(asOf, files, records, rejected, true, teams);
        }
    }

    /** One pass of the pipeline over files, on the configured Kafka (an embedded broker for the run, or the cluster). */
    static AnalyzeJob.Outcome analyze(AppConfig config, IngestConfig ingest, Instant asOf) throws Exception {
        return analyze(config, ingest, asOf, BillingImport.none());
    }

    /** As {@link #analyze(AppConfig, IngestConfig, Instant)}, with AWS's billing data read beside the trail. */
    static AnalyzeJob.Outcome analyze(AppConfig config, IngestConfig ingest, Instant asOf, BillingImport billing)
            throws Exception {
        return analyze(config, ingest, asOf, billing, java.util.Set.of());
    }

    /** As above, the report narrowed to {@code teams} when it names any ({@code analyze --team}). */
    static AnalyzeJob.Outcome analyze(
            AppConfig config, IngestConfig ingest, Instant asOf, BillingImport billing, java.util.Set<String> teams)
            throws Exception {
        try (BillingImport.Fetched fetched = billing.fetch(config, asOf);
                KafkaRuntime k = KafkaRuntime.starting(config.kafka(), config.workDir())) {
            // the broker starts while the first files are read
            return new AnalyzeJob(k, config.database(), config.report(), config.clock(), teams)
                    .run(ingest, asOf, fetched);
        }
    }

    /** The access ledger of the database an earlier analyze left. */
    static List<AccessEntry> access(AppConfig config, Instant asOf, String secret, String principal)
            throws SQLException {
        try (EventStore s = EventStore.open(config.existingDatabase());
                Connection c = s.reader()) {
            return new AccessService()
                    .ledger(
                            Snapshot.at(
                                    c,
                                    asOf,
                                    config.report().batchMatcher(),
                                    config.report().self(),
                                    false),
                            secret,
                            principal);
        }
    }

    /** The cost model of the database an earlier analyze left, at asOf, every month the data spans. */
    static CostReport cost(AppConfig config, Instant asOf) throws SQLException {
        ReportSettings r = config.report();
        try (EventStore s = EventStore.open(config.existingDatabase());
                Connection c = s.reader()) {
            return new CostService(r.prices(), r.batchEntriesBilled())
                    .compute(Snapshot.at(c, asOf, r.batchMatcher(), r.self(), false));
        }
    }

    /**
     * The Parquet export of the database an earlier analyze (or a stopped serve) left.
     *
     * @throws IllegalArgumentException when a running process holds the file
     */
    static ParquetExporter.Summary export(AppConfig config, ExportSettings export, Instant asOf) throws Exception {
        try (EventStore s = openForExport(config, "stop serve or use POST /api/v1/export")) {
            return ScheduledExport.over(s, export, config.report()).export(asOf);
        }
    }

    /**
     * The stopped work dir's database; one a running process holds is refused, saying what to do instead.
     *
     * @param instead what to do while serve runs, for the message
     */
    static EventStore openForExport(AppConfig config, String instead) throws SQLException {
        try {
            return EventStore.open(config.existingDatabase());
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("lock")) {
                throw new IllegalArgumentException(config.database() + ": held by a running process; " + instead, e);
            }
            throw e;
        }
    }

    interface PolicyQuery<T> {
        /** @param reader the reader connection the service runs on, for a snapshot of the same data */
        T apply(PolicyService service, Connection reader) throws SQLException;
    }

    /** A question to the policy service over the database an earlier analyze left. */
    static <T> T policy(AppConfig config, PolicyQuery<T> query) throws SQLException {
        try (EventStore s = EventStore.open(config.existingDatabase());
                Connection c = s.reader()) {
            return query.apply(new PolicyService(c), c);
        }
    }

    /** Sends one test message to a configured webhook now. */
    static Deliverer.Attempt testWebhook(AppConfig config, WebhookConfig hook) {
        return new Deliverer(null, config.webhooks(), config.clock()).test(hook);
    }

    static GenerationSummary generate(GeneratorConfig config) throws IOException {
        return new TrailGenerator(config).generate();
    }
}
