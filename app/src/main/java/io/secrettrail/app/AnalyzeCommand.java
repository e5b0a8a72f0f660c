package io.secrettrail.app;

import io.secrettrail.analytics.report.ReconciliationWriter;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.core.Times;
import io.secrettrail.ingest.IngestConfig;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs the whole pipeline once through Kafka and writes the report. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Ingest a trail (and inventory) through Kafka into DuckDB, then write the report.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--trail",
            required = true,
            paramLabel = "DIR|FILE",
            description = "CloudTrail files or directories (walked recursively); repeatable.")
    List<Path> trails = new ArrayList<>();

    @Option(
            names = "--inventory",
            paramLabel = "FILE|DIR",
            description = "Output of 'aws secretsmanager list-secrets'; repeatable.")
    List<Path> inventories = new ArrayList<>();

    @Option(
            names = "--policies",
            paramLabel = "FILE|DIR",
            description = "Output of 'aws secretsmanager get-resource-policy' (one secret per answer), judged as the"
                    + " secret's current resource policy; repeatable.")
    List<Path> policies = new ArrayList<>();

    @Option(
            names = "--as-of",
            paramLabel = "ISO-8601",
            description = "Report time; events after it are ignored (default: now).")
    String asOf;

    @Option(
            names = "--since",
            paramLabel = "ISO-8601",
            description =
                    "List only the detections' incidents whose last hit is later (posture alarms are all listed).")
    String since;

    @Option(
            names = "--team",
            paramLabel = "NAME[,NAME...]",
            split = ",",
            description = "Only these teams' secrets (see ownership.*; unowned is a team): their secrets, alerts,"
                    + " access, savings and rows of teams, and a cost section computed over their secrets alone;"
                    + " repeatable.")
    List<String> teams = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "FILE|DIR",
            description =
                    "Where to write the report (default: stdout). For --format csv, a directory: secrets.csv, alerts.csv,"
                            + " cost.csv, months.csv, teams.csv (and reconciliation.csv with --cur or --cost-explorer).")
    Path out;

    @Option(names = "--format", defaultValue = "json", description = "json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @picocli.CommandLine.Mixin
    SettingsOptions settings;

    @Option(
            names = "--cur",
            paramLabel = "DIR|FILE|s3://BUCKET/PREFIX",
            description = "AWS Cost and Usage Report exports (CUR 2.0 or legacy; Parquet, CSV, CSV gzip) to reconcile"
                    + " with; an s3:// location is downloaded first (aws.cur.region); repeatable.")
    List<String> cur = new ArrayList<>();

    @Option(
            names = "--cost-explorer",
            paramLabel = "YYYY-MM",
            description =
                    "Ask Cost Explorer (GetCostAndUsage, one query per region of aws.regions) for the billed usage"
                            + " from this month to asOf, to reconcile with.")
    String costExplorer;

    @Option(names = "--threads", description = "Files read in parallel (default: cores, at most 4).")
    Integer threads;

    @Mixin
    ReadOptions read;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("json") && !format.equals("csv")) {
            throw new IllegalArgumentException("--format must be json or csv, was " + format);
        }
        if (format.equals("csv") && out == null) {
            throw new IllegalArgumentException("--format csv needs --out DIR");
        }
        Instant at = asOf == null ? main.clock().instant() : parseAsOf(asOf);
        Instant from = since == null ? null : parseTime("--since", since);
        java.util.Set<String> only = new java.util.TreeSet<>();
        for (String t : teams) {
            only.add(Ownership.teamName("--team", t.strip()));
        }
        AppConfig config =
                ConfigLoader.of(main).kafka(kafka).settings(settings).read(read).load();
        IngestConfig ingest = new IngestConfig(
                trails,
                inventories,
                policies,
                threads == null ? IngestConfig.defaultThreads() : threads,
                config.read());
        requireExisting(trails);
        AnalyzeJob.Outcome outcome =
                OneShot.analyze(config, ingest, at, new BillingImport(cur, month(costExplorer)), only);
        Report report = from == null ? outcome.report() : outcome.report().detectionsSince(from);
        if (!only.isEmpty() && (cur != null || costExplorer != null)) {
            System.err.println(
                    "secrettrail: --team " + String.join(",", only) + ": AWS's billing data is per account, not"
                            + " per team, so this report has no reconciliation; run without --team for it");
        }
        write(report);
        Report.IngestCounts c = outcome.report().ingest();
        System.err.printf(
                "secrettrail: %d files, %d records, %d Secrets Manager events (%d duplicates), %d rejected, %d secrets%s%n",
                c.files(),
                c.records(),
                c.secretsManagerEvents(),
                c.duplicates(),
                c.rejected(),
                outcome.report().secrets().size(),
                out == null ? "" : "; report in " + out);
        return 0;
    }

    /** Every trail path exists, or the first missing one is the error. */
    static void requireExisting(List<Path> trails) throws java.nio.file.NoSuchFileException {
        for (Path t : trails) {
            if (!Files.exists(t)) {
                throw new java.nio.file.NoSuchFileException(t.toString());
            }
        }
    }

    private static java.time.YearMonth month(String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.YearMonth.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--cost-explorer: expected a month such as 2026-10, was " + text);
        }
    }

    static Instant parseAsOf(String text) {
        return parseTime("--as-of", text);
    }

    static Instant parseTime(String option, String text) {
        try {
            return Times.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    option + ": expected an ISO-8601 time such as 2026-11-21T12:00:00Z, was " + text);
        }
    }

    private void write(Report report) throws java.io.IOException {
        if (format.equals("csv")) {
            Files.createDirectories(out);
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("secrets.csv"), StandardCharsets.UTF_8)) {
                ReportWriter.secretsCsv(report, w);
            }
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("alerts.csv"), StandardCharsets.UTF_8)) {
                ReportWriter.alertsCsv(report, w);
            }
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("cost.csv"), StandardCharsets.UTF_8)) {
                ReportWriter.costCsv(report, w);
            }
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("months.csv"), StandardCharsets.UTF_8)) {
                ReportWriter.monthsCsv(report, w);
            }
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("teams.csv"), StandardCharsets.UTF_8)) {
                ReportWriter.teamsCsv(report, w);
            }
            if (report.cost() != null && report.cost().reconciliation() != null) {
                try (BufferedWriter w =
                        Files.newBufferedWriter(out.resolve("reconciliation.csv"), StandardCharsets.UTF_8)) {
                    ReconciliationWriter.csv(report.cost().reconciliation(), w);
                }
            }
            return;
        }
        if (out == null) {
            ReportWriter.json(report, new NonClosing(System.out));
            System.out.flush();
            return;
        }
        Main.createParent(out);
        try (OutputStream o = Files.newOutputStream(out)) {
            ReportWriter.json(report, o);
        }
    }

    /** stdout must stay open after the report is written. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
