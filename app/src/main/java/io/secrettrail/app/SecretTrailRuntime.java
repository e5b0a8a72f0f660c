package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.live.DeadLetters;
import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.access.AccessService;
import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.StoreLimits;
import io.secrettrail.analytics.alerts.AlertLedger;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookConfig;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.IngestSummary;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.TrailIngestor;
import io.secrettrail.ingest.aws.AwsFailure;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.web.ProbeServer;
import io.secrettrail.web.ProcessProbe;
import io.secrettrail.web.WebServer;

/**
 * One SecretTrail process, wired by hand in one place: {@link #start} builds, in this order,
 * the Kafka clients, the store, the consumer, the sources, the report cache, the alerts and the
 * web server, each only for the {@link Role roles} asked, and {@link #close} closes them in
 * reverse. Every command is its options, then an {@link AppConfig}, then this.
 *
 * <p>Every analytics, web and ingest object a command needs is constructed in this class, the
 * one-shot ones ({@link #analyze}, {@link #access}, {@link #policy}, {@link #testWebhook},
 * {@link #generate}) too, so a change to one of their constructors touches this file alone; that
 * is why it is longer than most.
 */
public final class SecretTrailRuntime implements AutoCloseable {
    /** What a process does: read sources into Kafka, consume Kafka into DuckDB, serve HTTP. */
    public enum Role { INGEST, ANALYTICS, WEB }

    static final int DEFAULT_MAX_BATCH = AnalyticsConsumer.DEFAULT_MAX_BATCH;
    static final String GROUP = "secrettrail-analytics";
    private static final Logger log = LoggerFactory.getLogger(SecretTrailRuntime.class);

    private final AppConfig config;
    private final Set<Role> roles;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private KafkaRuntime kafka;
    private Admin admin;
    private Producer<byte[], byte[]> producer;
    private EventStore store;
    private Consuming consuming;
    private ConsumerHealth health;
    private BooleanSupplier caughtUp = () -> true;
    private EventPublisher publisher;
    private Sources sources;
    private ReportCache reports;
    private Deliverer deliverer;
    private WebServer webServer;
    private ProbeServer probeServer;

    private SecretTrailRuntime(AppConfig config, Set<Role> roles, EventStore store) {
        this.config = config;
        this.roles = Set.copyOf(roles);
        this.store = store;
    }

    /** Builds and starts what the roles need; on a failure, closes what it had started and rethrows. */
    public static SecretTrailRuntime start(AppConfig config, Set<Role> roles) throws Exception {
        return start(new SecretTrailRuntime(config, roles, null));
    }

    /** The report cache, alerts and web of {@code config} over a store the caller owns (tests: an in-memory one). */
    static SecretTrailRuntime startOn(AppConfig config, Set<Role> roles, EventStore store, BooleanSupplier caughtUp) throws Exception {
        SecretTrailRuntime rt = new SecretTrailRuntime(config, roles, store);
        rt.caughtUp = caughtUp;
        return start(rt);
    }

    private static SecretTrailRuntime start(SecretTrailRuntime rt) throws Exception {
        try {
            rt.startClients();
            rt.openStore();
            rt.buildConsumer();
            rt.buildSources();
            rt.startThreads();
            rt.buildReportCache();
            rt.buildAlerts();
            rt.startReports();
            rt.startWeb();
            return rt;
        } catch (Exception | Error e) {
            rt.close();
            throw e;
        }
    }

    /** The embedded broker or the cluster, an admin client, the topics, and the producer of an ingesting process. */
    private void startClients() throws Exception {
        if (!roles.contains(Role.INGEST) && !roles.contains(Role.ANALYTICS)) {
            return;
        }
        kafka = track(KafkaRuntime.start(config.kafka(), config.workDir()));
        admin = track(KafkaClients.admin(kafka.settings()));
        if (roles.contains(Role.INGEST)) {
            TopicSetup.ensure(admin, kafka.settings(), config.kafka().replicationFactor(), Duration.ofSeconds(60));
            producer = track(KafkaClients.producer(kafka.settings(), roles.contains(Role.ANALYTICS) ? "secrettrail-serve" : "secrettrail-ingest"));
        }
        if (roles.contains(Role.ANALYTICS)) {
            GroupCoordinator.await(admin, GROUP, Duration.ofSeconds(30));
        }
    }

    /** The DuckDB file, for analytics (its only writer) and for a dashboard over what an earlier run left. */
    private void openStore() throws SQLException {
        if (store == null && (roles.contains(Role.ANALYTICS) || roles.contains(Role.WEB) && !roles.contains(Role.INGEST))) {
            store = track(openStore(config.database(), config.report().limits()));
        }
    }

    private void buildConsumer() {
        if (roles.contains(Role.ANALYTICS)) {
            consuming = track(consumer(kafka.settings(), store, GROUP, config.kafka().maxBatch()));
            health = new ConsumerHealth(admin, consuming.consumer, consuming.thread, kafka.settings().topics(), store);
            caughtUp = health::caughtUp;
        }
    }

