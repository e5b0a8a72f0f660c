package io.secrettrail.app;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.secrettrail.analytics.AnalyticsConsumer;
import io.secrettrail.analytics.ConsumerFactory;
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

    @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE", description = "Rule and price settings (Java properties).")
    java.nio.file.Path config;

    @picocli.CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting; wins over --config.")
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (kafka.embedded()) {
            throw new IllegalArgumentException("analytics runs against an existing cluster: pass --kafka host:port");
        }
        try (KafkaRuntime runtime = KafkaRuntime.start(kafka); EventStore store = EventStore.open(kafka.database())) {
            AnalyticsConsumer consumer = new AnalyticsConsumer(
                    ConsumerFactory.create(runtime.settings(), "secrettrail-analytics"), store, runtime.settings().topics(), maxBatch);
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
            if (port >= 0) {
                java.time.Clock clock = java.time.Clock.systemUTC();
                dashboard = Dashboard.start(store, io.secrettrail.analytics.report.ReportSettings.of(
                        io.secrettrail.analytics.rules.RuleSettings.load(config, set)), web.config(port), clock::instant, clock);
                System.err.printf("secrettrail: dashboard on http://%s:%d%n", web.host, dashboard.port());
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
