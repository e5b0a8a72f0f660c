package io.secrettrail.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.live.DeadLetters;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.TrailIngestor;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.web.ProcessProbe;

/**
 * The long-running process: watched trail directories and AWS sources → Kafka → DuckDB → dashboard and webhooks.
 * SIGTERM stops the sources after their current batch or page, flushes the producer, lets analytics
 * commit what it holds, and closes; a restart resumes from the sources' checkpoints and the
 * offsets stored in DuckDB.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run continuously: read trail directories and AWS sources, consume into DuckDB, serve the dashboard, send webhooks.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    WebOptions web;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--watch", paramLabel = "DIR", description = "A trail directory to watch for new files (repeatable).")
    List<Path> watch = new ArrayList<>();

    @Option(names = "--inventory", paramLabel = "FILE|DIR", description = "list-secrets output, published at start (repeatable).")
    List<Path> inventory = new ArrayList<>();

    @Mixin
    ReadOptions read;

    @Option(names = "--port", defaultValue = "8080", description = "Dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    private Exception fatalSources;

    @Override
    public Integer call() throws Exception {
        Map<String, String> values = settings.load();
        ReportSettings reportSettings = ReportSettings.of(values);
        WebhookSettings hooks = WebhookSettings.of(values, Set.copyOf(reportSettings.rules().all().stream().map(Rule::id).toList()));
        AwsConfig aws = Sources.config(values, watch);
        io.secrettrail.core.event.ReadLimits limits = read.limits();
        Clock clock = Clock.systemUTC();
        Drain drain = Drain.onSigterm("serve");
        try (KafkaRuntime runtime = KafkaRuntime.start(kafka);
             Admin admin = KafkaClients.admin(runtime.settings());
             EventStore store = EventStore.open(kafka.database(), reportSettings.limits());
             Producer<byte[], byte[]> deadLetters = DeadLetters.producer(runtime.settings(), "secrettrail-analytics-deadletters")) {
            TopicSetup.ensure(admin, runtime.settings(), kafka.replicationFactor, Duration.ofSeconds(60));
            GroupCoordinator.await(admin, "secrettrail-analytics", Duration.ofSeconds(30));
            AnalyticsConsumer consumer = new AnalyticsConsumer(ConsumerFactory.create(runtime.settings(), "secrettrail-analytics"), store,
                    runtime.settings().topics(), AnalyticsConsumer.DEFAULT_MAX_BATCH, DeadLetters.kafka(deadLetters, runtime.settings().topics()));
            Thread loop = new Thread(consumer, "analytics-consumer");
            try (Producer<byte[], byte[]> producer = KafkaClients.producer(runtime.settings(), "secrettrail-serve")) {
                SecretIndex index = new SecretIndex();
                EventPublisher publisher = new EventPublisher(producer, runtime.settings().topics(), new SecretResolver(index));
                if (!inventory.isEmpty()) {
                    long[] n = new TrailIngestor(new IngestConfig(List.of(), inventory, 1, limits), publisher, index).publishInventory();
                    System.err.printf("secrettrail: inventory: %d secrets published, %d rejected%n", n[0], n[1]);
                }
                try (Sources sources = Sources.build(kafka.workDir, watch, aws, limits, publisher, index, clock)) {
                    loop.start();
                    sources.runner().start();
                    ConsumerHealth health = new ConsumerHealth(admin, consumer, loop, runtime.settings().topics(), store);
                    ProcessProbe probe = new ProcessProbe() {
                        @Override
                        public Map<String, Boolean> readiness() {
                            Map<String, Boolean> r = new java.util.LinkedHashMap<>(health.readiness());
                            r.put("producer", !publisher.failed());
                            return r;
                        }

                        @Override
                        public Map<String, Double> gauges() {
                            Map<String, Double> g = new java.util.HashMap<>(health.gauges());
                            g.putAll(sources.gauges());
                            return g;
                        }

                        @Override
                        public List<ProcessProbe.SourceState> sources() {
                            return sources.states();
                        }
                    };
                    try (Dashboard dashboard = Dashboard.start(store, reportSettings, hooks, web.config(port, values), clock::instant, probe,
                            health::caughtUp, clock)) {
                        System.err.printf("secrettrail: serving on http://%s:%d; sources: %s (SIGTERM to stop)%n", web.host, dashboard.port(),
                                sources.list().stream().map(Source::name).toList());
                        System.err.flush();
                        while (!drain.awaitStop(1)) {
                            if (!loop.isAlive() || sources.runner().fatal() != null) {
                                break; // analytics or Kafka failed: stop everything, exit non-zero
                            }
                        }
                        sources.runner().stop();
                        fatalSources = sources.runner().fatal();
                        if (fatalSources == null) {
                            producer.flush();
                        }
                        consumer.shutdown();
                        loop.join(20_000);
                    }
                }
            }
            System.err.println(stopLine(consumer.failure(), fatalSources));
            return consumer.failure() == null && fatalSources == null ? 0 : Main.FATAL;
        } finally {
            drain.close();
        }
    }

    /** The last line serve prints: "stopped cleanly" only when it did. */
    static String stopLine(Throwable analyticsFailure, Exception sourcesFailure) {
        if (analyticsFailure != null) {
            return "secrettrail: stopped: analytics failed: " + Main.message(analyticsFailure)
                    + "; what DuckDB holds is kept and a restart resumes from it once the cause is fixed (exit 1)";
        }
        if (sourcesFailure != null) {
            return "secrettrail: stopped: Kafka refused records: " + Main.message(sourcesFailure)
                    + "; check the cluster, then restart: the sources resume from their checkpoints (exit 1)";
        }
        return "secrettrail: stopped cleanly";
    }
}
