package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 through the command line, a real broker and a DuckDB file: a trail where SecretTrail's own role was
 * refused DescribeSecret on 25 secrets, and an intruder sending SecretTrail's user agent was refused 25 times too.
 * With {@code --set self.principals=<SecretTrail's role>} only the intruder raises access-denied-burst and
 * name-probing, the calls of
 * SecretTrail's role are billed to {@code secrettrail}, and every event is still stored.
 */
class SelfCallsAnalyzeIT {
    static final String ACCOUNT = "123456789012";
    static final String AS_OF = "2026-11-21T12:00:00Z";
    static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    static final String OURS = "aws-sdk-java/2.57.8 ua/2.1 os/Linux#6.1 lang/java#17.0.13 secrettrail/0.1.0";
    static final String SELF = "arn:aws:iam::" + ACCOUNT + ":role/secrettrail-reader";
    static final String INTRUDER = "arn:aws:iam::" + ACCOUNT + ":role/intruder";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    private static String refused(int n, String role, int i) {
        return """
                {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"%1$s",
                 "arn":"arn:aws:sts::%1$s:assumed-role/%2$s/i-0abc","sessionContext":{"sessionIssuer":{"type":"Role",
                 "arn":"arn:aws:iam::%1$s:role/%2$s","accountId":"%1$s","userName":"%2$s"}}},
                 "eventTime":"%3$s","eventSource":"secretsmanager.amazonaws.com","eventName":"DescribeSecret",
                 "awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"%4$s",
                 "errorCode":"AccessDeniedException","errorMessage":"not authorized to perform: secretsmanager:DescribeSecret",
                 "requestParameters":{"secretId":"prod/s%5$d"},"responseElements":null,"requestID":"r-%6$d",
                 "eventID":"00000000-0000-0000-0000-%6$012d","readOnly":true,"eventType":"AwsApiCall",
                 "managementEvent":true,"recipientAccountId":"%1$s","eventCategory":"Management"}""".formatted(ACCOUNT, role, T0.plusSeconds(i), OURS, i, n);
    }

    private static Path trail() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            records.add(refused(records.size() + 1, "secrettrail-reader", i));
            records.add(refused(records.size() + 1, "intruder", i));
        }
        Path trail = Files.createDirectories(dir.resolve("trail"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
                trail.resolve(ACCOUNT + "_CloudTrail_us-east-1_20261121T0900Z_selfcalls.json.gz")))) {
            out.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        }
        return trail;
    }

    private JsonNode analyze(String work, String... more) throws Exception {
        Path trail = Files.exists(dir.resolve("trail")) ? dir.resolve("trail") : trail();
        Path out = dir.resolve(work + ".json");
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve(work).toString(),
                "--trail",
                trail.toString(),
                "--as-of",
                AS_OF,
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        return Json.mapper().readTree(out.toFile());
    }

    private static List<String> alarmed(JsonNode report, String rule) {
        List<String> out = new ArrayList<>();
        report.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals(rule)) {
                out.add(a.get("principal").asText());
            }
        });
        return out;
    }

    private static List<String> principalLines(JsonNode report) {
        List<String> out = new ArrayList<>();
        JsonNode months = report.get("cost").get("months");
        months.get(months.size() - 1)
                .get("byPrincipal")
                .forEach(l -> out.add(
                        l.get("principal").asText() + "=" + l.get("calls").asLong()));
        return out;
    }

    @Test
    void only_the_intruder_is_detected_once_secrettrails_role_is_named() throws Exception {
        JsonNode plain = analyze("plain");
        assertThat(alarmed(plain, "access-denied-burst")).containsExactlyInAnyOrder(SELF, INTRUDER);
        // 25 names no inventory confirms: probing, by both
        assertThat(alarmed(plain, "name-probing")).containsExactlyInAnyOrder(SELF, INTRUDER);

        JsonNode self = analyze("self", "--set", "self.principals=" + SELF);
        assertThat(alarmed(self, "access-denied-burst")).containsExactly(INTRUDER);
        assertThat(alarmed(self, "name-probing")).containsExactly(INTRUDER);
        assertThat(self.get("alerts")).hasSize(2);
        assertThat(self.at("/ingest/secretsManagerEvents").asLong())
                .isEqualTo(plain.at("/ingest/secretsManagerEvents").asLong())
                .isEqualTo(50);
        assertThat(principalLines(self)).containsExactlyInAnyOrder("secrettrail=25", INTRUDER + "=25");
        assertThat(principalLines(plain)).containsExactlyInAnyOrder(SELF + "=25", INTRUDER + "=25");
        // the dashboard's rollups agree: SecretTrail's calls name no secret there, the intruder's do; the ledger keeps
        // both
        assertThat(rollupCalls("self", "secret_key <> '' AND principal = '" + SELF + "'"))
                .isZero();
        assertThat(rollupCalls("self", "secret_key = '' AND principal = '" + SELF + "'"))
                .isEqualTo(25);
        assertThat(rollupCalls("self", "secret_key <> '' AND principal = '" + INTRUDER + "'"))
                .isEqualTo(25);
        assertThat(rollupCalls("plain", "secret_key <> '' AND principal = '" + SELF + "'"))
                .isEqualTo(25);
        assertThat(ledgerCalls("self", SELF)).isEqualTo(25);
        // the intruder's alert shows whose user agent it sent
        self.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals("access-denied-burst")) {
                assertThat(a.at("/evidence/callerKinds").toString()).isEqualTo("[\"secrettrail\"]");
            }
        });
    }

    /** Calls in the work dir's rollup_daily matching {@code where} (a constant condition of this test). */
    private static long rollupCalls(String work, String where) throws Exception {
        return one(work, "SELECT coalesce(sum(calls), 0) FROM rollup_daily WHERE " + where);
    }

    private static long ledgerCalls(String work, String principal) throws Exception {
        return one(
                work,
                "SELECT coalesce(sum(calls), 0) FROM rollup_clients WHERE secret_key <> '' AND principal = '"
                        + principal + "'");
    }

    private static long one(String work, String sql) throws Exception {
        try (var store = io.secrettrail.analytics.store.EventStore.open(
                        dir.resolve(work).resolve("secrettrail.duckdb"));
                var c = store.reader();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_bad_self_principal_fails_at_start_naming_the_setting() throws Exception {
        List<String> args = List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("bad").toString(),
                "--trail",
                trail().toString(),
                "--set",
                "self.principals=arn:aws:iam::" + ACCOUNT + ":role/*");
        assertThat(Main.run(args.toArray(String[]::new))).isNotZero();
    }
}
