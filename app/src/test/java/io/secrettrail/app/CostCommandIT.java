package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.cost.MonthCost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrettrail cost} (issue 15 §3) on the golden trail: an analyze leaves its DuckDB file, and every month's
 * bill the command prints from that file (read only) is the report's {@code cost.months[]} entry.
 */
class CostCommandIT {
    static final Path GOLDEN = GoldenReportIT.GOLDEN;
    static final String AS_OF = GoldenReportIT.AS_OF;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static JsonNode report;

    private static List<String> trail() {
        return GoldenReportIT.inputs();
    }

    @BeforeAll
    static void analyze() throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--kafka", KAFKA.bootstrap(), "--work-dir", work()));
        args.addAll(trail());
        args.addAll(List.of("--out", dir.resolve("report.json").toString()));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        report = ReportAssert.JSON.readTree(dir.resolve("report.json").toFile());
    }

    private static String work() {
        return dir.resolve("work").toString();
    }

    record Run(int code, String out, String err) {}

    private static Run cost(String... more) {
        List<String> args = new ArrayList<>(List.of("cost", "--work-dir", work(), "--as-of", AS_OF));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static JsonNode reportMonth(String month) {
        for (JsonNode m : report.get("cost").get("months")) {
            if (m.get("month").asText().equals(month)) {
                return m;
            }
        }
        throw new AssertionError("no month " + month + " in the report");
    }

    private static String field(String dimension) {
        return "by" + Character.toUpperCase(dimension.charAt(0)) + dimension.substring(1);
    }

    @Test
    void json_of_a_closed_and_of_the_open_month_is_the_reports_entry() throws Exception {
        Run closed = cost("--month", "2026-10", "--format", "json");
        assertThat(closed.code()).isZero();
        assertThat(ReportAssert.JSON.readTree(closed.out())).isEqualTo(reportMonth("2026-10"));
        Run open = cost("--format", "json");
        assertThat(ReportAssert.JSON.readTree(open.out())).isEqualTo(reportMonth("2026-11"));
        assertThat(open.err()).contains("2026-11, open");
        assertThat(open.out()).doesNotContain("secrettrail:");
    }

    @Test
    void json_by_one_dimension_holds_only_that_breakdown() throws Exception {
        for (String d : MonthCost.DIMENSIONS) {
            JsonNode doc = ReportAssert.JSON.readTree(
                    cost("--format", "json", "--by", d).out());
            assertThat(doc.get(field(d))).as(d).isEqualTo(reportMonth("2026-11").get(field(d)));
            MonthCost.DIMENSIONS.stream()
                    .filter(o -> !o.equals(d))
                    .forEach(o -> assertThat(doc.has(field(o))).as(o).isFalse());
        }
    }

    @Test
    void the_table_lists_every_key_of_each_dimension() {
        JsonNode nov = reportMonth("2026-11");
        for (String d : MonthCost.DIMENSIONS) {
            Run r = cost("--by", d);
            assertThat(r.code()).as(d).isZero();
            assertThat(r.out()).startsWith("Month 2026-11 (open, to date)");
            assertThat(r.out())
                    .containsPattern(
                            "(?m)^" + d.toUpperCase(java.util.Locale.ROOT) + " +CALLS +USD +PROJECTED +KMS USD$");
            nov.get(field(d))
                    .forEach(l -> assertThat(r.out()).as(d).contains(l.get(d).asText()));
            // the figures, two decimals from $1 and four under it
            assertThat(r.out()).contains("total        $16.49").contains("projected    $25.03");
        }
        assertThat(cost("--month", "2026-10").out())
                .startsWith("Month 2026-10 (closed)")
                .contains("(no events stored for this month")
                .doesNotContain("PROJECTED");
    }

    @Test
    void csv_has_a_total_row_then_a_row_per_line_with_display_money() {
        Run r = cost("--format", "csv", "--by", "principal");
        List<String> rows = r.out().lines().toList();
        JsonNode principals = reportMonth("2026-11").get("byPrincipal");
        assertThat(rows.get(0)).isEqualTo("month,closed,dimension,key,calls,usd,projectedUsd,kmsRequests,kmsUsd");
        // the total includes the month's 91 KMS requests ($0.0003)
        assertThat(rows.get(1)).isEqualTo("2026-11,false,total,all,986,16.49,25.03,91,0.0003");
        assertThat(rows).hasSize(2 + principals.size());
        // a principal's few calls cost under a cent: four decimals, not 0.00
        assertThat(rows.subList(2, rows.size()))
                .allSatisfy(row -> assertThat(row).matches(".*,\\d+,0\\.\\d{4},,,$")); // no KMS for a principal
        Run all = cost("--format", "csv");
        long lines = MonthCost.DIMENSIONS.stream()
                .mapToLong(d -> reportMonth("2026-11").get(field(d)).size())
                .sum();
        assertThat(all.out().lines()).hasSize((int) (2 + lines));
    }

    @Test
    void an_unknown_month_is_an_error_listing_the_months() {
        Run r = cost("--month", "2026-12");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("--month 2026-12: no such month")
                .contains("2024-07, 2024-08")
                .contains("2026-11");
        assertThat(r.out()).isEmpty();
        assertThat(cost("--by", "team").err()).contains("--by must be one of secret, account, region, tag, principal");
        assertThat(cost("--format", "xml").code()).isEqualTo(2);
        assertThat(Main.run("cost", "--work-dir", dir.resolve("nowhere").toString()))
                .isEqualTo(2);
    }

    @Test
    void with_a_trail_it_runs_like_analyze() throws Exception {
        List<String> args =
                new ArrayList<>(List.of("--kafka", KAFKA.bootstrap(), "--format", "json", "--month", "2026-10"));
        args.addAll(trail());
        List<String> full = new ArrayList<>(
                List.of("cost", "--work-dir", dir.resolve("fresh").toString()));
        full.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(full.toArray(String[]::new))).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(ReportAssert.JSON.readTree(out.toByteArray())).isEqualTo(reportMonth("2026-10"));
    }
}
