package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cur s3://bucket/prefix}: the export files are listed page by page and only those the reader reads are
 * fetched with the SDK's S3 client, each within the size cap.
 */
class CurDownloadIT {
    static final String BUCKET = "billing-exports";

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    AwsClients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    @Test
    void only_the_current_manifests_and_the_files_they_name_are_downloaded_across_pages_keeping_their_paths()
            throws Exception {
        String p = "cur/secrettrail/data/BILLING_PERIOD=2026-10/";
        String legacy = "cur/legacy/20261001-20261101/";
        fake.s3()
                .put(BUCKET, p + "secrettrail-00001.snappy.parquet", bytes("parquet-1"))
                .put(BUCKET, p + "earlier-delivery-00001.snappy.parquet", bytes("superseded"))
                .put(
                        BUCKET,
                        "cur/secrettrail/metadata/BILLING_PERIOD=2026-10/secrettrail-Manifest.json",
                        bytes("{\"dataFiles\":[\"s3://" + BUCKET + "/" + p + "secrettrail-00001.snappy.parquet\"]}"))
                // a period without a manifest is read whole, so fetched whole
                .put(BUCKET, "cur/secrettrail/data/BILLING_PERIOD=2026-09/secrettrail-00001.snappy.parquet", bytes("9"))
                .put(BUCKET, legacy + "asm-1/legacy-00001.csv.gz", bytes("old assembly"))
                .put(BUCKET, legacy + "asm-1/legacy-Manifest.json", bytes("{\"reportKeys\":[]}"))
                .put(BUCKET, legacy + "asm-2/legacy-00001.csv.gz", bytes("gz"))
                .put(
                        BUCKET,
                        legacy + "legacy-Manifest.json",
                        bytes("{\"reportKeys\":[\"" + legacy + "asm-2/legacy-00001.csv.gz\"]}"))
                .put(BUCKET, legacy + "legacy-create-table.sql", bytes("not an export"))
                .put(BUCKET, "other/elsewhere.parquet", bytes("not under the prefix"))
                .maxKeys(2);
        CurDownload.Result got = download(1024, "cur");

        List<Path> files = got.files();
        assertThat(files)
                .containsExactly(
                        dir.resolve("cur/legacy/20261001-20261101/asm-2/legacy-00001.csv.gz"),
                        dir.resolve("cur/legacy/20261001-20261101/legacy-Manifest.json"),
                        dir.resolve("cur/secrettrail/data/BILLING_PERIOD=2026-09/secrettrail-00001.snappy.parquet"),
                        dir.resolve("cur/secrettrail/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet"),
                        dir.resolve("cur/secrettrail/metadata/BILLING_PERIOD=2026-10/secrettrail-Manifest.json"));
        assertThat(Files.readString(files.get(3))).isEqualTo("parquet-1");
        assertThat(Files.readString(files.get(0))).isEqualTo("gz");
        assertThat(dir.resolve("cur/legacy/20261001-20261101/asm-1")).doesNotExist();
        assertThat(dir.resolve("cur/legacy/20261001-20261101/legacy-create-table.sql"))
                .doesNotExist();
        assertThat(got.skipped())
                .containsExactly("s3://" + BUCKET + "/" + legacy
                        + "legacy-create-table.sql (13 bytes): skipped, not an export file or manifest");
        assertThat(fake.requests("ListObjectsV2"))
                .as("ten keys under the prefix, two a page")
                .hasSize(5);
        assertThat(fake.requests("GetObject"))
                .as("what the reader reads, nothing more")
                .hasSize(5);
        assertThat(fake.requests("ListObjectsV2").get(0).region()).isEqualTo("eu-west-1");
    }

    @Test
    void an_object_above_the_size_cap_is_named_with_its_size_and_skipped_one_at_the_cap_is_fetched() throws Exception {
        fake.s3()
                .put(BUCKET, "cur/data/BILLING_PERIOD=2026-10/at-the-cap.parquet", bytes("0123456789"))
                .put(BUCKET, "cur/data/BILLING_PERIOD=2026-10/one-byte-over.parquet", bytes("0123456789A"));
        CurDownload.Result got = download(10, "cur");

        assertThat(got.files()).containsExactly(dir.resolve("cur/data/BILLING_PERIOD=2026-10/at-the-cap.parquet"));
        assertThat(got.skipped())
                .containsExactly("s3://" + BUCKET + "/cur/data/BILLING_PERIOD=2026-10/one-byte-over.parquet"
                        + " (11 bytes): skipped, larger than aws.billing.maxObjectBytes (10)");
        assertThat(fake.requests("GetObject")).hasSize(1);
    }

