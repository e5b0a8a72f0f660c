package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
    static Report.SecretSummary secret(String name) {
        return new Report.SecretSummary(
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:" + name + "-AbC123",
                name,
                "111111111111",
                "us-east-1",
                "us-east-1",
                true,
                7,
                new TreeMap<>(Map.of("GetSecretValue", 5L, "DescribeSecret", 2L)),
                1,
                2,
                Instant.parse("2026-11-20T10:00:00Z"),
                null,
                null,
                Boolean.TRUE,
                null,
                null,
                null);
    }

    @Test
    void csv_quotes_commas_and_quotes_and_defuses_formulas() throws Exception {
        Report r = new Report(
                1,
                Instant.parse("2026-11-21T00:00:00Z"),
                new Report.IngestCounts(1, 1, 1, 0, 0),
                List.of(secret("=HYPERLINK(\"x\",\"y\")"), secret("plain")),
                0,
                List.of(),
                null,
                List.of());
        StringWriter out = new StringWriter();
        ReportWriter.secretsCsv(r, out);
        String[] lines = out.toString().split("\r\n");
        assertThat(lines[0]).startsWith("arn,name,account,region,primaryRegion,resolved,calls");
        assertThat(lines[1]).contains(",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",111111111111,");
        assertThat(lines[2])
                .isEqualTo(
                        "arn:aws:secretsmanager:us-east-1:111111111111:secret:plain-AbC123,plain,111111111111,"
                                + "us-east-1,us-east-1,true,7,1,2,2026-11-20T10:00:00Z,,,true,,,\"DescribeSecret=2;GetSecretValue=5\",,,true,,");
        assertThat(lines).hasSize(3);
    }

    /** Issue 15 §1: {@code exists} is true, false or null in the JSON, the last column of secrets.csv. */
    @Test
    void exists_is_written_true_false_or_null() throws Exception {
        Report.SecretSummary s = secret("typo");
        List<Report.SecretSummary> three = new java.util.ArrayList<>();
        for (Boolean exists : new Boolean[] {true, false, null}) {
            three.add(s.withExists(exists));
        }
        Report r = new Report(
                1,
                Instant.parse("2026-11-21T00:00:00Z"),
                new Report.IngestCounts(1, 1, 1, 0, 0),
                three,
                0,
                List.of(),
                null,
                List.of());
        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        ReportWriter.json(r, json);
        assertThat(io.secrettrail.core.Json.mapper()
                        .readTree(json.toByteArray())
                        .get("secrets"))
                .extracting(n -> n.get("exists").toString())
                .containsExactly("true", "false", "null");
        StringWriter csv = new StringWriter();
        ReportWriter.secretsCsv(r, csv);
        String[] lines = csv.toString().split("\r\n");
        // kmsRequests and kmsKey follow (issue 15 §2), empty for a summary without its KMS side
        assertThat(lines[0]).endsWith(",costProjectedUsd,exists,kmsRequests,kmsKey");
        assertThat(lines[1]).endsWith(",true,,");
        assertThat(lines[2]).endsWith(",false,,");
        assertThat(lines[3]).endsWith(",,,,,");
    }

    @Test
    void numbers_that_start_with_a_minus_are_not_mistaken_for_formulas() {
        assertThat(ReportWriter.cell("-42")).isEqualTo("-42");
        assertThat(ReportWriter.cell("-cmd")).isEqualTo("'-cmd");
        assertThat(ReportWriter.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }
}