    /** The publisher, the inventory files given, and the sources: watched directories and AWS. */
    private void buildSources() throws IOException {
        if (!roles.contains(Role.INGEST)) {
            return;
        }
        SecretIndex index = new SecretIndex();
        publisher = new EventPublisher(producer, kafka.settings().topics(), new SecretResolver(index));
        AppConfig.Ingest in = config.ingest();
        if (!in.inventory().isEmpty()) {
            long[] n = new TrailIngestor(new IngestConfig(List.of(), in.inventory(), 1, config.read()), publisher, index).publishInventory();
            System.err.printf("secrettrail: inventory: %d secrets published, %d rejected%n", n[0], n[1]);
        }
        sources = track(Sources.build(config.workDir(), in.watch(), in.aws(), config.read(), publisher, index, config.clock()));
    }

    private void startThreads() {
        if (consuming != null) {
            consuming.thread.start();
        }
        if (sources != null && !config.ingest().once()) {
            sources.runner().start();
        }
    }

    /** Reports in the background, for the dashboard and the alerts; none when neither is wanted. */
    private void buildReportCache() {
        if (store != null && (roles.contains(Role.WEB) || !config.webhooks().webhooks().isEmpty())) {
            Instant fixed = config.asOf();
            Supplier<Instant> asOf = fixed != null ? () -> fixed : config.clock()::instant;
            reports = track(new ReportCache(store, config.report(), asOf));
        }
    }