    @Test
    void a_period_whose_manifest_is_unusable_is_fetched_whole_as_the_reader_reads_it() throws Exception {
        fake.s3()
                .put(BUCKET, "cur/e/metadata/BILLING_PERIOD=2026-10/e-Manifest.json", bytes("{\"neither\":1}"))
                .put(BUCKET, "cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet", bytes("1"))
                .put(BUCKET, "cur/e/data/BILLING_PERIOD=2026-10/part-2.parquet", bytes("2"));
        CurDownload.Result got = download(1024, "cur");

        assertThat(got.files())
                .as("the reader names the manifest and reads its period whole")
                .containsExactly(
                        dir.resolve("cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet"),
                        dir.resolve("cur/e/data/BILLING_PERIOD=2026-10/part-2.parquet"),
                        dir.resolve("cur/e/metadata/BILLING_PERIOD=2026-10/e-Manifest.json"));
        assertThat(got.skipped()).isEmpty();
    }

    @Test
    void a_manifest_above_the_manifest_cap_is_named_and_not_fetched_and_its_period_is_fetched_whole() throws Exception {
        String manifest = cur2PeriodOfTwoFilesManifestNamingOne();
        long cap = manifest.length() - 1;
        CurDownload.Result got = download(1024, cap);

        assertThat(got.files())
                .as("no usable manifest governs the period: every file is fetched, as the reader reads it")
                .containsExactly(
                        dir.resolve("cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet"),
                        dir.resolve("cur/e/data/BILLING_PERIOD=2026-10/part-2.parquet"));
        assertThat(got.skipped())
                .containsExactly("s3://" + BUCKET + "/cur/e/metadata/BILLING_PERIOD=2026-10/e-Manifest.json ("
                        + manifest.length() + " bytes): skipped, a manifest larger than " + cap + " bytes");
        assertThat(fake.requests("GetObject")).hasSize(2);
    }

    @Test
    void a_manifest_at_the_manifest_cap_governs_its_period() throws Exception {
        String manifest = cur2PeriodOfTwoFilesManifestNamingOne();
        CurDownload.Result got = download(1024, manifest.length());

        assertThat(got.files())
                .containsExactly(
                        dir.resolve("cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet"),
                        dir.resolve("cur/e/metadata/BILLING_PERIOD=2026-10/e-Manifest.json"));
        assertThat(got.skipped()).isEmpty();
    }

    @Test
    void a_key_that_would_leave_the_download_directory_is_skipped_and_the_other_files_fetched() throws Exception {
        fake.s3()
                .put(BUCKET, "cur/../../escaped.parquet", bytes("hostile"))
                .put(BUCKET, "cur/data/export-00001.parquet", bytes("parquet-1"));
        CurDownload.Result got = download(1024, "in/cur");

        assertThat(got.files()).containsExactly(dir.resolve("in/cur/data/export-00001.parquet"));
        assertThat(got.skipped())
                .containsExactly("s3://" + BUCKET
                        + "/cur/../../escaped.parquet (7 bytes): skipped, a key that leaves the download directory");
        assertThat(dir.resolve("escaped.parquet")).doesNotExist();
        assertThat(dir.resolve("in/escaped.parquet")).doesNotExist();
        assertThat(fake.requests("GetObject")).hasSize(1);
    }

    @Test
    void a_location_that_is_not_s3_is_refused_by_name() {
        assertThatThrownBy(() -> CurDownload.Location.parse("https://billing-exports/cur"))
                .hasMessage("--cur: not an s3://bucket/prefix location: https://billing-exports/cur");
        assertThat(CurDownload.Location.parse("s3://billing-exports")).isEqualTo(new CurDownload.Location(BUCKET, ""));
    }

    /** Downloads {@code s3://BUCKET/cur/} into {@code into} below the test directory, objects up to {@code cap}. */
    private CurDownload.Result download(long cap, String into) throws Exception {
        clients = AwsFixtures.clients(fake, Map.of("aws.cur.region", "eu-west-1", "aws.cur.pathStyle", "true"));
        return new CurDownload(clients.curS3(), cap)
                .download(CurDownload.Location.parse("s3://" + BUCKET + "/cur/"), dir.resolve(into));
    }

    /** Objects up to {@code cap}, manifests up to {@code manifestCap}, into "cur" below the test directory. */
    private CurDownload.Result download(long cap, long manifestCap) throws Exception {
        clients = AwsFixtures.clients(fake, Map.of("aws.cur.region", "eu-west-1", "aws.cur.pathStyle", "true"));
        return new CurDownload(clients.curS3(), cap, manifestCap)
                .download(CurDownload.Location.parse("s3://" + BUCKET + "/cur/"), dir.resolve("cur"));
    }

    /** A CUR 2.0 period of two files whose manifest names the first. @return the manifest's text */
    private String cur2PeriodOfTwoFilesManifestNamingOne() {
        String manifest = "{\"dataFiles\":[\"s3://" + BUCKET + "/cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet\"]}";
        fake.s3()
                .put(BUCKET, "cur/e/metadata/BILLING_PERIOD=2026-10/e-Manifest.json", bytes(manifest))
                .put(BUCKET, "cur/e/data/BILLING_PERIOD=2026-10/part-1.parquet", bytes("1"))
                .put(BUCKET, "cur/e/data/BILLING_PERIOD=2026-10/part-2.parquet", bytes("2"));
        return manifest;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
