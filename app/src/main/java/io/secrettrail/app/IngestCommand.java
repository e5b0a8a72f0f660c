package io.secrettrail.app;

import io.secrettrail.app.SecretTrailRuntime.Role;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.SourceRunner;
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
 * Sources → Kafka, nothing else: the part that scales out. Several ingest processes (each with its
 * own work directory, so its own checkpoints, and its own accounts or directories) can feed one
 * cluster while a single {@code analytics} process owns the DuckDB file. {@code --once} makes one
 * pass of every source and exits (for cron, and to backfill).
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description =
                "Read trail directories and AWS sources (S3 trail, LookupEvents, ListSecrets) into Kafka, continuously or --once.")
public final class IngestCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SettingsOptions settings;

    @Option(
            names = "--watch",
            paramLabel = "DIR",
            description = "A trail directory to watch for new files (repeatable).")
    List<Path> watch = new ArrayList<>();

    @Mixin
    ReadOptions read;

    @Option(names = "--once", description = "One pass of every source, then exit (0 when every pass succeeded).")
    boolean once;

    @Mixin
    WebOptions web;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description =
                    "Serve /health/live, /health/ready and /metrics on this port (0 picks a free one; default: none).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        boolean probes = port != null && !once;
        AppConfig config = ConfigLoader.of(main)
                .kafka(kafka)
                .settings(settings)
                .read(read)
                .web(web, probes ? port : -1)
                .sources(watch, List.of(), once)
                .load();
        try (Drain drain = Drain.onSigterm("ingest");
                SecretTrailRuntime runtime = SecretTrailRuntime.start(
                        config, probes ? EnumSet.of(Role.INGEST, Role.WEB) : EnumSet.of(Role.INGEST))) {
            List<String> names =
                    runtime.sources().list().stream().map(Source::name).toList();
            if (once) {
                System.err.printf("secrettrail: one pass of %s%n", names);
                int failed = runtime.onePass(drain);
                runtime.publisher().flush();
                System.out.printf(
                        "{\"sources\":%d,\"failed\":%d,\"messages\":%d,\"deadLetters\":%d}%n",
                        names.size(),
                        failed,
                        runtime.publisher().messages(),
                        runtime.publisher().deadLetters());
                return failed == 0 ? 0 : Main.FATAL;
            }
            if (probes) {
                System.err.printf(
                        "secrettrail: health and metrics on http://%s:%d%n",
                        config.web().host(), runtime.port());
            }
            System.err.printf(
                    "secrettrail: ingesting from %s into %s (SIGTERM to stop)%n",
                    names, runtime.kafka().bootstrapServers());
            System.err.flush();
            SecretTrailRuntime.Stop stop = runtime.runUntilStopped(drain);
            if (stop.sourcesFailure() != null) {
                System.err.println(ServeCommand.stopLine(null, stop.sourcesFailure()));
                return Main.FATAL;
            }
            runtime.publisher().flush();
            for (SourceRunner.Stats s : runtime.sources().runner().stats()) {
                System.err.printf(
                        "secrettrail: %s: %d records in %d passes, %d failures%n",
                        s.name(), s.records(), s.passes(), s.failures());
            }
            System.err.println("secrettrail: stopped cleanly");
            return 0;
        }
    }
}
