package io.secrettrail.analytics.export;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.access.AccessService;
import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet export read back with DuckDB's read_parquet and compared with what the database answers. */
class ParquetExporterTest extends RuleTestBase {
    private static final ReportSettings SETTINGS = ReportSettings.of(java.util.Map.of("bulk.secrets", "5"));
    private static final String CACHE = arn("us-east-1", "prod/cache");

    @TempDir
    Path tmp;

    /** Events over three days and two months, one after asOf, a bulk retrieval that raises an incident. */
    private void trail() throws Exception {
        fx.inventory(DB, null, true, daysAgo(300), daysAgo(10), null, null, null);
        fx.apiCall("GetSecretValue", DB, daysAgo(40), null);
        fx.apiCall("GetSecretValue", DB, daysAgo(5), null);
        fx.apiCall("GetSecretValue", DB, daysAgo(2), "AccessDenied");
        fx.apiCall("DescribeSecret", CACHE, daysAgo(1), null);
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(3), null);
        fx.apiCall("GetSecretValue", DB, AS_OF.plusSeconds(60), null); // after asOf: not exported
        fx.events(fx.sixReads("intruder", daysAgo(1)));
        try (Connection c = fx.reader()) {
            ReportService.owning(c, SETTINGS).build(AS_OF, 0, 0, 0, false); // stores the detections' incidents
        }
    }

    private ParquetExporter.Summary export(Path dir) throws SQLException {
        try (Connection c = fx.reader()) {
            return new ParquetExporter(SETTINGS).export(c, ExportDir.of(dir), AS_OF);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String glob(Path dir, String table, boolean partitioned) {
        return "read_parquet('" + dir.resolve(table) + (partitioned ? "/*/*.parquet" : "/*.parquet")
                + "', hive_partitioning = true)";
    }

    @Test
    void every_table_is_written_and_its_rows_match_the_database() throws Exception {
        trail();
        Path out = tmp.resolve("lake");
        ParquetExporter.Summary summary = export(out);
        assertThat(summary.tables().keySet()).containsExactlyElementsOf(ParquetExporter.TABLES);
        assertThat(summary.asOf()).isEqualTo(AS_OF);
        try (Connection c = fx.reader()) {
            String ts = "TIMESTAMP '2026-11-21 12:00:00'";
            long events = count(c, "SELECT count(*) FROM events WHERE event_time <= " + ts);
            assertThat(events).isEqualTo(11);
            assertThat(count(c, "SELECT count(*) FROM " + glob(out, "events", true)))
                    .isEqualTo(events);
            assertThat(summary.tables().get("events").rows()).isEqualTo(events);
            // one partition per day with events: 40, 5, 3, 2 and 1 days ago
            assertThat(summary.tables().get("events").files()).isEqualTo(5);
            assertThat(out.resolve("events").resolve("day=2026-11-20")).isDirectory();
            assertThat(count(
                            c,
                            "SELECT count(*) FROM " + glob(out, "events", true)
                                    + " WHERE day = DATE '2026-11-20' AND event_name = 'GetSecretValue'"))
                    .isEqualTo(6);
            assertThat(count(
                            c,
                            "SELECT count(*) FROM " + glob(out, "events", true)
                                    + " WHERE error_code = 'AccessDenied' AND list_contains(secrets, '" + DB + "')"))
                    .isEqualTo(1);

            assertThat(count(c, "SELECT sum(calls) FROM " + glob(out, "rollups", true)))
                    .isEqualTo(count(c, "SELECT sum(calls) FROM rollup_daily WHERE day <= DATE '2026-11-21'"));

            long incidents = count(c, "SELECT count(*) FROM rule_incidents WHERE first_hit <= " + ts);
            assertThat(incidents).isPositive();
            assertThat(count(c, "SELECT count(*) FROM " + glob(out, "alerts", true)))
                    .isEqualTo(incidents);
            assertThat(count(
                            c,
                            "SELECT count(*) FROM " + glob(out, "alerts", true)
                                    + " WHERE rule = 'bulk-retrieval' AND severity IS NOT NULL AND month = '2026-11'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void the_access_ledger_and_the_cost_months_are_the_services_own_figures() throws Exception {
        trail();
        Path out = tmp.resolve("lake");
        export(out);
        try (Connection c = fx.reader()) {
            Snapshot snap = Snapshot.at(c, AS_OF);
            List<AccessEntry> ledger = new AccessService().ledger(snap);
            List<MonthCost> months =
                    new CostService(SETTINGS.prices()).compute(snap).months();
            List<String> exported = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT secret, principal, calls, errors FROM "
                            + glob(out, "access", false) + " ORDER BY secret, principal")) {
                while (rs.next()) {
                    exported.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getLong(4));
                }
            }
            assertThat(exported)
                    .containsExactlyElementsOf(ledger.stream()
                            .map(a -> a.secret() + " " + a.principal() + " " + a.calls() + " " + a.errors())
                            .toList());
            assertThat(months).extracting(MonthCost::month).containsExactly("2026-10", "2026-11");
            for (MonthCost m : months) {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT api_calls, total_usd, closed FROM "
                                + glob(out, "cost_months", true) + " WHERE month = '" + m.month() + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(m.apiCalls());
                    // kept to 20 decimal places: far below a cent, and a BI tool's DECIMAL(38, 20)
                    assertThat(rs.getBigDecimal(2)).isCloseTo(m.totalUsd(), within(new BigDecimal("1e-19")));
                    assertThat(rs.getBoolean(3)).isEqualTo(m.closed());
                    assertThat(rs.next()).isFalse();
                }
            }
            assertThat(months.get(1).totalUsd()).isGreaterThan(BigDecimal.ZERO);
        }
    }

    @Test
    void no_raw_record_or_request_payload_reaches_the_files() throws Exception {
        fx.events(List.of(fx.call("PutResourcePolicy", daysAgo(1))
                .secret(DB)
                .params("{\"secretId\":\"prod/db\",\"resourcePolicy\":\"{\\\"Version\\\":\\\"TOP-SECRET-POLICY\\\"}\"}")
                .json()));
        Path out = tmp.resolve("lake");
        export(out);
        try (Connection c = fx.reader()) {
            List<String> columns = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + glob(out, "events", true))) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            assertThat(columns).contains("event_id", "event_time", "day", "principal", "secrets");
            assertThat(columns).doesNotContain("raw", "request_filters", "resource_policy", "error_message");
        }
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            // besides the Parquet files, only the export's marker, which says what the directory is
            assertThat(all.stream().filter(f -> !f.toString().endsWith(".parquet")))
                    .containsExactly(out.resolve(ParquetExporter.MARKER));
            assertThat(out.resolve(ParquetExporter.MARKER)).content().doesNotContain("TOP-SECRET-POLICY");
            for (Path f :
                    all.stream().filter(f -> f.toString().endsWith(".parquet")).toList()) {
                // zstd could hide the text; read the values back instead of grepping bytes
                try (Connection c = fx.reader();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + f + "')")) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            assertThat(String.valueOf(rs.getObject(i))).doesNotContain("TOP-SECRET-POLICY");
                        }
                    }
                }
            }
        }
    }

    @Test
    void events_after_asof_are_left_out_and_one_at_asof_is_in() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.apiCall("GetSecretValue", DB, AS_OF.plusSeconds(1), null); // one second past asOf
        fx.apiCall("GetSecretValue", DB, AS_OF, null); // at asOf: in
        Path out = tmp.resolve("lake");
        assertThat(export(out).tables().get("events").rows()).isEqualTo(2);
    }

    @Test
    void a_second_export_replaces_the_first_whole_and_leaves_no_temporary_directory() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(5), null);
        Path out = tmp.resolve("lake");
        export(out);
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        assertThat(export(out).tables().get("events").rows()).isEqualTo(2);
        try (Stream<Path> top = Files.list(out)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                                    ParquetExporter.TABLES.stream(), java.util.stream.Stream.of(ParquetExporter.MARKER))
                            .toList());
        }
        try (Connection c = fx.reader()) {
            assertThat(count(c, "SELECT count(*) FROM " + glob(out, "events", true)))
                    .isEqualTo(2);
        }
    }

    @Test
    void a_directory_whose_table_folder_no_export_wrote_is_refused_and_left_alone() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(5), null);
        Path out = tmp.resolve("shared");
        Path theirs = Files.createDirectories(out.resolve("alerts")).resolve("their-data.parquet");
        Files.writeString(theirs, "not ours");
        assertThatThrownBy(() -> export(out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(out.resolve("alerts").toString())
                .hasMessageContaining(ParquetExporter.MARKER);
        assertThat(theirs).hasContent("not ours");
        assertThat(out.resolve("events")).doesNotExist();
        // boundary: a directory of other files, none named as a table, is taken and marked
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve("notes"));
        export(other);
        assertThat(other.resolve(ParquetExporter.MARKER)).exists();
        assertThat(other.resolve("notes")).isDirectory();
        // and a marked directory is exported into again
        assertThat(export(other).tables().get("events").rows()).isEqualTo(1);
    }

    @Test
    void an_empty_store_exports_empty_tables() throws Exception {
        Path out = tmp.resolve("lake");
        ParquetExporter.Summary s = export(out);
        assertThat(s.tables().get("events")).isEqualTo(new ParquetExporter.Table(0, 0));
        assertThat(out.resolve("events")).isEmptyDirectory();
    }

    @Test
    void a_path_with_a_quote_is_refused_before_any_sql_sees_it() throws Exception {
        Path evil = tmp.resolve("x' (FORMAT csv); COPY events TO 'stolen");
        assertThatThrownBy(() -> ExportDir.of(evil))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.parquet.dir")
                .hasMessageContaining("quotes");
        assertThat(evil).doesNotExist();
        assertThatThrownBy(() -> ExportDir.of(tmp.resolve("line\nbreak"))).hasMessageContaining("control");
        assertThatThrownBy(() -> ExportDir.of(tmp.resolve("back\\slash"))).hasMessageContaining("backslashes");
    }

    @Test
    void a_file_where_the_directory_should_be_is_refused_naming_it() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        assertThatThrownBy(() -> ExportDir.of(file)).hasMessageContaining(file.toString());
    }
}
