package io.secrettrail.app;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.app.SecretTrailRuntime.Role;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.ingest.IngestConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Generates 40 days of synthetic trail, runs the pipeline on the embedded broker, serves the result. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Generate a synthetic trail, analyze it through the embedded Kafka, and serve the first page on localhost.")
public final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-serve", description = "Write the report and exit instead of serving it.")
    boolean noServe;

    @Mixin
    WebOptions web;

    /**
     * 40 days, so that a new user sees at least one closed month beside the open one (a month is at most 31
     * days), and room for every attack scenario (a bulk retrieval repeats two weeks later).
     */
    static final int DEMO_DAYS = 40;

    /**
     * Secrets Manager events a day: 800 over 40 days writes about as many records as the earlier 2,000 over 16
     * (64,800 against 64,821 at the default seed), so the demo (and the tests that run it) stays as fast.
     */
    static final int DEMO_EVENTS_PER_DAY = 800;

    /**
     * One trail file an hour per account and region, not CloudTrail's one per 5 minutes: the same records (the
     * delivery draws only where each copy lands) in about 3,800 files instead of 36,000, so a new user waits
     * for the analysis, not for the file system.
     */
    static final int DEMO_FILE_MINUTES = 60;

    @Override
    public Integer call() throws Exception {
        Instant end = main.clock().instant().truncatedTo(ChronoUnit.HOURS);
        // the dashboard shows the finished trail as of its end, not the clock's now
        AppConfig config = ConfigLoader.of(main)
                .kafka(kafka)
                .web(web, noServe ? -1 : port)
                .asOf(end)
                .load();
        Path demo = config.workDir().resolve("demo");
        deleteTree(demo); // ours: regenerated on every demo run
        GenerationSummary generated = OneShot.generate(GeneratorConfig.builder()
                .outputDir(demo)
                .end(end)
                .days(DEMO_DAYS)
                .eventsPerDay(DEMO_EVENTS_PER_DAY)
                .fileMinutes(DEMO_FILE_MINUTES)
                .scenarios(true)
                .build());
        IngestConfig ingest = new IngestConfig(
                List.of(generated.trailDir()),
                List.of(generated.inventoryDir()),
                IngestConfig.defaultThreads(),
                1024 * 1024);
        Report report = OneShot.analyze(config, ingest, end).report();
        Path out = config.workDir().resolve("demo-report.json");
        try (OutputStream o = Files.newOutputStream(out)) {
            ReportWriter.json(report, o);
        }
        System.out.printf(
                "report:    %s (%d secrets, %d Secrets Manager events, %d duplicates dropped)%n",
                out,
                report.secrets().size(),
                report.ingest().secretsManagerEvents(),
                report.ingest().duplicates());
        System.out.printf("truth:     %s (what the report must say)%n", generated.truthFile());
        System.out.printf("scenarios: %s (the attacks planted, incident by incident)%n", generated.scenariosFile());
        generated.skippedScenarios().forEach(k -> System.out.printf("skipped:   %s%n", k));
        if (noServe) {
            return 0;
        }
        try (SecretTrailRuntime runtime = SecretTrailRuntime.start(config, EnumSet.of(Role.WEB))) {
            String host = config.web().host();
            System.out.printf(
                    "dashboard: http://%s:%d  (Ctrl-C to stop)%n",
                    host.equals("127.0.0.1") ? "localhost" : host, runtime.port());
            System.out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
