package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.BilledLines;
import io.secrettrail.analytics.cost.CurReader;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.core.billing.BilledLine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §4 (review H3, H4, L5, M1, M2): a hostile or broken Cost and Usage Report line or file is named (file,
 * line, column) and skipped; the other lines and files are read; nothing unusable is stored, so a report never
 * fails on what was read.
 */
class CurBadInputTest extends RuleTestBase {
    @TempDir
    Path dir;

    static final String HEADER = "identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,"
            + "lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType,"
            + "lineItem/ResourceId,lineItem/UsageAmount,lineItem/UnblendedCost,product/region\n";

    static String line(String period, String amount) {
        return "x1," + period + ",123456789012,Usage,2026-10-01T00:00:00Z,AWSSecretsManager,"
                + "AWSSecretsManager-Secrets,arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3,"
                + amount + ",0.4,us-east-1\n";
    }

    private CurReader.Result read(Path root) throws Exception {
        try (Connection c = fx.reader()) {
            return new CurReader().read(c, List.of(root));
        }
    }

    private static BigDecimal quantity(CurReader.Result r) {
        return r.lines().stream().map(BilledLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void a_billing_period_that_is_not_a_month_is_named_skipped_and_the_report_still_builds() throws Exception {
        Files.writeString(
                dir.resolve("bad.csv"),
                HEADER
                        + line("2026-10-01T00:00:00Z", "1")
                        + line("2026-00-01T00:00:00Z", "1")
                        + line("9999-99-01", "1")
                        + line("garbage", "1"));
        CurReader.Result r = read(dir);

        assertThat(r.errors())
                .containsExactly(
                        "bad.csv: line 3 skipped: bill/BillingPeriodStartDate is not a date of a real month (YYYY-MM...):"
                                + " 2026-00-01T00:00:00Z",
                        "bad.csv: line 4 skipped: bill/BillingPeriodStartDate is not a date of a real month (YYYY-MM...):"
                                + " 9999-99-01",
                        "bad.csv: line 5 skipped: bill/BillingPeriodStartDate is not a date of a real month (YYYY-MM...):"
                                + " garbage");
        assertThat(r.lines()).singleElement().extracting(BilledLine::month).isEqualTo("2026-10");
        fx.store().writeTransaction(w -> BilledLines.replace(w, r.lines(), AS_OF));
        try (Connection c = fx.reader()) {
            assertThat(new ReportService(c, ReportSettings.of(Map.of())).build(AS_OF, 0, 0, 0, false))
                    .isNotNull();
        }
    }

    @Test
    void the_last_and_first_real_months_are_months() throws Exception {
        Files.writeString(
                dir.resolve("edge.csv"),
                HEADER
                        + line("2026-12-01T00:00:00Z", "1")
                        + line("2026-01-01T00:00:00Z", "1")
                        + line("2026-13-01T00:00:00Z", "1"));
        CurReader.Result r = read(dir);

        assertThat(r.lines()).extracting(BilledLine::month).containsExactly("2026-01", "2026-12");
        assertThat(r.errors()).singleElement().asString().startsWith("edge.csv: line 4 skipped:");
    }

    @Test
    void a_non_numeric_amount_names_the_line_and_column_and_keeps_the_other_lines() throws Exception {
        Files.writeString(
                dir.resolve("amt.csv"),
                HEADER
                        + line("2026-10-01T00:00:00Z", "1")
                        + line("2026-10-01T00:00:00Z", "lots")
                        + line("2026-10-01T00:00:00Z", ""));
        CurReader.Result r = read(dir);

        assertThat(r.errors()).containsExactly("amt.csv: line 3 skipped: lineItem/UsageAmount is not a number: lots");
        // an empty amount is 0, as AWS leaves it empty on lines with no usage
        assertThat(r.lines())
                .singleElement()
                .extracting(BilledLine::quantity)
                .isEqualTo(new BigDecimal("1.0000000000"));
    }

    @Test
    void a_line_without_a_line_item_type_is_skipped_not_its_whole_file() throws Exception {
        Files.writeString(
                dir.resolve("type.csv"),
                HEADER
                        + line("2026-10-01T00:00:00Z", "1")
                        + line("2026-10-01T00:00:00Z", "1").replace(",Usage,", ",,"));
        CurReader.Result r = read(dir);

        assertThat(r.errors()).containsExactly("type.csv: line 3 skipped: lineItem/LineItemType is empty");
        assertThat(quantity(r)).isEqualByComparingTo("1");
        assertThat(r.filesRead()).isEqualTo(1);
    }

    @Test
    void a_corrupt_file_is_named_and_the_other_files_are_still_read() throws Exception {
        Files.writeString(dir.resolve("a-junk.parquet"), "this is not parquet");
        Files.writeString(dir.resolve("b-good.csv"), HEADER + line("2026-10-01T00:00:00Z", "1"));
        Files.writeString(dir.resolve("c-good.csv"), HEADER + line("2026-10-01T00:00:00Z", "2"));
        CurReader.Result r;
        try (Connection c = fx.reader()) {
            c.setAutoCommit(false); // a failed statement aborts the transaction the next file is read in
            r = new CurReader().read(c, List.of(dir));
        }

        assertThat(r.errors())
                .singleElement()
                .asString()
                .startsWith("a-junk.parquet: not a readable Cost and Usage Report file: ");
        assertThat(r.filesRead()).isEqualTo(2);
        assertThat(quantity(r)).isEqualByComparingTo("3");
    }

    @Test
    void a_file_name_with_glob_characters_is_read_once_and_alone() throws Exception {
        Files.writeString(dir.resolve("a*.csv"), HEADER + line("2026-10-01T00:00:00Z", "1"));
        Files.writeString(dir.resolve("ab.csv"), HEADER + line("2026-10-01T00:00:00Z", "10"));
        Files.writeString(dir.resolve("a[b].csv"), HEADER + line("2026-10-01T00:00:00Z", "100"));
        Files.writeString(dir.resolve("a?.csv"), HEADER + line("2026-10-01T00:00:00Z", "1000"));
        CurReader.Result r = read(dir);

        assertThat(r.errors()).isEmpty();
        assertThat(r.filesRead()).isEqualTo(4);
        assertThat(quantity(r)).isEqualByComparingTo("1111");
        assertThat(r.lines())
                .extracting(BilledLine::file)
                .containsExactlyInAnyOrder("a*.csv", "a?.csv", "a[b].csv", "ab.csv");
    }

    @Test
    void a_parquet_timestamptz_period_is_read_in_utc_whatever_the_session_time_zone() throws Exception {
        Path p = dir.resolve("cur2.parquet");
        try (Connection c = fx.reader();
                Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'x' AS identity_line_item_id, TIMESTAMPTZ '2026-10-01 00:00:00+00' AS"
                    + " bill_billing_period_start_date, '123456789012' AS line_item_usage_account_id, 'Usage' AS"
                    + " line_item_line_item_type, TIMESTAMPTZ '2026-10-01 00:00:00+00' AS line_item_usage_start_date,"
                    + " 'AWSSecretsManager' AS line_item_product_code, 'AWSSecretsManager-Secrets' AS"
                    + " line_item_usage_type, 'r' AS line_item_resource_id, 1.0 AS line_item_usage_amount, 0.4 AS"
                    + " line_item_unblended_cost, map {'region': 'us-east-1'} AS product, 'us-east-1' AS"
                    + " product_region_code"
                    + " UNION ALL SELECT 'y', TIMESTAMPTZ '2026-10-31 23:59:59+00', '123456789012', 'Usage',"
                    + " TIMESTAMPTZ '2026-10-31 23:59:59+00', 'AWSSecretsManager', 'AWSSecretsManager-Secrets', 's',"
                    + " 1.0, 0.4, map {'region': 'us-east-1'}, 'us-east-1') TO '" + p + "' (FORMAT parquet)");
        }
        for (String zone : List.of("America/Los_Angeles", "Asia/Tokyo", "UTC")) {
            try (Connection c = fx.reader()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TimeZone = '" + zone + "'");
                }
                CurReader.Result r = new CurReader().read(c, List.of(p));
                assertThat(r.lines()).as(zone).extracting(BilledLine::month).containsExactly("2026-10", "2026-10");
                try (Statement s = c.createStatement();
                        var rs = s.executeQuery("SELECT current_setting('TimeZone')")) {
                    rs.next();
                    assertThat(rs.getString(1))
                            .as("the caller's zone is given back")
                            .isEqualTo(zone);
                }
            }
        }
    }
}
