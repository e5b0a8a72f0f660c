package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.Json;
import io.secrettrail.ingest.aws.FakeAws;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §4 through the CLI: {@code analyze --cur s3://... --cost-explorer} on the golden trail, against the local
 * AWS-protocol endpoint. The CUR 2.0 export of October 2026 is built here from the golden report's own October
 * (every secret's storage as AWS would bill it, so it reconciles to the cent) plus one secret of an account
 * SecretTrail has never seen; Cost Explorer answers for November in one region.
 */
class ReconciliationAnalyzeIT {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String STRANGER = "arn:aws:secretsmanager:us-east-1:111122223333:secret:not-ours-AbCdEf";

    @TempDir
    Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    final FakeAws fake = FakeAws.start();

    @AfterEach
    void close() {
        fake.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** A CUR 2.0 Parquet file of October's storage, one line per secret of the golden report's October. */
    private byte[] octoberExport() throws Exception {
        JsonNode golden =
                Json.mapper().readTree(GOLDEN.resolve("expected/report-v1.json").toFile());
        JsonNode october = null;
        for (JsonNode m : golden.path("cost").path("months")) {
            if (m.path("month").asText().equals("2026-10")) {
                october = m;
            }
        }
        Path file = dir.resolve("export.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            c.createStatement()
                    .execute("CREATE TABLE e (bill_billing_period_start_date TIMESTAMP, line_item_usage_account_id"
                            + " VARCHAR, line_item_line_item_type VARCHAR, line_item_usage_start_date TIMESTAMP,"
                            + " line_item_product_code VARCHAR, line_item_usage_type VARCHAR, line_item_resource_id VARCHAR,"
                            + " line_item_usage_amount DECIMAL(38,10), line_item_unblended_cost DECIMAL(38,10),"
                            + " line_item_net_unblended_cost DECIMAL(38,10), product MAP(VARCHAR, VARCHAR),"
                            + " product_region_code VARCHAR)");
            List<String[]> rows = new ArrayList<>();
            for (JsonNode s : october.path("bySecret")) {
                rows.add(new String[] {
                    s.path("secret").asText(), s.path("usd").decimalValue().toPlainString()
                });
            }
            rows.add(new String[] {STRANGER, "0.4"});
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO e VALUES (TIMESTAMP '2026-10-01', ?, 'Usage',"
                    + " TIMESTAMP '2026-10-01', 'AWSSecretsManager', ?, ?, ?, ?, ?, MAP {'region': ?}, ?)")) {
                for (String[] r : rows) {
                    String[] arn = r[0].split(":");
                    BigDecimal usd = new BigDecimal(r[1]);
                    ps.setString(1, arn[4]);
                    ps.setString(
                            2,
                            arn[3].equals("us-east-1") ? "AWSSecretsManager-Secrets" : "XX-AWSSecretsManager-Secrets");
                    ps.setString(3, r[0]);
                    ps.setBigDecimal(4, usd.divide(new BigDecimal("0.40"), java.math.MathContext.DECIMAL128));
                    ps.setBigDecimal(5, usd);
                    ps.setBigDecimal(6, usd);
                    ps.setString(7, arn[3]);
                    ps.setString(8, arn[3]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.createStatement().execute("COPY e TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return Files.readAllBytes(file);
    }

    @Test
    void analyze_reads_the_cur_from_s3_and_cost_explorer_and_reports_the_reconciliation_in_json_and_csv()
            throws Exception {
        fake.mapKey(KEY, "999988887777");
        fake.s3().put("billing", "exports/data/BILLING_PERIOD=2026-10/part-00001.snappy.parquet", octoberExport());
        // an earlier execution of October, kept by "create new": the manifest names the current one, so it is not
        // summed
        fake.s3()
                .put(
                        "billing",
                        "exports/data/BILLING_PERIOD=2026-10/exec-0/part-00001.snappy.parquet",
                        octoberExport());
        fake.s3()
                .put(
                        "billing",
                        "exports/metadata/BILLING_PERIOD=2026-10/exports-Manifest.json",
                        ("{\"executionId\":\"exec-1\",\"dataFiles\":"
                                        + "[\"s3://billing/exports/data/BILLING_PERIOD=2026-10/part-00001.snappy.parquet\"]}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        fake.costExplorer()
                .add(
                        LocalDate.of(2026, 11, 2),
                        "903144391865",
                        "us-east-1",
                        "AWS Secrets Manager",
                        "AWSSecretsManagerAPIRequest",
                        "0.00005",
                        "10");
        System.setProperty("aws.accessKeyId", KEY);
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Path out = dir.resolve("csv");
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--trail",
                GOLDEN.resolve("trail").toString(),
                "--trail",
                GOLDEN.resolve("real").toString(),
                "--inventory",
                GOLDEN.resolve("inventory").toString(),
                "--as-of",
                "2026-11-21T00:00:00Z",
                "--cur",
                "s3://billing/exports/",
                "--cost-explorer",
                "2026-11",
                "--set",
                "aws.endpoint=" + fake.endpoint(),
                "--set",
                "aws.cur.pathStyle=true",
                "--set",
                "aws.regions=us-east-1",
                "--format",
                "csv",
                "--out",
                out.toString()));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();

        List<String> csv = Files.readAllLines(out.resolve("reconciliation.csv"));
        assertThat(csv.get(0)).startsWith("month,account,region,usageKind,resource,billedQuantity,billedUsd");
        List<String> october =
                csv.stream().filter(l -> l.startsWith("2026-10,")).toList();
        List<String> groups =
                october.stream().filter(l -> l.split(",")[4].isEmpty()).toList();
        assertThat(groups).isNotEmpty();
        // every group of SecretTrail's accounts reconciles; the stranger's account is billed and not computed
        assertThat(groups)
                .filteredOn(l -> !l.contains(",111122223333,"))
                .allSatisfy(l -> assertThat(l).as(l).contains(",true,"));
        assertThat(october)
                .filteredOn(l -> l.contains(STRANGER))
                .singleElement()
                .satisfies(
                        l -> assertThat(l)
                                .contains(",false,")
                                .contains(
                                        "billed secret unknown to SecretTrail: not in the inventory and named by no stored event"));
        assertThat(csv)
                .filteredOn(l -> l.startsWith("2026-11,903144391865,us-east-1,api-requests,,10,0.00005,"))
                .hasSize(1);
        assertThat(fake.requests("GetObject"))
                .as("both executions and the manifest")
                .hasSize(3);
        assertThat(fake.requests("GetCostAndUsage")).hasSize(1);
    }
}
