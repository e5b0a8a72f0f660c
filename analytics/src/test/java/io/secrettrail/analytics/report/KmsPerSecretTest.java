package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.KmsEvents;
import io.secrettrail.analytics.cost.KmsKeys;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.Prices;
import io.secrettrail.analytics.rules.RuleFixture;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §2: the KMS requests made for secrets are stored apart (one row per eventID), give each secret its
 * {@code kmsRequests} and {@code kmsKey}, and never change a v1 figure.
 */
class KmsPerSecretTest extends RuleTestBase {
    static final Path STRATUS =
            Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson");
    static final String STRATUS_SECRET =
            "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-0-28bajb";
    static final String SEEN_KEY = "arn:aws:kms:us-east-1:123456789012:key/seen";
    static final String LISTED_KEY = "arn:aws:kms:us-east-1:123456789012:key/listed";

    @TempDir
    Path dir;

    private Report report(RuleFixture f, Instant asOf) throws Exception {
        try (Connection c = f.reader()) {
            return new ReportService(c, ReportSettings.of(Map.of())).build(asOf, 0, 0, 0, false);
        }
    }

    private static Report.SecretSummary secret(Report r, String arn) {
        return r.secrets().stream().filter(s -> s.arn().equals(arn)).findFirst().orElseThrow();
    }

    @Test
    void the_same_trail_with_and_without_kms_requests_gives_identical_v1_figures() throws Exception {
        Path kms = dir.resolve("kms.ndjson");
        List<String> lines = new ArrayList<>(KmsEvents.documented());
        for (int i = 0; i < 3; i++) {
            lines.add(KmsEvents.decrypt(
                    "stratus-kms-" + i,
                    Instant.parse("2024-07-31T12:40:00Z").plusSeconds(i),
                    STRATUS_SECRET,
                    "arn:aws:kms:cn-centraleast-1r:903144391865:key/k"));
        }
        Files.write(kms, lines);
        Instant asOf = Instant.parse("2024-08-01T00:00:00Z");
        fx.load(STRATUS);
        try (RuleFixture with = new RuleFixture()) {
            with.load(STRATUS);
            assertThat(with.load(kms)).isEmpty();
            Report without = report(fx, asOf);
            Report withKms = report(with, asOf);
            assertThat(secret(withKms, STRATUS_SECRET).kms().requests()).isEqualTo(3);
            assertThat(withKms.cost().kms().requests()).isZero(); // none in August, the open month
            // every v1 figure: ingest counts (secretsManagerEvents, duplicates), calls, unattributed calls, alerts,
            // the Secrets Manager cost
            assertThat(withKms.ingest()).isEqualTo(without.ingest());
            assertThat(withKms.unattributedCalls()).isEqualTo(without.unattributedCalls());
            assertThat(withKms.unknownNames()).isEqualTo(without.unknownNames());
            assertThat(withKms.alerts()).isEqualTo(without.alerts());
            assertThat(withKms.secrets().stream().map(s -> s.withKms(null)).toList())
                    .isEqualTo(
                            without.secrets().stream().map(s -> s.withKms(null)).toList());
            assertThat(withKms.cost().v1Figures()).isEqualTo(without.cost().v1Figures());
            // the months carry KMS only where the data holds KMS requests: July's 3, and unknown (null) without
            MonthCost julyWith = withKms.cost().months().get(0);
            MonthCost julyWithout = without.cost().months().get(0);
            assertThat(julyWith.month()).isEqualTo("2024-07");
            assertThat(julyWith.kmsRequests()).isEqualTo(3);
            assertThat(julyWith.totalUsd())
                    .isEqualByComparingTo(julyWithout.totalUsd().add(julyWith.kmsUsd()));
            assertThat(julyWithout.kmsRequests()).isNull();
            assertThat(julyWithout.kmsUsd()).isNull();
            assertThat(julyWithout.totalUsd()).isEqualByComparingTo(julyWithout.secretsManagerUsd());
            assertThat(withKms.ingest().secretsManagerEvents()).isEqualTo(26);
        }
    }

