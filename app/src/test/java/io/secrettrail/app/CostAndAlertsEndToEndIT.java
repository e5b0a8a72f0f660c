package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small trail whose every figure is worked out by hand, through the whole pipeline (real broker,
 * real DuckDB, the CLI): the alert set is exact and the cost right to the cent. As of
 * 2026-11-21T12:00Z: November has 720 h, 492 h have passed, 228 h are left, the rate window is
 * [Nov 14 12:00, Nov 21 12:00) = 168 h.
 *
 * <ul>
 *   <li>prod/db: rotates (last Nov 1, next Dec 1), read 10 times (5 in the window) and denied once (in the window);</li>
 *   <li>legacy/api-key: created 2025-06-01, never rotated, rotation off, last accessed 2026-06-01;</li>
 *   <li>svc/token: rotation on, last rotated Aug 1, next rotation was due Aug 31, RotationFailed at setSecret on Nov 20.</li>
 * </ul>
 * Plus one ListSecrets (unattributed, in the window), one S3 record, one redelivered duplicate.
 */
class CostAndAlertsEndToEndIT {
    static final String A = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";
    static final String B = "arn:aws:secretsmanager:us-east-1:111111111111:secret:legacy/api-key-GhIjKl";
    static final String C = "arn:aws:secretsmanager:us-east-1:111111111111:secret:svc/token-MnOpQr";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static JsonNode report;

    @BeforeAll
    static void run() throws Exception {
        Path file = dir.resolve(
                "trail/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/111111111111_CloudTrail_us-east-1_20261121T1200Z_e2e.json.gz");
        Files.createDirectories(file.getParent());
        try (InputStream in = CostAndAlertsEndToEndIT.class.getResourceAsStream("/e2e/trail-records.json");
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            in.transferTo(out);
        }
        Path inventory = dir.resolve("inventory.json");
        try (InputStream in = CostAndAlertsEndToEndIT.class.getResourceAsStream("/e2e/inventory.json")) {
            Files.copy(in, inventory);
        }
        Path out = dir.resolve("report.json");
        assertThat(Main.run(
                        "analyze",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        dir.resolve("work").toString(),
                        "--trail",
                        dir.resolve("trail").toString(),
                        "--inventory",
                        inventory.toString(),
                        "--as-of",
                        "2026-11-21T12:00:00Z",
                        "--out",
                        out.toString()))
                .isZero();
        report = ReportAssert.JSON.readTree(out.toFile());
    }

