package io.secrettrail.app;

import io.secrettrail.app.SecretTrailRuntime.Role;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Consumes the topics into the DuckDB file until stopped (SIGTERM or Ctrl-C): the analytics half
 * of the pipeline as its own process. Resumes from the offsets stored in DuckDB.
 */
@Command(
        name = "analytics",
        mixinStandardHelpOptions = true,
        description = "Consume the events and inventory topics into <work-dir>/secrettrail.duckdb until stopped.")
public final class AnalyticsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--max-batch",
            defaultValue = "30000",
            description = "Messages per DuckDB transaction at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--port",
            defaultValue = "-1",
            description =
                    "Serve the dashboard on this port while consuming (0 picks a free one; default: no dashboard).")
    int port;

    @Mixin
    WebOptions web;

    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        // settings first: the store is opened with their bounds (names.maxUnconfirmed, ledger.topClients)
        AppConfig config = ConfigLoader.of(main)
                .kafka(kafka)
                .settings(options)
                .web(web, port)
                .maxBatch(maxBatch)
                .load();
        if (config.kafka().embedded()) {
            throw new IllegalArgumentException("analytics runs against an existing cluster: pass --kafka host:port");
        }
        EnumSet<Role> roles = port >= 0 ? EnumSet.of(Role.ANALYTICS, Role.WEB) : EnumSet.of(Role.ANALYTICS);
        try (Drain drain = Drain.onSigterm("analytics")) {
            SecretTrailRuntime.Stop stop;
            try (SecretTrailRuntime runtime = SecretTrailRuntime.start(config, roles)) {
                System.err.println("secrettrail: analytics consuming into " + config.database() + " (SIGTERM to stop)");
                if (port >= 0) {
                    System.err.printf(
                            "secrettrail: dashboard on http://%s:%d%n",
                            config.web().host(), runtime.port());
                }
                config.webhooks()
                        .webhooks()
                        .forEach(w -> System.err.printf(
                                "secrettrail: webhook %s (%s) -> %s%n", w.name(), w.format(), w.maskedUrl()));
                stop = runtime.runUntilStopped(drain);
            }
            return stop.analyticsFailure() == null ? 0 : Main.FATAL;
        }
    }
}
