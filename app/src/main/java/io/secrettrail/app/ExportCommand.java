package io.secrettrail.app;

import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.export.ParquetExporter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Writes the database an earlier analyze left (or a stopped serve's) as Parquet: events, access ledger, rollups,
 * cost months and alerts, for Athena, Trino or any BI tool. A running serve holds the file; it exports on its own
 * ({@code export.cron}, {@code POST /api/v1/export}).
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write <work-dir>/secrettrail.duckdb as Parquet (events, access, rollups, cost_months, alerts),"
                + " partitioned by day or month, under DIR/<table>/; and/or its current alarms as OCSF lines.")
public final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--parquet", paramLabel = "DIR", description = "The Parquet export directory.")
    Path parquet;

    @Mixin
    OcsfExportOption ocsfOption;

    @Option(names = "--as-of", paramLabel = "ISO-8601", description = "Ignore events after this time (default: now).")
    String asOf;

    @Mixin
    KafkaOptions options;

    @Mixin
    SettingsOptions settings;

    @Override
    public Integer call() throws Exception {
        AppConfig config =
                ConfigLoader.of(main).kafka(options).settings(settings).load();
        Instant at =
                asOf != null ? AnalyzeCommand.parseAsOf(asOf) : main.clock().instant();
        if (parquet == null && ocsfOption.ocsf == null) {
            throw new IllegalArgumentException("export: name --parquet DIR, --ocsf FILE or both");
        }
        if (ocsfOption.ocsf != null) {
            int n = OcsfExportOption.run(config, at, ocsfOption.ocsf);
            System.out.printf("wrote %d OCSF findings to %s%n", n, ocsfOption.ocsf);
        }
        if (parquet == null) {
            return 0;
        }
        // the directory is checked as export.parquet.dir is, naming the flag
        ExportSettings export;
        try {
            export = ExportSettings.of(Map.of("export.parquet.dir", parquet.toString()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^export\\.parquet\\.dir", "--parquet"), e);
        }
        print(OneShot.export(config, export, at), System.out);
        return 0;
    }

    /** One line per table: its rows and files. */
    static void print(ParquetExporter.Summary s, PrintStream out) {
        out.printf("exported to %s at %s%n", s.dir(), s.asOf());
        s.tables().forEach((name, t) -> out.printf("  %-12s %9d rows %6d files%n", name, t.rows(), t.files()));
    }
}
