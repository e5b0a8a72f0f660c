package io.secrettrail.app;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.store.EventStore;

/**
 * Consumes the topics into the DuckDB file until stopped (SIGTERM or Ctrl-C): the analytics half
 * of the pipeline as its own process. Resumes from the offsets stored in DuckDB.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true,
        description = "Consume the events and inventory topics into <work-dir>/secrettrail.duckdb until stopped.")
public final class AnalyticsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @picocli.CommandLine.Option(names = "--max-batch", defaultValue = "30000",
            description = "Messages per DuckDB transaction at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @picocli.CommandLine.Option(names = "--port", defaultValue = "-1",
            description = "Serve the dashboard on this port while consuming (0 picks a free one; default: no dashboard).")
    int port;

    @Mixin
    WebOptions web;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        if (kafka.embedded()) {
            throw new IllegalArgumentException("analytics runs against an existing cluster: pass --kafka host:port");
        }
        // settings first: the store is opened with their bounds (names.maxUnconfirmed, ledger.topClients)
        java.util.Map<String, String> settings = options.load();
        var reportSettings = io.secrettrail.analytics.report.ReportSettings.of(settings);
        try (KafkaRuntime runtime = KafkaRuntime.start(kafka); EventStore store = EventStore.open(kafka.database(), reportSettings.limits());
             var deadLetters = io.secrettrail.analytics.live.DeadLetters.producer(runtime.settings(), "secrettrail-analytics-deadletters")) {
            AnalyticsConsumer consumer = new AnalyticsConsumer(ConsumerFactory.create(runtime.settings(), "secrettrail-analytics"), store,
                    runtime.settings().topics(), maxBatch, io.secrettrail.analytics.live.DeadLetters.kafka(deadLetters, runtime.settings().topics()));
            Thread loop = new Thread(consumer, "analytics-consumer");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.shutdown();
                try {
                    loop.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "analytics-shutdown"));
            System.err.println("secrettrail: analytics consuming into " + kafka.database() + " (SIGTERM to stop)");
            loop.start();
            Dashboard dashboard = null;
            var hooks = io.secrettrail.analytics.alerts.WebhookSettings.of(settings,
                    java.util.Set.copyOf(reportSettings.rules().all().stream().map(r -> r.id()).toList()));
            if (port >= 0 || !hooks.webhooks().isEmpty()) {
                java.time.Clock clock = java.time.Clock.systemUTC();
                org.apache.kafka.clients.admin.Admin admin = io.secrettrail.ingest.KafkaClients.admin(runtime.settings());
                ConsumerHealth health = new ConsumerHealth(admin, consumer, loop, runtime.settings().topics(), store);
                dashboard = Dashboard.start(store, reportSettings, hooks, port >= 0 ? web.config(port, settings) : null, clock::instant,
                        health, health::caughtUp, clock);
                if (port >= 0) {
                    System.err.printf("secrettrail: dashboard on http://%s:%d%n", web.host, dashboard.port());
                }
                hooks.webhooks().forEach(w -> System.err.printf("secrettrail: webhook %s (%s) -> %s%n", w.name(), w.format(), w.maskedUrl()));
            }
            try {
                loop.join();
            } finally {
                if (dashboard != null) {
                    dashboard.close();
                }
            }
            return consumer.failure() == null ? 0 : Main.FATAL;
        }
    }
}
