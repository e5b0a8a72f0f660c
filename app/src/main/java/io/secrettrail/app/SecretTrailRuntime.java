package io.secrettrail.app;

import io.secrettrail.analytics.alerts.AlertLedger;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.Digests;
import io.secrettrail.analytics.alerts.SecurityHubSettings;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.export.ScheduledExport;
import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.Background;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.TrailIngestor;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.AwsFailure;
import io.secrettrail.web.ProbeServer;
import io.secrettrail.web.ProcessProbe;
import io.secrettrail.web.WebServer;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SecretTrail process, wired by hand in one place: {@link #start} builds, in this order,
 * the Kafka clients, the store, the consumer, the sources, the report cache, the alerts and the
 * web server, each only for the {@link Role roles} asked, and {@link #close} closes them in
 * reverse. Every command is its options, then an {@link AppConfig}, then this.
 *
 * <p>This class is the wiring of a long-running process only; the one-shot jobs (analyze, access,
 * policy, a webhook test, generate) are {@link OneShot}'s. It stays a little over our ~300-line guide
 * on purpose: the point of it is that every construction of a long-running process is in view at once.
 */
public final class SecretTrailRuntime implements AutoCloseable {
    /** What a process does: read sources into Kafka, consume Kafka into DuckDB, serve HTTP. */
    public enum Role {
        INGEST,
        ANALYTICS,
        WEB
    }

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
    private BillingRefresh billing;
    private Deliverer deliverer;
    private ScheduledExport export;
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
    static SecretTrailRuntime startOn(AppConfig config, Set<Role> roles, EventStore store, BooleanSupplier caughtUp)
            throws Exception {
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
            rt.buildBilling();
            rt.buildAlerts();
            rt.startReports();
            rt.startExport();
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
            producer = track(KafkaClients.producer(
                    kafka.settings(), roles.contains(Role.ANALYTICS) ? "secrettrail-serve" : "secrettrail-ingest"));
        }
        if (roles.contains(Role.ANALYTICS)) {
            if (!roles.contains(Role.INGEST)) {
                TopicSetup.requireKeptForever(admin, kafka.settings()); // ensure checked it for ingest
            }
            GroupCoordinator.await(admin, GROUP, Duration.ofSeconds(30));
        }
    }

    /** The DuckDB file, for analytics (its only writer) and for a dashboard over what an earlier run left. */
    private void openStore() throws SQLException {
        if (store == null
                && (roles.contains(Role.ANALYTICS) || roles.contains(Role.WEB) && !roles.contains(Role.INGEST))) {
            store = track(OneShot.openStore(config.database(), config.report()));
        }
    }

    private void buildConsumer() {
        if (roles.contains(Role.ANALYTICS)) {
            consuming = track(Consuming.create(
                    kafka.settings(), store, GROUP, config.kafka().maxBatch()));
            health = new ConsumerHealth(
                    admin,
                    consuming.consumer,
                    consuming.thread,
                    kafka.settings().topics(),
                    store,
                    new RetentionWatch(admin, kafka.settings(), config.clock()));
            caughtUp = health::caughtUp;
        }
    }

    /** The publisher, the inventory files given, and the sources: watched directories and AWS. */
    private void buildSources() throws IOException {
        if (!roles.contains(Role.INGEST)) {
            return;
        }
        SecretIndex index = new SecretIndex();
        AppConfig.Ingest in = config.ingest();
        // The inventory source reads a secret's resource policy again once a published event changed it.
        io.secrettrail.ingest.PolicyChanges policyChanges =
                in.aws().inventory().enabled() && in.aws().inventory().policies()
                        ? io.secrettrail.ingest.PolicyChanges.open(
                                config.workDir().resolve("checkpoints").resolve("policy-changes.log"))
                        : io.secrettrail.ingest.PolicyChanges.NONE;
        publisher = new EventPublisher(
                producer, kafka.settings().topics(), new SecretResolver(index), config.clock(), policyChanges);
        if (!in.inventory().isEmpty()) {
            long[] n = new TrailIngestor(
                            new IngestConfig(List.of(), in.inventory(), 1, config.read()), publisher, index)
                    .publishInventory();
            System.err.printf("secrettrail: inventory: %d secrets published, %d rejected%n", n[0], n[1]);
        }
        sources = track(Sources.build(
                config.workDir(),
                in.watch(),
                in.aws(),
                config.read(),
                publisher,
                index,
                policyChanges,
                config.clock()));
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
        if (store != null && (roles.contains(Role.WEB) || config.webhooks().anyDestination())) {
            Instant fixed = config.asOf();
            Supplier<Instant> asOf = fixed != null ? () -> fixed : config.clock()::instant;
            reports = track(new ReportCache(store, config.report(), asOf));
        }
    }

    /**
     * AWS's billing data ({@code aws.billing.*}), imported by the process that owns the store, on the report
     * thread (serialised with the builds), or on a thread of its own when this process builds no reports. Either
     * way in the background: the dashboard listens before the first import has landed, and a failing import is
     * logged and retried, never stopping the process.
     */
    private void buildBilling() {
        if (store == null || !config.ingest().aws().billing().imports()) {
            return;
        }
        Instant fixed = config.asOf();
        billing = new BillingRefresh(config, store, fixed != null ? () -> fixed : config.clock()::instant);
        if (reports != null) {
            reports.beforeTick(billing::tick);
            return;
        }
        onItsOwnThread("billing", "billing import", () -> billing.tick(config.clock()), Duration.ofMinutes(1));
    }

    /**
     * Runs {@code task} at once and then {@code every} after each run ends, on a daemon thread of its own stopped
     * at close. A throw, an Error too, would cancel the schedule: it is logged naming {@code what} and the next run
     * tries again.
     */
    private void onItsOwnThread(String thread, String what, Background.Task task, Duration every) {
        java.util.concurrent.ScheduledExecutorService alone =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "secrettrail-" + thread);
                    t.setDaemon(true);
                    return t;
                });
        track(alone::shutdownNow);
        alone.scheduleWithFixedDelay(
                Background.guarded(log, what, task), 0, every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Alert transitions recorded in the outbox after each report, delivered by their own thread.
     * Recorded only from the first report built once analytics has caught up with Kafka, so a
     * first start on a backlog does not alert on half-loaded data.
     */
    private void buildAlerts() {
        if (reports == null || !config.webhooks().anyDestination()) {
            return;
        }
        AlertLedger ledger = new AlertLedger(store, config.webhooks());
        Digests digests = new Digests(store, config.webhooks());
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
                Instant now = config.clock().instant();
                AlertLedger.Transitions t = ledger.record(r.alerts(), r::teamOf, now);
                // after the alerts: a digest's posture failures include those this report just opened
                digests.run(r, now);
                if (t.opened() + t.closed() > 0) {
                    log.info(
                            "alerts: {} opened, {} cleared, {} deliveries queued, {} suppressed",
                            t.opened(),
                            t.closed(),
                            t.enqueued(),
                            t.suppressed());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("recording alert transitions: " + e.getMessage(), e);
            }
            return true;
        });
        deliverer = track(new Deliverer(store, config.webhooks(), config.clock()).start(Duration.ofSeconds(1)));
        SecurityHubSettings hub = SecurityHubSettings.of(config.settings());
        if (hub != null) {
            track(SecurityHubImport.start(
                    store, hub, AwsClients.create(config.ingest().aws()), config.clock(), Duration.ofSeconds(1)));
        }
    }

    /** The first report is built once the alerts listen to it. */
    private void startReports() {
        if (reports != null) {
            reports.start(Duration.ofSeconds(2), config.clock());
        }
    }

    /**
     * The Parquet export ({@code export.parquet.dir}) of the process that owns the store: on {@code POST
     * /api/v1/export}, and on {@code export.cron}, checked every 15 seconds on a thread of its own so that a long
     * export holds back neither the reports nor the consumer.
     */
    private void startExport() {
        ExportSettings settings = config.export();
        if (store == null || !settings.enabled()) {
            return;
        }
        Instant fixed = config.asOf();
        export = new ScheduledExport(
                settings,
                ScheduledExport.over(store, settings, config.report()),
                fixed != null ? () -> fixed : config.clock()::instant,
                config.clock());
        if (settings.cron() == null) {
            return;
        }
        onItsOwnThread("export", "parquet export", export::tick, Duration.ofSeconds(15));
    }

    /** The dashboard over the store; a process with no store (ingest) serves health and metrics only. */
    private void startWeb() {
        if (!roles.contains(Role.WEB) || config.web() == null) {
            return;
        }
        ProcessProbe probe = ProcessProbes.of(health, admin, publisher, sources, billing);
        if (store != null) {
            webServer = track(WebServer.start(
                    config.web(),
                    new DashboardService(store, reports),
                    config.report().rules(),
                    config.webhooks(),
                    deliverer,
                    probe,
                    export,
                    config.clock()));
        } else {
            probeServer = track(ProbeServer.start(config.web(), probe::readiness, probe::gauges));
        }
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
            if (consuming != null && !consuming.thread.isAlive()
                    || sources != null && sources.runner().fatal() != null) {
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
                System.err.printf(
                        "secrettrail: %s: %s%n", s.name(), AwsFailure.explain(e).message());
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
}
