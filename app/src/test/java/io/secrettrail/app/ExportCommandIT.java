package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrettrail export --parquet DIR} on a stopped work dir, and the answer it gives when another process holds
 * the database (a second JVM here, as a running serve would).
 */
class ExportCommandIT {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";

    @TempDir
    Path dir;

    private AppFixtures.Run export(String... more) {
        List<String> args = new ArrayList<>(
                List.of("export", "--work-dir", dir.resolve("work").toString()));
        args.addAll(List.of(more));
        return AppFixtures.printed(() -> Main.run(args.toArray(String[]::new)));
    }

    private Path database() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        try (EventStore s = EventStore.open(work.resolve("secrettrail.duckdb"))) {
            AppFixtures.inventoried(s, ARN);
        }
        return work.resolve("secrettrail.duckdb");
    }

    @Test
    void a_stopped_work_dir_is_exported_and_the_files_read_back() throws Exception {
        database();
        Path lake = dir.resolve("lake");
        AppFixtures.Run r = export("--parquet", lake.toString(), "--as-of", "2026-11-21T12:00:00Z");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("exported to " + lake.toAbsolutePath())
                .containsPattern("events\\s+0 rows")
                // no events: the months span asOf's alone, its storage billed from the inventory
                .containsPattern("cost_months\\s+1 rows\\s+1 files");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(total_usd) > 0, count(*) FROM read_parquet('" + lake
                        + "/cost_months/*/*.parquet', hive_partitioning = true) WHERE month = '2026-11'")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
    }

    @Test
    void a_directory_with_a_quote_is_refused_naming_the_flag() throws Exception {
        database();
        AppFixtures.Run r = export("--parquet", dir.resolve("it's").toString());
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("--parquet: ").contains("quotes");
        assertThat(dir.resolve("it's")).doesNotExist();
    }

    @Test
    void a_database_held_by_another_process_says_to_stop_serve_or_use_the_api() throws Exception {
        Path db = database();
        Path holder = Files.writeString(dir.resolve("Hold.java"), """
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + a[0])) {
                            System.out.println("held");
                            System.in.read();
                        }
                    }
                }
                """);
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        holder.toString(),
                        db.toString())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(5), StandardCharsets.UTF_8))
                    .isEqualTo("held\n".substring(0, 5));
            AppFixtures.Run r = export("--parquet", dir.resolve("lake").toString());
            assertThat(r.code()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("held by a running process").contains("stop serve or use POST /api/v1/export");
            AppFixtures.Run o = export("--ocsf", dir.resolve("f.jsonl").toString());
            assertThat(o.code()).isEqualTo(Main.USAGE);
            assertThat(o.err()).contains("held by a running process").contains("export.ocsf.file");
            assertThat(dir.resolve("f.jsonl")).doesNotExist();
        } finally {
            p.getOutputStream().close();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroy();
        }
    }

    @Test
    void ocsf_writes_the_current_alarms_as_detection_finding_lines() throws Exception {
        database();
        Path file = dir.resolve("findings.ocsf.jsonl");
        AppFixtures.Run r = export("--ocsf", file.toString(), "--as-of", "2026-11-21T12:00:00Z");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(file);
        // the inventoried secret never rotates: its posture alarms are the findings, one line each
        assertThat(lines).isNotEmpty();
        assertThat(r.out()).contains("wrote " + lines.size() + " OCSF findings to " + file);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : lines) {
            var f = json.readTree(line);
            assertThat(f.path("class_uid").asInt()).as(line).isEqualTo(2004);
            assertThat(line).contains(ARN);
        }
        assertThat(dir.resolve("lake")).doesNotExist();
    }

    @Test
    void export_without_a_format_is_refused() throws Exception {
        database();
        AppFixtures.Run r = export();
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("--parquet DIR, --ocsf FILE or both");
    }
}