    @Test
    void kms_requests_are_stored_once_per_event_id_with_their_key_caller_and_secret() throws Exception {
        Path docs = KmsEvents.DOCS;
        fx.load(docs);
        fx.load(docs); // the same file delivered again
        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT event_name, aws_region, secret_arn, key_arn, principal,"
                                + " invoked_by, error_code, source_file, source_record FROM kms_requests ORDER BY event_time")) {
            // the documentation's us-east-2 copies reuse the us-west-2 eventIDs: one row per eventID
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("GenerateDataKey");
            assertThat(rs.getString(2)).isEqualTo("us-west-2");
            assertThat(rs.getString(3))
                    .isEqualTo("arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3");
            assertThat(rs.getString(4))
                    .isEqualTo("arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
            assertThat(rs.getString(5)).isEqualTo("arn:aws:sts::111122223333:assumed-role/Admin/user01");
            assertThat(rs.getString(6)).isEqualTo("secretsmanager.amazonaws.com");
            assertThat(rs.getString(7)).isNull();
            assertThat(rs.getString(8)).isEqualTo("kms_related_events.ndjson");
            assertThat(rs.getLong(9)).isEqualTo(1);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Decrypt");
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .as("never among the Secrets Manager events")
                    .isZero();
        }
    }

    @Test
    void a_key_taken_from_the_requestparameters_when_the_record_lists_no_resource() throws Exception {
        String seen = arn("us-east-1", "app/seen");
        String noResources = KmsEvents.decrypt("nr", daysAgo(1), seen, SEEN_KEY)
                .replaceAll("\"resources\": \\[[^\\]]*\\], ", "")
                .replace("\"requestParameters\": {", "\"requestParameters\": {\"keyId\": \"alias/app\", ");
        assertThat(noResources).doesNotContain("\"resources\"");
        fx.events(List.of(noResources));
        Report r = report(fx, AS_OF);
        try (Connection c = fx.reader()) {
            assertThat(KmsKeys.at(c, AS_OF).key(seen)).isEqualTo("alias/app");
        }
        assertThat(r.cost().kms().requests()).isEqualTo(1);
    }

    @Test
    void kms_requests_and_key_per_secret_in_their_order_of_resolution() throws Exception {
        String seen = arn("us-east-1", "app/seen"); // listed with a key, and its requests name another
        String listed = arn("us-east-1", "app/listed"); // listed with a KmsKeyId, no request
        String plain = arn("us-east-1", "app/plain"); // listed without a KmsKeyId
        String elsewhere = arn("eu-west-1", "app/elsewhere"); // no KMS request at all in eu-west-1
        fx.inventory(seen, daysAgo(100), "{\"KmsKeyId\":\"" + LISTED_KEY + "\"}");
        fx.inventory(listed, daysAgo(100), "{\"KmsKeyId\":\"" + LISTED_KEY + "\"}");
        fx.inventory(plain, daysAgo(100), "{}");
        fx.inventory(elsewhere, daysAgo(100), "{}");
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(2)).secret("app/ghost").json(), // outside the inventory
                KmsEvents.decrypt("k1", daysAgo(3), seen, SEEN_KEY),
                KmsEvents.decrypt("k2", daysAgo(2), seen, SEEN_KEY),
                KmsEvents.decrypt("k3", AS_OF.plusSeconds(60), seen, SEEN_KEY))); // after asOf: not counted
        Report r = report(fx, AS_OF);
        assertThat(secret(r, seen).kms()).isEqualTo(new Report.SecretSummary.Kms(2L, SEEN_KEY));
        assertThat(secret(r, listed).kms()).isEqualTo(new Report.SecretSummary.Kms(0L, LISTED_KEY));
        assertThat(secret(r, plain).kms()).isEqualTo(new Report.SecretSummary.Kms(0L, KmsKeys.awsManaged()));
        assertThat(secret(r, elsewhere).kms()).isEqualTo(new Report.SecretSummary.Kms(null, KmsKeys.awsManaged()));
        Report.SecretSummary ghost = r.secrets().stream()
                .filter(s -> s.arn().contains("app/ghost"))
                .findFirst()
                .orElseThrow();
        assertThat(ghost.kms()).isEqualTo(new Report.SecretSummary.Kms(0L, null));

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ReportWriter.json(r, json);
        // decimals read as written, not through a double
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(json.toString(StandardCharsets.UTF_8));
        Map<String, com.fasterxml.jackson.databind.JsonNode> byArn = new java.util.HashMap<>();
        root.path("secrets").forEach(n -> byArn.put(n.path("arn").asText(), n));
        assertThat(byArn.get(seen).path("kmsRequests").asLong()).isEqualTo(2);
        assertThat(byArn.get(seen).path("kmsKey").asText()).isEqualTo(SEEN_KEY);
        assertThat(byArn.get(elsewhere).get("kmsRequests").isNull()).isTrue();
        assertThat(byArn.get(elsewhere).path("kmsKey").asText()).isEqualTo(KmsKeys.awsManaged());
        assertThat(byArn.get(ghost.arn()).get("kmsKey").isNull()).isTrue();
        com.fasterxml.jackson.databind.JsonNode kms = root.path("cost").path("kms");
        assertThat(kms.path("requests").asLong()).isEqualTo(2);
        // 2 x 0.03 / 10,000, within the free tier. Two customer managed keys (each listed secret names one other
        // than aws/secretsmanager): app/seen's SEEN_KEY (its requests name it) and app/listed's LISTED_KEY, each
        // billed for November to asOf: 1.00 x 492 h / 720 h
        assertThat(kms.path("requestsUsd").decimalValue()).isEqualByComparingTo("0.000006");
        assertThat(kms.path("freeTierUsd").decimalValue()).isEqualByComparingTo("0.000006");
        java.math.MathContext mc = new java.math.MathContext(20, java.math.RoundingMode.HALF_EVEN);
        java.math.BigDecimal fee = new java.math.BigDecimal("492").divide(new java.math.BigDecimal("720"), mc);
        assertThat(kms.path("keyFeesUsd").decimalValue())
                .isEqualByComparingTo(io.secrettrail.core.Money.json(fee.add(fee))); // JSON keeps 10 decimals
        assertThat(root.path("cost").path("assumptions").path("kms").asText()).contains("upper bound");

        // one code path: the open month's months[] entry carries the same KMS numbers as cost.kms, in its total
        com.fasterxml.jackson.databind.JsonNode months = root.path("cost").path("months");
        com.fasterxml.jackson.databind.JsonNode open = months.get(months.size() - 1);
        assertThat(open.path("kmsRequests").asLong())
                .isEqualTo(kms.path("requests").asLong());
        assertThat(open.path("kmsUsd").decimalValue())
                .isEqualByComparingTo(io.secrettrail.core.Money.json(kms.path("requestsUsd")
                        .decimalValue()
                        .add(kms.path("keyFeesUsd").decimalValue())));
        assertThat(open.path("kmsFreeTierUsd").decimalValue()).isEqualByComparingTo("0.000006");
        assertThat(open.path("totalUsd").decimalValue())
                .isEqualByComparingTo(open.path("secretsUsd")
                        .decimalValue()
                        .add(open.path("apiCallsUsd").decimalValue())
                        .add(open.path("kmsUsd").decimalValue()));
        // the KMS projection: both key fees to the month's end (2 x 1.00), requests at the recent rate
        assertThat(open.path("kmsProjectedUsd").decimalValue()).isGreaterThan(new java.math.BigDecimal("2"));
        assertThat(open.path("kmsProjectedUsd").decimalValue()).isLessThan(new java.math.BigDecimal("2.0001"));
        com.fasterxml.jackson.databind.JsonNode seenLine = null;
        for (com.fasterxml.jackson.databind.JsonNode l : open.path("bySecret")) {
            if (l.path("secret").asText().equals(seen)) {
                seenLine = l;
            }
        }
        assertThat(seenLine).isNotNull();
        assertThat(seenLine.path("kmsRequests").asLong()).isEqualTo(2);
        // its two requests and the whole of SEEN_KEY's fee (it alone uses it)
        assertThat(seenLine.path("kmsUsd").decimalValue())
                .isEqualByComparingTo(io.secrettrail.core.Money.json(fee.add(new java.math.BigDecimal("0.000006"))));
        // v1's total stays Secrets Manager's only
        MonthCost openMonth = r.cost().months().get(r.cost().months().size() - 1);
        assertThat(r.cost().monthToDateUsd()).isEqualTo(Prices.cents(openMonth.secretsManagerUsd()));
        assertThat(openMonth.totalUsd())
                .isEqualByComparingTo(openMonth.secretsManagerUsd().add(openMonth.kmsUsd()));
        StringWriter csv = new StringWriter();
        ReportWriter.secretsCsv(r, csv);
        String[] rows = csv.toString().split("\r?\n");
        assertThat(rows[0]).endsWith(",exists,kmsRequests,kmsKey");
        assertThat(csv.toString()).contains(",true,2," + SEEN_KEY);
    }

    @Test
    void a_customer_key_used_by_one_low_value_secret_is_information_never_a_recommendation() throws Exception {
        String lone = arn("us-east-1", "app/lone"); // the only secret of LISTED_KEY
        String shared1 = arn("us-east-1", "app/shared-1"); // SEEN_KEY is shared by two: no information
        String shared2 = arn("us-east-1", "app/shared-2");
        fx.inventory(lone, daysAgo(100), "{\"KmsKeyId\":\"" + LISTED_KEY + "\"}");
        fx.inventory(shared1, daysAgo(100), "{\"KmsKeyId\":\"" + SEEN_KEY + "\"}");
        fx.inventory(shared2, daysAgo(100), "{\"KmsKeyId\":\"" + SEEN_KEY + "\"}");
        fx.events(List.of(KmsEvents.decrypt("l1", daysAgo(1), lone, LISTED_KEY)));
        Report r = report(fx, AS_OF);
        assertThat(r.cost().savings())
                .filteredOn(io.secrettrail.analytics.cost.Saving::information)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.kind()).isEqualTo("kms-default-key");
                    assertThat(s.resource()).isEqualTo(lone);
                    assertThat(s.monthlyUsd()).hasToString("1.00");
                    assertThat(s.reason())
                            .startsWith("information, not a recommendation: the customer managed key " + LISTED_KEY)
                            .contains("more than the secret itself (0.40 USD projected)");
                });
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ReportWriter.json(r, json);
        assertThat(io.secrettrail.core.Json.mapper()
                        .readTree(json.toByteArray())
                        .path("cost")
                        .path("savings"))
                .filteredOn(n -> n.path("kind").asText().equals("kms-default-key"))
                .singleElement()
                .satisfies(n -> assertThat(n.path("information").asBoolean()).isTrue());
    }

    @Test
    void a_lone_customer_key_costing_less_than_its_secret_is_not_mentioned() throws Exception {
        String lone = arn("us-east-1", "app/lone");
        fx.inventory(lone, daysAgo(100), "{\"KmsKeyId\":\"" + LISTED_KEY + "\"}");
        Report cheapKey;
        try (Connection c = fx.reader()) {
            // boundary: a key fee equal to the secret's projected 0.40 is not more than the secret
            cheapKey = new ReportService(c, ReportSettings.of(Map.of("price.kmsKeyMonthUsd", "0.40")))
                    .build(AS_OF, 0, 0, 0, false);
        }
        assertThat(cheapKey.cost().savings()).noneMatch(io.secrettrail.analytics.cost.Saving::information);
    }
}
