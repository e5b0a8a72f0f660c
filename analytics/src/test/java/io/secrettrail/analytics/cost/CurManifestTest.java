package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.core.billing.CurLayout;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review M3: a versioned export keeps every assembly (legacy CUR) or execution (CUR 2.0) of a period; only the
 * files the period's manifest names are read, the others are skipped and counted; without a manifest, or with one
 * that cannot be used (named), every file is read.
 */
class CurManifestTest {
    @TempDir
    Path dir;

    static final String LEGACY = "lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,"
            + "lineItem/ProductCode,lineItem/UsageType,lineItem/UsageAmount,lineItem/UnblendedCost\n";
    static final String CUR2 = "line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,"
            + "line_item_product_code,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost,product\n";

    private static String row(String secretMonths, boolean cur2) {
        return "123456789012,Usage,2026-10-01T00:00:00Z,AWSSecretsManager,AWSSecretsManager-Secrets," + secretMonths
                + "," + new BigDecimal(secretMonths).multiply(new BigDecimal("0.40")) + (cur2 ? ",{}" : "") + "\n";
    }

    private void legacy(String rel, String secretMonths) throws Exception {
        write(rel, LEGACY + row(secretMonths, false));
    }

    private void cur2(String rel, String secretMonths) throws Exception {
        write(rel, CUR2 + row(secretMonths, true));
    }

