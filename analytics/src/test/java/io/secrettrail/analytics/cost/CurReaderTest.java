package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.billing.BilledLine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §4: Cost and Usage Report exports are read by their column names, whatever the file type; only the
 * Secrets Manager and KMS lines are kept, summed, with non-usage lines kept as what they are; a file that is not
 * an export is named with the columns it lacks, and the others are still read.
 */
class CurReaderTest {
    @TempDir
    static Path dir;

    static final String DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3";

    @BeforeAll
    static void fixtures() throws Exception {
        CurFixtures.write(dir);
    }

    private static CurReader.Result read(Path... roots) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            return new CurReader().read(c, List.of(roots));
        }
    }

    private static BilledLine line(CurReader.Result r, String usageType, String lineItemType) {
        List<BilledLine> found = r.lines().stream()
                .filter(l -> l.usageType().equals(usageType) && l.lineItemType().equals(lineItemType))
                .toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void a_cur2_parquet_export_gives_its_secrets_manager_and_kms_lines_summed_and_nothing_else() throws Exception {
        CurReader.Result r = read(dir.resolve("cur2/match"));

        assertThat(r.errors()).isEmpty();
        assertThat(r.filesRead()).isEqualTo(1);
        assertThat(r.lines()).extracting(BilledLine::service).containsOnly("secretsmanager", "kms");
        BilledLine storage = line(r, "AWSSecretsManager-Secrets", "Usage");
        assertThat(storage.source()).isEqualTo("cur2");
        assertThat(storage.file()).isEqualTo("data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet");
        assertThat(storage.month()).isEqualTo("2026-10");
        assertThat(storage.account()).isEqualTo("123456789012");
        assertThat(storage.region()).isEqualTo("us-east-1");
        assertThat(storage.usageKind()).isEqualTo("secrets");
        assertThat(storage.resourceId()).isEqualTo(DB);
        // two daily halves of 0.5 secret-month, $0.20 each: the digits AWS wrote, not a double's
        assertThat(storage.quantity()).isEqualByComparingTo("1");
        assertThat(storage.unblendedUsd()).isEqualByComparingTo("0.40");
        assertThat(storage.netUsd()).isEqualByComparingTo("0.40");
        BilledLine calls = line(r, "AWSSecretsManagerAPIRequest", "Usage");
        assertThat(calls.usageKind()).isEqualTo("api-requests");
        assertThat(calls.unblendedUsd()).isEqualByComparingTo("0.00005");
        assertThat(line(r, "us-east-1-KMS-Requests", "Usage").usageKind()).isEqualTo("kms-requests");
        BilledLine tax = line(r, "AWSSecretsManager-Secrets", "Tax");
        assertThat(tax.usage()).isFalse();
        assertThat(tax.unblendedUsd()).isEqualByComparingTo("0.03");
    }

    @Test
    void a_legacy_csv_gz_export_gives_the_same_lines_without_a_net_figure() throws Exception {
        CurReader.Result r = read(dir.resolve("legacy/match"));

        assertThat(r.errors()).isEmpty();
        BilledLine storage = line(r, "AWSSecretsManager-Secrets", "Usage");
        assertThat(storage.source()).isEqualTo("cur-legacy");
        assertThat(storage.month()).isEqualTo("2026-10");
        assertThat(storage.region()).isEqualTo("us-east-1");
        assertThat(storage.quantity()).isEqualByComparingTo("1");
        assertThat(storage.unblendedUsd()).isEqualByComparingTo("0.40");
        assertThat(storage.netUsd())
                .as("legacy CUR without discounts has no net column")
                .isNull();
        assertThat(line(r, "AWSSecretsManager-Secrets", "Tax").resourceId())
                .as("an empty ResourceId cell is no resource")
                .isNull();
        assertThat(r.lines()).hasSize(5); // storage, calls, tax, KMS requests (free and charged summed), KMS key-months
    }

    @Test
    void the_layout_comes_from_the_column_names_not_the_file_type() throws Exception {
        CurReader.Result r =
                read(dir.resolve("layouts/cur2-as-csv.csv"), dir.resolve("layouts/legacy-as-parquet.parquet"));

        assertThat(r.errors()).isEmpty();
        assertThat(r.lines())
                .filteredOn(l -> l.usageType().equals("AWSSecretsManager-Secrets") && l.usage())
                .extracting(BilledLine::source, BilledLine::file, BilledLine::quantity, BilledLine::region)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "cur2", "cur2-as-csv.csv", new java.math.BigDecimal("1.0000000000"), "us-east-1"),
                        org.assertj.core.groups.Tuple.tuple(
                                "cur-legacy",
                                "legacy-as-parquet.parquet",
                                new java.math.BigDecimal("1.0000000000"),
                                "us-east-1"));
    }

    @Test
    void a_file_missing_required_columns_is_named_with_them_and_the_other_files_are_still_read() throws Exception {
        CurReader.Result r = read(dir.resolve("broken"), dir.resolve("cur2/match"));

        assertThat(r.errors())
                .containsExactly("missing-columns.parquet: not a Cost and Usage Report export of a known layout:"
                        + " missing columns line_item_usage_type, line_item_unblended_cost");
        assertThat(r.filesRead()).isEqualTo(1);
        assertThat(r.lines()).isNotEmpty();
    }

    @Test
    void a_second_read_of_the_same_export_replaces_the_first_it_does_not_add_to_it() throws Exception {
        try (EventStore store = EventStore.open(null)) {
            CurReader.Result first = read(dir.resolve("cur2/match"));
            store.writeTransaction(w -> BilledLines.replace(w, first.lines(), Instant.parse("2026-10-20T00:00:00Z")));
            // the export rewritten in place later in the month: the differing one, same source and month
            CurReader.Result again = read(dir.resolve("cur2/differ"));
            store.writeTransaction(w -> BilledLines.replace(w, again.lines(), Instant.parse("2026-11-03T00:00:00Z")));
            // another source's lines of the month stay
            CurReader.Result legacy = read(dir.resolve("legacy/match"));
            store.writeTransaction(w -> BilledLines.replace(w, legacy.lines(), Instant.parse("2026-11-03T00:00:00Z")));

            try (Connection c = store.reader()) {
                List<BilledLine> stored = BilledLines.upTo(c, YearMonth.of(2026, 10));
                assertThat(stored.stream()
                                .filter(l -> l.source().equals("cur2"))
                                .toList())
                        .containsExactlyInAnyOrderElementsOf(again.lines().stream()
                                .map(CurReaderTest::asStored)
                                .toList());
                assertThat(stored)
                        .filteredOn(l -> l.source().equals("cur-legacy"))
                        .hasSize(5);
                assertThat(BilledLines.upTo(c, YearMonth.of(2026, 9))).isEmpty();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM billed_lines WHERE source = 'cur2'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(again.lines().size());
                }
            }
        }
    }

    /** As the table keeps it: DECIMAL(38, 10). */
    private static BilledLine asStored(BilledLine l) {
        return new BilledLine(
                l.source(),
                l.file(),
                l.month(),
                l.account(),
                l.region(),
                l.service(),
                l.usageType(),
                l.usageKind(),
                l.lineItemType(),
                l.resourceId(),
                l.quantity().setScale(10),
                l.unblendedUsd().setScale(10),
                l.netUsd() == null ? null : l.netUsd().setScale(10));
    }
}
