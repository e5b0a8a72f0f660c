package io.secrettrail.app;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.core.Money;
import io.secrettrail.ingest.IngestConfig;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Prints one month's Secrets Manager bill: from the DuckDB file an earlier {@code analyze} left in the work
 * dir (read only, like {@code access}), or, with {@code --trail}, from a fresh run like {@code analyze}'s.
 */
@Command(
        name = "cost",
        mixinStandardHelpOptions = true,
        description = "Print a month's bill (default: the open month, asOf's) from <work-dir>/secrettrail.duckdb, "
                + "or from --trail/--inventory like analyze.")
public final class CostCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The month (default: asOf's, the open one).")
    String month;

    @Option(
            names = "--by",
            paramLabel = "DIMENSION",
            description = "secret, account, region, tag or principal (default: account for the table; "
                    + "every breakdown for json and csv).")
    String by;

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--trail",
            paramLabel = "DIR|FILE",
            description = "Run on these CloudTrail files first, like analyze; repeatable.")
    List<Path> trails = new ArrayList<>();

    @Option(names = "--inventory", paramLabel = "FILE|DIR", description = "With --trail: list-secrets output.")
    List<Path> inventories = new ArrayList<>();

    @Option(names = "--as-of", paramLabel = "ISO-8601", description = "Ignore events after this time (default: now).")
    String asOf;

    @Mixin
    SettingsOptions settings;

    @Mixin
    ReadOptions read;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        if (!List.of("table", "json", "csv").contains(format)) {
            throw new IllegalArgumentException("--format must be table, json or csv, was " + format);
        }
        if (by != null && !MonthCost.DIMENSIONS.contains(by)) {
            throw new IllegalArgumentException(
                    "--by must be one of " + String.join(", ", MonthCost.DIMENSIONS) + ", was " + by);
        }
        if (trails.isEmpty() && !inventories.isEmpty()) {
            throw new IllegalArgumentException(
                    "--inventory needs --trail (without it, cost reads the work dir's database)");
        }
        Instant at = asOf == null ? main.clock().instant() : AnalyzeCommand.parseAsOf(asOf);
        AppConfig config =
                ConfigLoader.of(main).kafka(kafka).settings(settings).read(read).load();
        CostReport cost;
        if (trails.isEmpty()) {
            cost = OneShot.cost(config, at);
        } else {
            AnalyzeCommand.requireExisting(trails);
            System.err.println("secrettrail: analysing " + trails.size() + " trail path(s)...");
            IngestConfig ingest = new IngestConfig(trails, inventories, IngestConfig.defaultThreads(), config.read());
            cost = OneShot.analyze(config, ingest, at).report().cost();
        }
        MonthCost m = pick(cost.months(), month == null ? cost.month() : month);
        System.err.printf("secrettrail: %s, %s, as of %s%n", m.month(), m.closed() ? "closed" : "open", at);
        write(m, System.out);
        System.out.flush();
        return 0;
    }

    /** The month asked for, or an error listing the months the data holds. */
    static MonthCost pick(List<MonthCost> months, String name) {
        for (MonthCost m : months) {
            if (m.month().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--month " + name + ": no such month in the data; the months are "
                + String.join(", ", months.stream().map(MonthCost::month).toList()));
    }

    private void write(MonthCost m, PrintStream out) throws IOException {
        switch (format) {
            case "json" -> ReportWriter.monthJson(m, dimensions(), new AnalyzeCommand.NonClosing(out));
            case "csv" -> {
                Writer w = new OutputStreamWriter(new AnalyzeCommand.NonClosing(out), StandardCharsets.UTF_8);
                ReportWriter.monthCsv(m, dimensions(), w);
                w.flush();
            }
            default -> table(m, by == null ? "account" : by, out);
        }
    }

    private List<String> dimensions() {
        return by == null ? MonthCost.DIMENSIONS : List.of(by);
    }

    /** The month's figures, then one line per key of the dimension; every cell on one line. */
    static void table(MonthCost m, String dimension, PrintStream out) {
        out.printf("Month %s (%s)%n", m.month(), m.closed() ? "closed" : "open, to date");
        out.printf("  secrets      $%s%n", Money.display(m.secretsUsd()));
        out.printf(
                "  API calls    $%s (%d calls, %d unattributed)%n",
                Money.display(m.apiCallsUsd()), m.apiCalls(), m.unattributedCalls());
        if (m.kmsUsd() != null) {
            out.printf(
                    "  KMS          $%s (%d requests, key fees included; free tier up to $%s apart)%n",
                    Money.display(m.kmsUsd()), m.kmsRequests(), Money.display(m.kmsFreeTierUsd()));
        }
        out.printf("  total        $%s%n", Money.display(m.totalUsd()));
        if (!m.closed()) {
            out.printf("  projected    $%s%n", Money.display(m.projectedUsd()));
        }
        if (m.events() == 0) {
            out.println("  (no events stored for this month: its calls are unknown, its storage is billed)");
        }
        out.println();
        out.printf(
                "%-90s %12s %12s %12s %12s%n",
                dimension.toUpperCase(java.util.Locale.ROOT),
                "CALLS",
                "USD",
                m.closed() ? "" : "PROJECTED",
                m.kmsUsd() == null ? "" : "KMS USD");
        for (MonthCost.Line l : m.lines(dimension)) {
            out.printf(
                    "%-90s %12s %12s %12s %12s%n",
                    AccessCommand.clean(l.key()),
                    Money.quantity(l.calls()),
                    Money.display(l.usd()),
                    l.projectedUsd() == null ? "" : Money.display(l.projectedUsd()),
                    l.kmsUsd() == null ? "" : Money.display(l.kmsUsd()));
        }
        if (m.lines(dimension).isEmpty()) {
            out.println("(none)");
        }
    }
}
