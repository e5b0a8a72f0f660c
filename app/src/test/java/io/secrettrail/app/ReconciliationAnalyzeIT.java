package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.Json;
import io.secrettrail.ingest.aws.FakeAws;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
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
        List<AppFixtures.StorageLine> lines = new ArrayList<>();
        for (JsonNode s : october.path("bySecret")) {
            lines.add(storage(s.path("secret").asText(), s.path("usd").decimalValue()));
        }
        lines.add(storage(STRANGER, new BigDecimal("0.4")));
        return AppFixtures.october(dir.resolve("export.parquet"), lines);
    }

    /** A secret's October storage as AWS bills it: $0.40 a secret-month. */
    private static AppFixtures.StorageLine storage(String arn, BigDecimal usd) {
        return new AppFixtures.StorageLine(
                arn, usd.divide(new BigDecimal("0.40"), java.math.MathContext.DECIMAL128), usd);
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
                .as("the manifest and the execution it names: the earlier execution is not downloaded")
                .hasSize(2);
        assertThat(fake.requests("GetCostAndUsage")).hasSize(1);
    }
}