    @Test
    void the_alert_set_is_exact_with_its_reasons() {
        Map<String, String> alerts = new TreeMap<>();
        report.get("alerts")
                .forEach(a -> alerts.put(
                        a.get("rule").asText() + " " + a.get("resource").asText(),
                        a.get("reason").asText()));
        assertThat(alerts)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "rotation-disabled " + B,
                                        "rotation is not enabled; never rotated since it was created 538 days ago",
                                "stale-rotation " + B,
                                        "never rotated since it was created 538 days ago; the maximum is 90",
                                "unused-secret " + B,
                                        "not read for 173 days; the window is 90 days; deleting it saves $0.40 a month",
                                "stale-rotation " + C, "not rotated for 112 days; the maximum is 90",
                                "rotation-overdue " + C,
                                        "the next rotation was due 1980 hours ago (2026-08-31T00:00:00Z); the grace period is 24 hours",
                                "rotation-failed " + C,
                                        "RotationFailed at the setSecret step on 2026-11-20T10:00:00Z, 1 day ago, with no RotationSucceeded since"));
        report.get("alerts").forEach(a -> {
            assertThat(a.get("status").asText()).isEqualTo("alarm");
            assertThat(a.get("account").asText()).isEqualTo("111111111111");
        });
    }

    @Test
    void the_cost_is_right_to_the_cent() {
        JsonNode c = report.get("cost");
        assertThat(c.get("month").asText()).isEqualTo("2026-11");
        assertThat(c.get("apiCallsMonthToDate").asLong())
                .isEqualTo(12); // 11 on prod/db (one denied) + ListSecrets; not RotationFailed
        assertThat(c.get("apiCallsProjected").asLong()).isEqualTo(22); // 12 + 7 x 228 / 168 = 21.5
        assertThat(c.get("secretsMonthToDateUsd").decimalValue()).isEqualByComparingTo("0.82"); // 3 x 0.40 x 492 / 720
        assertThat(c.get("secretsProjectedUsd").decimalValue()).isEqualByComparingTo("1.20");
        assertThat(c.get("monthToDateUsd").decimalValue()).isEqualByComparingTo("0.82");
        assertThat(c.get("projectedUsd").decimalValue()).isEqualByComparingTo("1.20");
        List<String> tags = new ArrayList<>();
        c.get("byTag")
                .forEach(t -> tags.add(t.get("tag").asText() + " "
                        + t.get("monthToDateUsd").decimalValue().toPlainString()));
        assertThat(tags).containsExactly("team=payments 0.55", "team=legacy 0.27");
        assertThat(c.get("topPrincipals").get(0).get("principal").asText())
                .isEqualTo("arn:aws:iam::111111111111:role/app");
        assertThat(c.get("topPrincipals").get(0).get("calls").asLong()).isEqualTo(12);
        JsonNode saving = c.get("savings").get(0);
        assertThat(saving.get("kind").asText()).isEqualTo("delete-unused");
        assertThat(saving.get("resource").asText()).isEqualTo(B);
        assertThat(saving.get("monthlyUsd").decimalValue()).isEqualByComparingTo("0.40");
        assertThat(c.get("savings")).hasSize(1);
    }

    @Test
    void the_access_ledger_lists_each_caller_of_each_secret() {
        assertThat(report.get("access")).hasSize(1);
        JsonNode a = report.get("access").get(0);
        assertThat(a.get("secret").asText()).isEqualTo(A);
        assertThat(a.get("principal").asText()).isEqualTo("arn:aws:iam::111111111111:role/app");
        assertThat(a.get("calls").asLong()).isEqualTo(11);
        assertThat(a.get("errors").asLong()).isEqualTo(1);
        assertThat(a.get("firstSeen").asText()).isEqualTo("2026-11-05T10:00:00Z");
        assertThat(a.get("lastSeen").asText()).isEqualTo("2026-11-21T09:00:00Z");
        assertThat(a.get("sourceIps").get(0).asText()).isEqualTo("10.1.2.3");
        assertThat(a.get("userAgents").get(0).asText()).isEqualTo("aws-sdk-java/2.25.0 Linux/6.1");
    }

    @Test
    void the_access_command_prints_the_ledger_by_secret_name_or_principal() throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(
                            "access",
                            "--work-dir",
                            dir.resolve("work").toString(),
                            "--secret",
                            "prod/db",
                            "--as-of",
                            "2026-11-21T12:00:00Z"))
                    .isZero();
            assertThat(Main.run(
                            "access",
                            "--work-dir",
                            dir.resolve("work").toString(),
                            "--principal",
                            "arn:aws:iam::111111111111:role/nobody",
                            "--as-of",
                            "2026-11-21T12:00:00Z"))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text)
                .contains(A)
                .contains("arn:aws:iam::111111111111:role/app")
                .containsPattern(" 11 +1 +2026-11-05T10:00:00Z")
                .contains("(no access recorded)");
        assertThat(Main.run("access", "--work-dir", dir.resolve("nowhere").toString(), "--secret", "x"))
                .isEqualTo(2);
    }

    @Test
    void the_policy_command_prints_a_valid_least_privilege_policy() throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(
                            "policy",
                            "--work-dir",
                            dir.resolve("work").toString(),
                            "--principal",
                            "arn:aws:iam::111111111111:role/app",
                            "--as-of",
                            "2026-11-21T12:00:00Z"))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode doc = ReportAssert.JSON.readTree(buf.toByteArray());
        assertThat(doc.get("Version").asText()).isEqualTo("2012-10-17");
        List<String> grants = new ArrayList<>();
        doc.get("Statement")
                .forEach(st -> grants.add(
                        st.get("Action").asText() + " " + st.get("Resource").asText()));
        // the denied GetSecretValue adds nothing; ListSecrets names no secret
        assertThat(grants)
                .containsExactlyInAnyOrder("secretsmanager:GetSecretValue " + A, "secretsmanager:ListSecrets *");
    }

    @Test
    void each_secret_carries_its_cost_and_the_duplicate_is_dropped() {
        Map<String, JsonNode> byArn = new TreeMap<>();
        report.get("secrets").forEach(s -> byArn.put(s.get("arn").asText(), s));
        assertThat(byArn.get(A).get("calls").asLong()).isEqualTo(11);
        assertThat(byArn.get(A).get("cost").get("monthToDateUsd").decimalValue())
                .isEqualByComparingTo("0.27");
        assertThat(byArn.get(A).get("cost").get("projectedUsd").decimalValue()).isEqualByComparingTo("0.40");
        assertThat(report.get("ingest").get("duplicates").asLong()).isEqualTo(1);
        assertThat(report.get("ingest").get("records").asLong()).isEqualTo(15);
        assertThat(report.get("unattributedCalls").asLong()).isEqualTo(1);
    }
}
