package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.BilledLines;
import io.secrettrail.analytics.cost.CurFixtures;
import io.secrettrail.analytics.cost.CurReader;
import io.secrettrail.analytics.cost.KmsEvents;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.Reconciliation;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15 §4 end to end in analytics: a CUR export of each layout read into the store, and the report's
 * {@code cost.reconciliation} comparing it with the cost model's October. The trail: prod/db, inventoried since
 * September, read 10 times in October; the trail runs from 30 September to 5 November, so October is covered.
 * By hand: 744 h of 744 h at $0.40 = $0.40 for 1 secret-month; 10 calls x $0.05 / 10,000 = $0.00005.
 *
 * <p>With KMS ({@link #octoberKms}): prod/db is encrypted with the customer managed key CMK (its inventory's
 * KmsKeyId), and Secrets Manager made 2,000 Decrypt requests for it through CMK in October. By hand: 2,000 x $0.03 /
 * 10,000 = $0.006 before the free tier ($0.01 to the cent); all are within the account's 20,000 free requests, so AWS
 * bills $0.00; the key costs 744 h of 744 h at $1 = $1.00, one key-month.
 */
class ReconciliationReportTest extends RuleTestBase {
    static final String CMK = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws Exception {
        CurFixtures.write(dir);
    }

    private void octoberTrail() throws Exception {
        octoberTrail("{}");
    }

    private void octoberTrail(String listing) throws Exception {
        fx.inventory(DB, Instant.parse("2026-09-01T00:00:00Z"), listing);
        fx.historyFrom("us-east-1", Instant.parse("2026-09-30T00:00:00Z"));
        List<Instant> reads = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            reads.add(Instant.parse("2026-10-%02dT09:00:00Z".formatted(i * 3)));
        }
        fx.apiCalls("GetSecretValue", DB, reads);
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-11-05T09:00:00Z"), null);
    }

    /** The October trail with prod/db under CMK and its 2,000 Decrypt requests, one every 20 minutes from 1 October. */
    private void octoberKms() throws Exception {
        octoberTrail("{\"KmsKeyId\":\"" + CMK + "\"}");
        fx.events(KmsEvents.decrypts("oct", octoberKmsTimes(), DB, CMK));
    }

    private static List<Instant> octoberKmsTimes() {
        List<Instant> times = new ArrayList<>();
        Instant first = Instant.parse("2026-10-01T00:00:50Z");
        for (int i = 0; i < 2_000; i++) {
            times.add(first.plusSeconds(1200L * i));
        }
        return times;
    }

    private Report reportWith(String export) throws Exception {
        return reportWith(export, Map.of());
    }

    private Report reportWith(String export, Map<String, String> settings) throws Exception {
        CurReader.Result read;
        try (Connection c = fx.reader()) {
            read = new CurReader().read(c, List.of(dir.resolve(export)));
        }
        assertThat(read.errors()).isEmpty();
        fx.store().writeTransaction(w -> BilledLines.replace(w, read.lines(), AS_OF));
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, false);
        }
    }

    private static Reconciliation.Line line(Reconciliation r, String kind, String resource) {
        return r.lines().stream()
                .filter(l -> l.usageKind().equals(kind) && Objects.equals(l.resource(), resource))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"cur2/match, cur2", "legacy/match, cur-legacy"})
    void an_export_of_october_with_kms_reconciles_to_the_cent_line_by_line(String export, String source)
            throws Exception {
        octoberKms();
        Report report = reportWith(export);
        Reconciliation r = report.cost().reconciliation();

        assertThat(r.sources()).containsExactly(source);
        assertThat(r.basis()).isEqualTo("unblended");
        Reconciliation.Line secrets = line(r, "secrets", null);
        assertThat(secrets.month()).isEqualTo("2026-10");
        assertThat(secrets.billedQuantity()).isEqualByComparingTo("1");
        assertThat(secrets.computedQuantity()).isEqualByComparingTo("1");
        assertThat(secrets.billedUsd()).isEqualByComparingTo("0.40");
        assertThat(secrets.computedUsd()).isEqualByComparingTo("0.40");
        assertThat(secrets.deltaUsd()).isEqualByComparingTo("0");
        Reconciliation.Line calls = line(r, "api-requests", null);
        assertThat(calls.billedQuantity()).isEqualByComparingTo("10");
        assertThat(calls.computedQuantity()).isEqualByComparingTo("10");
        assertThat(calls.deltaUsd()).isEqualByComparingTo("0");
        assertThat(line(r, "secrets", DB).reconciled()).isTrue();
        // the $0.00 line of the free requests against the computation after the account's free tier: exactly (before
        // it, $0.006 would be $0.01 off)
        Reconciliation.Line kms = line(r, "kms-requests", null);
        assertThat(kms.billedQuantity()).isEqualByComparingTo("2000");
        assertThat(kms.computedQuantity()).isEqualByComparingTo("2000");
        assertThat(kms.billedUsd()).isEqualByComparingTo("0");
        assertThat(kms.computedUsd()).isEqualByComparingTo("0");
        assertThat(kms.deltaUsd()).isEqualByComparingTo("0");
        // 31 daily lines of 0.0322580645 key-months (AWS's 10 decimals): 0.9999999995, $1.00 to the cent
        Reconciliation.Line key = line(r, "kms-keys", null);
        assertThat(key.billedQuantity()).isEqualByComparingTo("0.9999999995");
        assertThat(key.computedQuantity()).isEqualByComparingTo("1");
        assertThat(key.computedUsd()).isEqualByComparingTo("1.00");
        assertThat(r.lines()).allSatisfy(l -> {
            assertThat(l.reconciled()).as(l.toString()).isTrue();
            assertThat(l.explanations()).as(l.toString()).isEmpty();
        });
        // the month's KMS figures stay before the free tier, shown apart: what AWS bills is kmsUsd - kmsFreeTierUsd
        MonthCost october = report.cost().months().stream()
                .filter(m -> m.month().equals("2026-10"))
                .findFirst()
                .orElseThrow();
        assertThat(october.kmsRequests()).isEqualTo(2_000L);
        assertThat(october.kmsUsd()).isEqualByComparingTo("1.006");
        assertThat(october.kmsFreeTierUsd()).isEqualByComparingTo("0.006");
        assertThat(october.kmsUsd().subtract(october.kmsFreeTierUsd()))
                .isEqualByComparingTo(kms.billedUsd().add(key.computedUsd()));
        assertThat(r.nonUsage())
                .extracting(Reconciliation.NonUsage::lineItemType)
                .containsExactly("Tax");
    }

    /**
     * An organization trail holds the key owner's copy of every request too (another eventID and recipientAccountId,
     * the same sharedEventID): AWS billed each request once, and the computation counts it once.
     */
    @Test
    void with_every_kms_request_logged_in_two_accounts_the_reconciliation_still_matches() throws Exception {
        octoberTrail("{\"KmsKeyId\":\"" + CMK + "\"}");
        List<String> copies = new ArrayList<>();
        for (String caller : KmsEvents.decrypts("oct", octoberKmsTimes(), DB, CMK)) {
            String id = caller.replaceAll("(?s).*\"eventID\": \"([^\"]+)\".*", "$1");
            copies.add(KmsEvents.shared(caller, "shared-" + id));
            copies.add(KmsEvents.shared(
                    caller.replace("\"eventID\": \"" + id + "\"", "\"eventID\": \"owner-" + id + "\"")
                            .replace(
                                    "\"recipientAccountId\": \"123456789012\"",
                                    "\"recipientAccountId\": \"999999999999\""),
                    "shared-" + id));
        }
        fx.events(copies);
        Report report = reportWith("cur2/match");
        Reconciliation.Line kms = line(report.cost().reconciliation(), "kms-requests", null);
        assertThat(kms.computedQuantity()).isEqualByComparingTo("2000");
        assertThat(kms.billedQuantity()).isEqualByComparingTo("2000");
        assertThat(kms.deltaUsd()).isEqualByComparingTo("0");
        assertThat(kms.reconciled()).isTrue();
        assertThat(report.secrets().stream()
                        .filter(x -> x.arn().equals(DB))
                        .findFirst()
                        .orElseThrow()
                        .kms()
                        .requests())
                .isEqualTo(2_000L);
    }

    @Test
    void without_kms_requests_in_the_data_the_billed_kms_lines_are_explained_not_computed_as_zero() throws Exception {
        octoberTrail();
        Reconciliation r = reportWith("cur2/match").cost().reconciliation();

        assertThat(r.lines()).filteredOn(l -> !l.usageKind().startsWith("kms")).allSatisfy(l -> {
            assertThat(l.reconciled()).as(l.toString()).isTrue();
            assertThat(l.explanations()).as(l.toString()).isEmpty();
        });
        assertThat(line(r, "kms-requests", null).computedUsd()).isNull();
        assertThat(line(r, "kms-requests", null).explanations())
                .containsExactly("the data holds no KMS request SecretTrail could compute this from");
        assertThat(line(r, "kms-keys", null).explanations())
                .containsExactly("the data holds no KMS request SecretTrail could compute this from");
    }

    @ParameterizedTest
    @CsvSource({"cur2/differ", "legacy/differ"})
    void kms_usage_the_trail_cannot_see_is_explained_requests_made_for_other_things_and_a_key_no_secret_uses(
            String export) throws Exception {
        octoberKms();
        Reconciliation r = reportWith(export).cost().reconciliation();

        // billed: 20,000 free and 9,000 at the rate, $0.027; computed: the trail's 2,000, all free
        Reconciliation.Line kms = line(r, "kms-requests", null);
        assertThat(kms.billedQuantity()).isEqualByComparingTo("29000");
        assertThat(kms.billedUsd()).isEqualByComparingTo("0.027");
        assertThat(kms.computedUsd()).isEqualByComparingTo("0");
        assertThat(kms.deltaQuantity()).isEqualByComparingTo("27000");
        assertThat(kms.deltaUsd()).isEqualByComparingTo("0.027");
        assertThat(kms.reconciled()).isFalse();
        assertThat(kms.explanations())
                .containsExactly("AWS billed 27000 KMS requests more than the trail's requests for secrets: KMS"
                        + " requests made for anything else (other services, direct calls) are outside SecretTrail's"
                        + " view, and they use the account's free requests too");
        // CMK's month and a second key no secret uses
        Reconciliation.Line keys = line(r, "kms-keys", null);
        assertThat(keys.billedUsd()).isEqualByComparingTo("1.9999999995");
        assertThat(keys.deltaUsd()).isEqualByComparingTo("0.9999999995");
        assertThat(keys.explanations())
                .containsExactly("AWS billed 1 key-month more than the customer managed keys of secrets: keys no"
                        + " secret uses are outside SecretTrail's view");
    }

    @Test
    void a_legacy_export_that_differs_is_explained_a_secret_outside_the_inventory_and_a_price() throws Exception {
        octoberTrail();
        Report report = reportWith("legacy/differ");
        Reconciliation r = report.cost().reconciliation();

        assertThat(r.sources()).containsExactly("cur-legacy");
        Reconciliation.Line secrets = line(r, "secrets", null);
        // billed $0.20 + $0.25 for prod/db and $0.40 for legacy/ftp; computed $0.40 for prod/db
        assertThat(secrets.billedUsd()).isEqualByComparingTo("0.85");
        assertThat(secrets.deltaUsd()).isEqualByComparingTo("0.45");
        assertThat(secrets.deltaQuantity()).isEqualByComparingTo("1");
        assertThat(secrets.reconciled()).isFalse();
        assertThat(secrets.explanations())
                .containsExactly(
                        "1 billed secret SecretTrail does not bill: $0.4 and 1 of the quantity",
                        "AWS billed $0.45 per unit; price.secretMonthUsd gives $0.4");
        assertThat(line(r, "secrets", "arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Zz9Yy8")
                        .explanations())
                .containsExactly(
                        "billed secret unknown to SecretTrail: not in the inventory and named by no stored event");
        assertThat(line(r, "api-requests", null).reconciled()).isTrue();
        assertThat(r.nonUsage())
                .extracting(Reconciliation.NonUsage::lineItemType)
                .containsExactly("Credit", "Tax");

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ReportWriter.json(report, json);
        assertThat(json.toString(StandardCharsets.UTF_8))
                .contains("\"reconciliation\" : {")
                .contains("\"basis\" : \"unblended\"")
                .contains("\"deltaUsd\" : 0.45");
        StringWriter csv = new StringWriter();
        ReconciliationWriter.csv(r, csv);
        assertThat(csv.toString().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "month,account,region,usageKind,resource,billedQuantity,billedUsd,billedNetUsd,computedQuantity,"
                                + "computedUsd,deltaQuantity,deltaUsd,reconciled,explanation");
        assertThat(csv.toString())
                .contains("2026-10,123456789012,us-east-1,secrets,,2,0.85,,1,0.4,1,0.45,false,"
                        + "\"1 billed secret SecretTrail does not bill: $0.4 and 1 of the quantity; AWS billed"
                        + " $0.45 per unit; price.secretMonthUsd gives $0.4\"");
    }

    @Test
    void without_billing_data_the_report_has_no_reconciliation() throws Exception {
        octoberTrail();
        try (Connection c = fx.reader()) {
            assertThat(new ReportService(c, ReportSettings.of(Map.of()))
                            .build(AS_OF, 0, 0, 0, false)
                            .cost()
                            .reconciliation())
                    .isNull();
        }
    }

    /** The October trail's reconciliation with {@code export}, under {@code settings}. */
    private Reconciliation october(String export, Map<String, String> settings) throws Exception {
        octoberTrail();
        return reportWith(export, settings).cost().reconciliation();
    }

    /** us-east-1's own secret price: $0.45 a secret-month, what the legacy "differ" export bills prod/db. */
    private static final Map<String, String> US_EAST_1_AT_045 = Map.of("price.region.us-east-1.secretMonthUsd", "0.45");

    @Test
    void a_secret_billed_at_its_regions_own_price_reconciles_with_zero_delta() throws Exception {
        Reconciliation r = october("legacy/differ", US_EAST_1_AT_045);

        // prod/db: billed $0.20 + $0.25 for one secret-month; computed 744 h of 744 h at $0.45
        Reconciliation.Line db = line(r, "secrets", DB);
        assertThat(db.computedQuantity()).isEqualByComparingTo("1");
        assertThat(db.computedUsd()).isEqualByComparingTo("0.45");
        assertThat(db.deltaUsd()).isEqualByComparingTo("0");
        assertThat(db.deltaQuantity()).isEqualByComparingTo("0");
        assertThat(db.reconciled()).isTrue();
        assertThat(db.explanations()).isEmpty();
        // the account's line differs only by legacy/ftp, which SecretTrail does not know: no price is off
        Reconciliation.Line secrets = line(r, "secrets", null);
        assertThat(secrets.deltaUsd()).isEqualByComparingTo("0.40");
        assertThat(secrets.explanations())
                .containsExactly("1 billed secret SecretTrail does not bill: $0.4 and 1 of the quantity");
    }

    @Test
    void a_secret_billed_at_another_price_than_its_regions_is_explained_naming_the_regional_setting() throws Exception {
        Reconciliation r = october("cur2/match", US_EAST_1_AT_045);

        // billed $0.40 for one secret-month; computed one secret-month at $0.45 (not 1.125 at the global $0.40)
        Reconciliation.Line db = line(r, "secrets", DB);
        assertThat(db.computedQuantity()).isEqualByComparingTo("1");
        assertThat(db.deltaUsd()).isEqualByComparingTo("-0.05");
        assertThat(db.explanations())
                .containsExactly("AWS billed $0.4 per unit; price.region.us-east-1.secretMonthUsd gives $0.45");
        assertThat(line(r, "secrets", null).explanations())
                .contains("AWS billed $0.4 per unit; price.region.us-east-1.secretMonthUsd gives $0.45");
    }

    @Test
    void another_regions_price_leaves_the_reconciliation_at_the_global_price() throws Exception {
        Reconciliation r = october("cur2/match", Map.of("price.region.eu-west-1.secretMonthUsd", "0.45"));

        assertThat(line(r, "secrets", DB).reconciled()).isTrue();
        assertThat(line(r, "secrets", DB).explanations()).isEmpty();
        assertThat(line(r, "secrets", null).computedUsd()).isEqualByComparingTo("0.40");
    }
}
