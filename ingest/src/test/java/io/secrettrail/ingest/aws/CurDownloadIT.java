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

/** {@code --cur s3://bucket/prefix}: the export files are listed page by page and fetched with the SDK's S3 client. */
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
    void every_export_file_and_manifest_under_the_prefix_is_downloaded_across_pages_keeping_its_path_and_nothing_else()
            throws Exception {
        String p = "cur/secrettrail/data/BILLING_PERIOD=2026-10/";
        fake.s3()
                .put(BUCKET, p + "secrettrail-00001.snappy.parquet", bytes("parquet-1"))
                .put(BUCKET, p + "secrettrail-00002.snappy.parquet", bytes("parquet-2"))
                .put(BUCKET, "cur/secrettrail/metadata/BILLING_PERIOD=2026-10/secrettrail-Manifest.json", bytes("{}"))
                .put(BUCKET, "cur/legacy/20261001-20261101/legacy-00001.csv.gz", bytes("gz"))
                .put(BUCKET, "cur/legacy/20261001-20261101/legacy-Manifest.json", bytes("{\"reportKeys\":[]}"))
                .put(BUCKET, "cur/legacy/20261001-20261101/legacy-create-table.sql", bytes("not an export"))
                .put(BUCKET, "other/elsewhere.parquet", bytes("not under the prefix"))
                .maxKeys(2);
        clients = AwsFixtures.clients(fake, Map.of("aws.cur.region", "eu-west-1", "aws.cur.pathStyle", "true"));

        List<Path> files = new CurDownload(clients.curS3())
                .download(CurDownload.Location.parse("s3://" + BUCKET + "/cur/"), dir.resolve("cur"));

        assertThat(files)
                .containsExactly(
                        dir.resolve("cur/legacy/20261001-20261101/legacy-00001.csv.gz"),
                        dir.resolve("cur/legacy/20261001-20261101/legacy-Manifest.json"),
                        dir.resolve("cur/secrettrail/data/BILLING_PERIOD=2026-10/secrettrail-00001.snappy.parquet"),
                        dir.resolve("cur/secrettrail/data/BILLING_PERIOD=2026-10/secrettrail-00002.snappy.parquet"),
                        dir.resolve("cur/secrettrail/metadata/BILLING_PERIOD=2026-10/secrettrail-Manifest.json"));
        assertThat(Files.readString(files.get(2))).isEqualTo("parquet-1");
        assertThat(Files.readString(files.get(4))).isEqualTo("{}");
        assertThat(dir.resolve("cur/legacy/20261001-20261101/legacy-create-table.sql"))
                .doesNotExist();
        assertThat(fake.requests("ListObjectsV2"))
                .as("six keys under the prefix, two a page")
                .hasSize(3);
        assertThat(fake.requests("GetObject")).hasSize(5);
        assertThat(fake.requests("ListObjectsV2").get(0).region()).isEqualTo("eu-west-1");
    }

    @Test
    void a_key_that_would_leave_the_download_directory_is_skipped_and_the_other_files_fetched() throws Exception {
        fake.s3()
                .put(BUCKET, "cur/../../escaped.parquet", bytes("hostile"))
                .put(BUCKET, "cur/data/export-00001.parquet", bytes("parquet-1"));
        clients = AwsFixtures.clients(fake, Map.of("aws.cur.region", "eu-west-1", "aws.cur.pathStyle", "true"));

        List<Path> files = new CurDownload(clients.curS3())
                .download(CurDownload.Location.parse("s3://" + BUCKET + "/cur/"), dir.resolve("in/cur"));

        assertThat(files).containsExactly(dir.resolve("in/cur/data/export-00001.parquet"));
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
