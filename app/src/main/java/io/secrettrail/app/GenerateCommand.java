package io.secrettrail.app;

import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Writes a realistic synthetic trail, its list-secrets inventory, and the report it must give. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write a synthetic CloudTrail trail (S3 layout, gzip), an inventory and truth.json.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(
            names = "--days",
            defaultValue = "7",
            description = "Days of events before --end (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--secrets", defaultValue = "60", description = "Secrets (default: ${DEFAULT-VALUE}).")
    int secrets;

    @Option(
            names = "--events-per-day",
            defaultValue = "2000",
            description = "Secrets Manager events per day (default: ${DEFAULT-VALUE}).")
    int eventsPerDay;

    @Option(
            names = "--noise-ratio",
            defaultValue = "0.5",
            description = "Share of records from other services (default: ${DEFAULT-VALUE}).")
    double noiseRatio;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed: same seed, same trail (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--end",
            paramLabel = "ISO-8601",
            description = "Events end before this time (default: now, to the hour).")
    String end;

    @Option(
            names = "--scenarios",
            description = "Plant attack scenarios and write their truth to scenarios.json (default: off;"
                    + " scenarios that do not fit the trail's days are skipped and listed).")
    boolean scenarios;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Instant e = end == null ? main.clock().instant().truncatedTo(ChronoUnit.HOURS) : AnalyzeCommand.parseAsOf(end);
        GenerationSummary s = OneShot.generate(GeneratorConfig.builder()
                .outputDir(out)
                .days(days)
                .secrets(secrets)
                .eventsPerDay(eventsPerDay)
                .noiseRatio(noiseRatio)
                .seed(seed)
                .end(e)
                .scenarios(scenarios)
                .build());
        System.out.printf(
                "trail:      %s (%d files, %d records, %d Secrets Manager events, %d duplicates)%n",
                s.trailDir(), s.files(), s.records(), s.secretsManagerEvents(), s.duplicates());
        System.out.printf("inventory:  %s%ntruth:      %s%nas of:      %s%n", s.inventoryDir(), s.truthFile(), e);
        if (s.scenariosFile() != null) {
            System.out.printf("scenarios:  %s%n", s.scenariosFile());
        }
        s.skippedScenarios().forEach(k -> System.out.printf("skipped:    %s%n", k));
        return 0;
    }
}
