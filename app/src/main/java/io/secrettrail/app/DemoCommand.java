package io.secrettrail.app;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.web.WebConfig;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;

/** Generates a week of synthetic trail, runs the pipeline on the embedded broker, serves the result. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a synthetic trail, analyze it through the embedded Kafka, and serve the first page on localhost.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--port", defaultValue = "8080", description = "Dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-serve", description = "Write the report and exit instead of serving it.")
    boolean noServe;

    @picocli.CommandLine.Mixin
    WebOptions web;

    private final Clock clock;

    public DemoCommand() {
        this(Clock.systemUTC());
    }

    DemoCommand(Clock clock) {
        this.clock = clock;
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

    @Override
    public Integer call() throws Exception {
        Instant end = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Path demo = kafka.workDir.resolve("demo");
        deleteTree(demo); // ours: regenerated on every demo run
        var generated = new TrailGenerator(GeneratorConfig.defaults(demo, end)).generate();
        Report report;
        try (KafkaRuntime runtime = KafkaRuntime.start(kafka)) {
            IngestConfig ingest = new IngestConfig(List.of(generated.trailDir()), List.of(generated.inventoryDir()),
                    IngestConfig.defaultThreads(), 1024 * 1024);
            report = new AnalyzeJob(runtime.settings(), kafka.database()).run(ingest, end).report();
        }
        Path out = kafka.workDir.resolve("demo-report.json");
        try (OutputStream o = Files.newOutputStream(out)) {
            ReportWriter.json(report, o);
        }
        System.out.printf("report:    %s (%d secrets, %d Secrets Manager events, %d duplicates dropped)%n", out,
                report.secrets().size(), report.ingest().secretsManagerEvents(), report.ingest().duplicates());
        System.out.printf("truth:     %s (what the report must say)%n", generated.truthFile());
        if (noServe) {
            return 0;
        }
        WebConfig config = web.config(port);
        try (EventStore store = EventStore.open(kafka.database());
             Dashboard dashboard = Dashboard.start(store, ReportSettings.defaults(),
                     io.secrettrail.analytics.alerts.WebhookSettings.none(), config, () -> end, clock)) {
            System.out.printf("dashboard: http://%s:%d  (Ctrl-C to stop)%n", config.host().equals("127.0.0.1") ? "localhost" : config.host(),
                    dashboard.port());
            System.out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
