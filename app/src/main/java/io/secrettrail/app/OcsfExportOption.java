package io.secrettrail.app;

import io.secrettrail.analytics.alerts.OcsfExport;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.store.EventStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code export --ocsf FILE}: the current alarms of the database an earlier analyze (or a stopped serve) left,
 * as OCSF Detection Finding JSON lines. A mixin of the export command, kept apart from its other formats.
 */
final class OcsfExportOption {
    @Option(
            names = "--ocsf",
            paramLabel = "FILE",
            description = "Write the current alarms as OCSF 1.8.0 Detection Finding JSON lines to FILE.")
    Path ocsf;

    /**
     * Builds the report as of {@code at} without writing to the database, and writes its alarms.
     *
     * @return the findings written
     */
    static int run(AppConfig config, Instant at, Path file) throws SQLException, IOException {
        try (EventStore s = OneShot.openForExport(
                        config, "stop serve, or let it append every transition (export.ocsf.file)");
                Connection c = s.reader()) {
            Report r = new ReportService(c, config.report()).build(at, 0, 0, 0, false);
            return OcsfExport.write(r.alerts(), at, file);
        }
    }
}