    private void write(String rel, String text) throws Exception {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private CurReader.Result read() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            return new CurReader().read(c, List.of(dir));
        }
    }

    private static BigDecimal quantity(CurReader.Result r) {
        return r.lines().stream().map(BilledLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static final String PERIOD = "cur/20261001-20261101/";

    private void twoAssemblies() throws Exception {
        legacy(PERIOD + "aaaa-1111/cur-00001.csv", "3");
        legacy(PERIOD + "bbbb-2222/cur-00001.csv", "5");
        legacy(PERIOD + "bbbb-2222/cur-00002.csv", "1");
        // legacy CUR also keeps a copy of each assembly's manifest in its directory: not the current one
        write(
                PERIOD + "aaaa-1111/cur-Manifest.json",
                "{\"assemblyId\":\"aaaa-1111\",\"reportKeys\":[\"p/" + PERIOD + "aaaa-1111/cur-00001.csv\"]}");
    }

    @Test
    void a_legacy_period_with_two_assemblies_reads_only_the_assembly_its_manifest_names() throws Exception {
        twoAssemblies();
        write(
                PERIOD + "cur-Manifest.json",
                "{\"assemblyId\":\"bbbb-2222\",\"bucket\":\"billing\",\"reportKeys\":[" + "\"p/" + PERIOD
                        + "bbbb-2222/cur-00001.csv\",\"p/" + PERIOD + "bbbb-2222/cur-00002.csv\"]}");

        CurReader.Result r = read();

        assertThat(r.errors()).isEmpty();
        assertThat(r.filesRead()).isEqualTo(2);
        assertThat(quantity(r)).isEqualByComparingTo("6");
        assertThat(r.lines()).extracting(BilledLine::file).allMatch(f -> f.contains("bbbb-2222/"));
        assertThat(r.notices())
                .containsExactly(PERIOD + "cur-Manifest.json: 1 export file of other deliveries skipped, 2 read as"
                        + " the manifest names");
    }

    @Test
    void a_cur2_period_with_two_executions_reads_only_the_execution_its_manifest_names() throws Exception {
        String data = "exp/data/BILLING_PERIOD=2026-10/";
        cur2(data + "exec-1/exp-00001.csv", "4");
        cur2(data + "exec-2/exp-00001.csv", "2");
        cur2("exp/data/BILLING_PERIOD=2026-09/exec-1/exp-00001.csv", "7");
        write(
                "exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json",
                "{\"executionId\":\"exec-2\"," + "\"dataFiles\":[\"s3://billing/exports/" + data
                        + "exec-2/exp-00001.csv\"]}");

        CurReader.Result r = read();

        assertThat(r.errors()).isEmpty();
        assertThat(r.filesRead())
                .as("October's named execution, and September, which has no manifest")
                .isEqualTo(2);
        assertThat(quantity(r)).isEqualByComparingTo("9");
        assertThat(r.lines()).extracting(BilledLine::file).noneMatch(f -> f.contains("2026-10/exec-1"));
        assertThat(r.notices()).hasSize(1).allMatch(n -> n.contains("1 export file of other deliveries skipped"));
    }

    @Test
    void without_a_manifest_every_file_is_read_as_before() throws Exception {
        twoAssemblies();
        Files.delete(dir.resolve(PERIOD + "aaaa-1111/cur-Manifest.json"));

        CurReader.Result r = read();

        assertThat(r.errors()).isEmpty();
        assertThat(r.notices()).isEmpty();
        assertThat(r.filesRead()).isEqualTo(3);
        assertThat(quantity(r)).isEqualByComparingTo("9");
    }

    @Test
    void a_manifest_above_the_manifest_cap_is_named_and_not_read_and_every_file_of_its_period_is_read()
            throws Exception {
        twoAssemblies();
        Path big = dir.resolve(PERIOD + "cur-Manifest.json");
        // sparse: its size is one byte over the cap without writing 64 MiB; it is never read
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(CurLayout.MAX_MANIFEST_BYTES + 1);
        }

        CurReader.Result r = read();

        assertThat(r.errors())
                .containsExactly(PERIOD + "cur-Manifest.json: not a usable manifest ("
                        + (CurLayout.MAX_MANIFEST_BYTES + 1)
                        + " bytes, larger than the " + CurLayout.MAX_MANIFEST_BYTES + " bytes a manifest may have):"
                        + " ignored, every file of its period is read");
        assertThat(r.filesRead()).isEqualTo(3);
        assertThat(quantity(r)).isEqualByComparingTo("9");
    }

    @Test
    void a_manifest_at_the_manifest_cap_is_read() throws Exception {
        Path m = dir.resolve("m-Manifest.json");
        byte[] doc = "{\"reportKeys\":[\"p/a.csv\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(m, doc);
        assertThat(CurLayout.keys(m, doc.length)).containsExactly("p/a.csv");
        assertThatThrownBy(() -> CurLayout.keys(m, doc.length - 1))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(doc.length + " bytes, larger than the " + (doc.length - 1) + " bytes a manifest may have");
    }

    @Test
    void a_malformed_manifest_is_named_and_ignored_and_every_file_of_its_period_is_read() throws Exception {
        twoAssemblies();
        String cut = "{\"assemblyId\":\"bbbb-2222\",\"reportKeys\":[";
        write(PERIOD + "cur-Manifest.json", cut);

        CurReader.Result r = read();

        assertThat(r.errors())
                .containsExactly(PERIOD + "cur-Manifest.json: not a usable manifest (not JSON at line 1, column "
                        + (cut.length() + 1) + "):"
                        + " ignored, every file of its period is read");
        assertThat(r.filesRead()).isEqualTo(3);
        assertThat(quantity(r)).isEqualByComparingTo("9");
    }

    @Test
    void a_manifest_without_a_file_list_is_named_and_ignored() throws Exception {
        cur2("exp/data/BILLING_PERIOD=2026-10/exec-1/exp-00001.csv", "4");
        cur2("exp/data/BILLING_PERIOD=2026-10/exec-2/exp-00001.csv", "2");
        write("exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json", "{\"dataFiles\":\"exec-2\"}");

        CurReader.Result r = read();

        assertThat(r.errors())
                .containsExactly("exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json: not a usable manifest"
                        + " (dataFiles is not a list): ignored, every file of its period is read");
        assertThat(quantity(r)).isEqualByComparingTo("6");
    }

    @Test
    void a_file_the_manifest_names_that_is_missing_is_reported_and_the_named_ones_present_are_read() throws Exception {
        twoAssemblies();
        write(
                PERIOD + "cur-Manifest.json",
                "{\"reportKeys\":[\"p/" + PERIOD + "bbbb-2222/cur-00001.csv\",\"p/" + PERIOD
                        + "bbbb-2222/cur-00003.csv\"]}");

        CurReader.Result r = read();

        assertThat(quantity(r)).isEqualByComparingTo("5");
        assertThat(r.notices())
                .containsExactly(
                        PERIOD + "cur-Manifest.json: 2 export files of other deliveries skipped, 1 read as the"
                                + " manifest names",
                        PERIOD + "cur-Manifest.json: 1 file it names is not found");
    }

    @Test
    void a_named_file_outside_the_period_folder_is_not_reported_missing() throws Exception {
        legacy("cur/cur/year=2026/month=10/cur-00001.csv", "2");
        write(PERIOD + "cur-Manifest.json", "{\"reportKeys\":[\"p/cur/cur/year=2026/month=10/cur-00001.csv\"]}");

        CurReader.Result r = read();

        assertThat(r.notices()).isEmpty();
        assertThat(r.errors()).isEmpty();
        assertThat(quantity(r)).isEqualByComparingTo("2");
    }
}
