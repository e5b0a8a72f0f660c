package io.secrettrail.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The export layout the S3 download and the reader share, on paths relative to the export root. */
class CurLayoutTest {
    @Test
    void a_cur2_manifest_governs_its_data_period_and_a_legacy_one_its_own_folder() {
        assertThat(CurLayout.period("exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json"))
                .isEqualTo("exp/data/BILLING_PERIOD=2026-10");
        assertThat(CurLayout.period("metadata/BILLING_PERIOD=2026-10/exp-Manifest.json"))
                .isEqualTo("data/BILLING_PERIOD=2026-10");
        assertThat(CurLayout.period("cur/20261001-20261101/cur-Manifest.json")).isEqualTo("cur/20261001-20261101");
        assertThat(CurLayout.period("cur-Manifest.json"))
                .as("at the root: everything")
                .isEmpty();
    }

    @Test
    void a_file_is_in_a_period_only_below_its_folder_not_in_a_sibling_sharing_its_prefix() {
        assertThat(CurLayout.inPeriod("data/BILLING_PERIOD=2026-10", "data/BILLING_PERIOD=2026-10/a.parquet"))
                .isTrue();
        assertThat(CurLayout.inPeriod("data/BILLING_PERIOD=2026-1", "data/BILLING_PERIOD=2026-10/a.parquet"))
                .isFalse();
        assertThat(CurLayout.inPeriod("", "anything/a.parquet")).isTrue();
    }

    @Test
    void the_legacy_copy_in_an_assembly_folder_is_superseded_by_the_periods_manifest() {
        List<String> all = List.of("r/20261001-20261101/r-Manifest.json", "r/20261001-20261101/asm-1/r-Manifest.json");
        assertThat(CurLayout.superseded(all.get(1), all)).isTrue();
        assertThat(CurLayout.superseded(all.get(0), all)).isFalse();
        assertThat(CurLayout.superseded(all.get(1), List.of(all.get(1))))
                .as("alone, the copy is the manifest")
                .isFalse();
    }

    @Test
    void keys_are_the_report_keys_or_the_data_files_without_their_bucket_and_a_key_names_a_file_by_its_ending()
            throws Exception {
        assertThat(CurLayout.keys(bytes("{\"dataFiles\":[\"s3://b/cur/exp/data/BILLING_PERIOD=2026-10/p.parquet\"]}")))
                .containsExactly("cur/exp/data/BILLING_PERIOD=2026-10/p.parquet");
        assertThat(CurLayout.keys(bytes("{\"reportKeys\":[\"cur/r/20261001-20261101/asm/r-1.csv.gz\"]}")))
                .containsExactly("cur/r/20261001-20261101/asm/r-1.csv.gz");
        assertThat(CurLayout.names(
                        "cur/exp/data/BILLING_PERIOD=2026-10/p.parquet", "exp/data/BILLING_PERIOD=2026-10/p.parquet"))
                .isTrue();
        assertThat(CurLayout.names(
                        "cur/exp/data/BILLING_PERIOD=2026-10/p.parquet", "p/data/BILLING_PERIOD=2026-10/p.parquet"))
                .as("a path ending only part of a folder name")
                .isFalse();
        assertThatThrownBy(() -> CurLayout.keys(bytes("{\"dataFiles\":\"p.parquet\"}")))
                .hasMessage("dataFiles is not a list");
        assertThatThrownBy(() -> CurLayout.keys(bytes("[]"))).hasMessage("not a JSON object");
    }

    @Test
    void export_files_and_manifests_are_known_by_their_names() {
        assertThat(CurLayout.exportFile("a.snappy.parquet")).isTrue();
        assertThat(CurLayout.exportFile("a.CSV.GZ")).isTrue();
        assertThat(CurLayout.exportFile("a-create-table.sql")).isFalse();
        assertThat(CurLayout.manifest("r-Manifest.json")).isTrue();
        assertThat(CurLayout.manifest("r-Manifest.json.bak")).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