    /**
     * Alert transitions recorded in the outbox after each report, delivered by their own thread.
     * Recorded only from the first report built once analytics has caught up with Kafka, so a
     * first start on a backlog does not alert on half-loaded data.
     */
    private void buildAlerts() {
        if (reports == null || config.webhooks().webhooks().isEmpty()) {
            return;
        }
        AlertLedger ledger = new AlertLedger(store, config.webhooks());
        AtomicBoolean live = new AtomicBoolean();
        reports.onBuilt(r -> {
            if (!live.get()) {
                if (!caughtUp.getAsBoolean()) {
                    log.debug("alerts: webhooks wait until analytics has caught up with Kafka");
                    return false;
                }
                live.set(true);
            }
            try {
                AlertLedger.Transitions t = ledger.record(r.alerts(), config.clock().instant());
                if (t.opened() + t.closed() > 0) {
                    log.info("alerts: {} opened, {} cleared, {} deliveries queued, {} suppressed", t.opened(), t.closed(), t.enqueued(),
                            t.suppressed());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("recording alert transitions: " + e.getMessage(), e);
            }
            return true;
        });
        deliverer = track(new Deliverer(store, config.webhooks(), config.clock()).start(Duration.ofSeconds(1)));
    }

    /** The first report is built once the alerts listen to it. */
    private void startReports() {
        if (reports != null) {
            reports.start(Duration.ofSeconds(2), config.clock());
        }
    }

    /** The dashboard over the store; a process with no store (ingest) serves health and metrics only. */
    private void startWeb() {
        if (!roles.contains(Role.WEB) || config.web() == null) {
            return;
        }
        ProcessProbe probe = probe();
        if (store != null) {
            webServer = track(WebServer.start(config.web(), new DashboardService(store, reports), config.report().rules(),
                    config.webhooks(), deliverer, probe, config.clock()));
        } else {
            probeServer = track(ProbeServer.start(config.web(), probe::readiness, probe::gauges));
        }
    }

    /** Readiness beside DuckDB's (broker, consumer, producer), figures for /metrics, the sources' state. */
    private ProcessProbe probe() {
        if (publisher == null) {
            return health == null ? ProcessProbe.NONE : health;
        }
        return new ProcessProbe() {
            @Override
            public Map<String, Boolean> readiness() {
                Map<String, Boolean> r = new LinkedHashMap<>(health != null ? health.readiness()
                        : Map.of("broker", ConsumerHealth.brokerReachable(admin)));
                r.put("producer", !publisher.failed());
                return r;
            }

            @Override
            public Map<String, Double> gauges() {
                Map<String, Double> g = new HashMap<>(health != null ? health.gauges() : Map.of());
                g.putAll(sources.gauges());
                return g;
            }

            @Override
            public List<ProcessProbe.SourceState> sources() {
                return sources.states();
            }
        };
    }

    /** Why a long-running process stopped: analytics failed, Kafka refused records, or neither (SIGTERM). */
    record Stop(Throwable analyticsFailure, Exception sourcesFailure) {
        boolean clean() {
            return analyticsFailure == null && sourcesFailure == null;
        }
    }

    /**
     * Runs until SIGTERM or until analytics or the sources fail; then stops the sources after their
     * current batch or page, flushes the producer, and lets analytics commit what it holds.
     */
    Stop runUntilStopped(Drain drain) throws InterruptedException {
        while (!drain.awaitStop(1)) {
            if (consuming != null && !consuming.thread.isAlive() || sources != null && sources.runner().fatal() != null) {
                break;
            }
        }
        Exception fatal = null;
        if (sources != null) {
            sources.runner().stop();
            fatal = sources.runner().fatal();
            if (fatal == null) {
                producer.flush();
            }
        }
        if (consuming != null) {
            consuming.stop(20_000);
        }
        return new Stop(consuming == null ? null : consuming.consumer.failure(), fatal);
    }

    /** One pass of every source, each failure printed; @return how many failed */
    int onePass(Drain drain) {
        int failed = 0;
        for (Source s : sources.list()) {
            try {
                long n = s.poll(drain::stopRequested);
                System.err.printf("secrettrail: %s: %d records%n", s.name(), n);
            } catch (Exception e) {
                failed++;
                System.err.printf("secrettrail: %s: %s%n", s.name(), AwsFailure.explain(e).message());
            }
        }
        return failed;
    }

    KafkaSettings kafka() {
        return kafka.settings();
    }

    EventPublisher publisher() {
        return publisher;
    }

    Sources sources() {
        return sources;
    }

    /** The web server's port, or -1 when none runs. */
    int port() {
        return webServer != null ? webServer.port() : probeServer != null ? probeServer.port() : -1;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("closing: {}", e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        opened.push(resource);
        return resource;
    }

    // ---- the parts one-shot commands and AnalyzeJob use ----

    /** The analytics consumer with its thread (not started) and its dead-letter producer; closing stops and closes both. */
    static final class Consuming implements AutoCloseable {
        final AnalyticsConsumer consumer;
        final Thread thread;
        private final Producer<byte[], byte[]> deadLetters;

        private Consuming(AnalyticsConsumer consumer, Producer<byte[], byte[]> deadLetters) {
            this.consumer = consumer;
            this.thread = new Thread(consumer, "analytics-consumer");
            this.deadLetters = deadLetters;
        }

        /** Asks the loop to commit what it holds and stop; waits up to {@code millis} (0: for as long as it takes). */
        void stop(long millis) throws InterruptedException {
            consumer.shutdown();
            if (thread.isAlive()) {
                thread.join(millis);
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                stop(20_000);
            } finally {
                deadLetters.close();
            }
        }
    }

    /** @param group the consumer group; its dead letters are produced as {@code <group>-deadletters} */
    static Consuming consumer(KafkaSettings kafka, EventStore store, String group, int maxBatch) {
        Producer<byte[], byte[]> deadLetters = DeadLetters.producer(kafka, group + "-deadletters");
        try {
            return new Consuming(new AnalyticsConsumer(ConsumerFactory.create(kafka, group), store, kafka.topics(), maxBatch,
                    DeadLetters.kafka(deadLetters, kafka.topics())), deadLetters);
        } catch (RuntimeException e) {
            deadLetters.close();
            throw e;
        }
    }

    static EventStore openStore(Path database, StoreLimits limits) throws SQLException {
        return EventStore.open(database, limits);
    }

    /** Publishes trail files and inventory through a producer of its own, flushed and closed on return. */
    static IngestSummary ingestFiles(KafkaSettings kafka, IngestConfig ingest) throws IOException, InterruptedException {
        try (Producer<byte[], byte[]> producer = KafkaClients.producer(kafka, "secrettrail-ingest")) {
            SecretIndex index = new SecretIndex();
            EventPublisher publisher = new EventPublisher(producer, kafka.topics(), new SecretResolver(index));
            return new TrailIngestor(ingest, publisher, index).run();
        }
    }

    static Report report(EventStore store, ReportSettings settings, Instant asOf, long files, long records, long rejected)
            throws SQLException {
        try (Connection reader = store.reader()) {
            return new ReportService(reader, settings).build(asOf, files, records, rejected);
        }
    }

    /** One pass of the pipeline over files, on the configured Kafka (an embedded broker for the run, or the cluster). */
    static AnalyzeJob.Outcome analyze(AppConfig config, IngestConfig ingest, Instant asOf) throws Exception {
        try (KafkaRuntime k = KafkaRuntime.start(config.kafka(), config.workDir())) {
            return new AnalyzeJob(k.settings(), config.database(), config.report()).run(ingest, asOf);
        }
    }

    /** The access ledger of the database an earlier analyze left. */
    static List<AccessEntry> access(AppConfig config, Instant asOf, String secret, String principal) throws SQLException {
        try (EventStore s = EventStore.open(config.existingDatabase()); Connection c = s.reader()) {
            return new AccessService().ledger(io.secrettrail.analytics.snapshot.Snapshot.at(c, asOf), secret, principal);
        }
    }

    interface PolicyQuery<T> {
        /** @param reader the reader connection the service runs on, for a snapshot of the same data */
        T apply(PolicyService service, Connection reader) throws SQLException;
    }

    /** A question to the policy service over the database an earlier analyze left. */
    static <T> T policy(AppConfig config, PolicyQuery<T> query) throws SQLException {
        try (EventStore s = EventStore.open(config.existingDatabase()); Connection c = s.reader()) {
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
