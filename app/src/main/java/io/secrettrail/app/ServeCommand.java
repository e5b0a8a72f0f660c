package io.secrettrail.app;

import io.secrettrail.app.SecretTrailRuntime.Role;
import io.secrettrail.ingest.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The long-running process: watched trail directories and AWS sources → Kafka → DuckDB → dashboard and webhooks.
 * SIGTERM stops the sources after their current batch or page, flushes the producer, lets analytics
 * commit what it holds, and closes; a restart resumes from the sources' checkpoints and the
 * offsets stored in DuckDB.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Run continuously: read trail directories and AWS sources, consume into DuckDB, serve the dashboard, send webhooks.")
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    WebOptions web;

    @Mixin
    SettingsOptions settings;

    @Option(
            names = "--watch",
            paramLabel = "DIR",
            description = "A trail directory to watch for new files (repeatable).")
    List<Path> watch = new ArrayList<>();

    @Option(
            names = "--inventory",
            paramLabel = "FILE|DIR",
            description = "list-secrets output, published at start (repeatable).")
    List<Path> inventory = new ArrayList<>();

    @Mixin
    ReadOptions read;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        AppConfig config = ConfigLoader.of(main)
                .kafka(kafka)
                .settings(settings)
                .read(read)
                .web(web, port)
                .sources(watch, inventory, false)
                .load();
        try (Drain drain = Drain.onSigterm("serve")) { // closed last: SIGTERM waits for all of this
            SecretTrailRuntime.Stop stop;
            try (SecretTrailRuntime runtime =
                    SecretTrailRuntime.start(config, EnumSet.of(Role.INGEST, Role.ANALYTICS, Role.WEB))) {
                System.err.printf(
                        "secrettrail: serving on http://%s:%d; sources: %s (SIGTERM to stop)%n",
                        config.web().host(),
                        runtime.port(),
                        runtime.sources().list().stream().map(Source::name).toList());
                System.err.flush();
                stop = runtime.runUntilStopped(drain);
            }
            System.err.println(stopLine(stop.analyticsFailure(), stop.sourcesFailure()));
            return stop.clean() ? 0 : Main.FATAL;
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
