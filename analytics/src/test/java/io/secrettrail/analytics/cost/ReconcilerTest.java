package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.billing.BilledLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4: billed against computed per month, account, region, usage kind and secret, the delta explained
 * where SecretTrail can know why; non-usage lines apart.
 */
class ReconcilerTest {
    static final String ACCOUNT = "123456789012";
    static final String DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3";
    static final String FTP = "arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Zz9Yy8";
    static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");

    static BilledLine billed(String kind, String usageType, String type, String resource, String qty, String usd) {
        return new BilledLine(
                "cur2",
                "f.parquet",
                "2026-10",
                ACCOUNT,
                "us-east-1",
                kind.startsWith("kms") ? "kms" : "secretsmanager",
                usageType,
                kind,
                type,
                resource,
                new BigDecimal(qty),
                new BigDecimal(usd),
                null);
    }

    static ComputedLine computed(String kind, String resource, String qty, String usd) {
        return new ComputedLine(
                "2026-10", ACCOUNT, "us-east-1", kind, resource, new BigDecimal(qty), new BigDecimal(usd));
    }

    static Reconciler.Context context(Instant trailFrom, Instant trailTo) {
        return new Reconciler.Context(
                AS_OF,
                Map.of(ACCOUNT + "/us-east-1", new Reconciler.Span(trailFrom, trailTo)),
                Map.of(DB, true),
                Set.of(DB),
                Set.of("secrets", "api-requests"),
                (kind, region) -> PRICES.get(kind));
    }

    /** The same unit price in every region, per usage kind, with the setting that gives it. */
    static final Map<String, Reconciler.UnitPrice> PRICES = Map.of(
            "secrets", new Reconciler.UnitPrice(new BigDecimal("0.40"), "price.secretMonthUsd"),
            "api-requests", new Reconciler.UnitPrice(new BigDecimal("0.000005"), "price.per10kCallsUsd / 10,000"));

    static final Reconciler.Context WHOLE_MONTH =
            context(Instant.parse("2026-09-30T00:00:00Z"), Instant.parse("2026-11-05T00:00:00Z"));

    static Reconciliation.Line line(Reconciliation r, String kind, String resource) {
        return r.lines().stream()
                .filter(l -> l.usageKind().equals(kind) && java.util.Objects.equals(l.resource(), resource))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_bill_that_matches_reconciles_to_the_cent_with_no_explanation() {
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(
                                billed("secrets", "AWSSecretsManager-Secrets", "Usage", DB, "1", "0.40"),
                                billed("api-requests", "AWSSecretsManagerAPIRequest", "Usage", DB, "10", "0.00005")),
                        List.of(
                                computed("secrets", DB, "1", "0.4"),
                                computed("api-requests", DB, "10", "0.00005"),
                                computed("secrets", "arn:other-month-only", "0", "0")),
                        WHOLE_MONTH);

        assertThat(r.basis()).isEqualTo("unblended");
        assertThat(r.sources()).containsExactly("cur2");
        assertThat(r.lines()).allSatisfy(l -> {
            assertThat(l.reconciled()).isTrue();
            assertThat(l.explanations()).isEmpty();
        });
        Reconciliation.Line secrets = line(r, "secrets", null);
        assertThat(secrets.billedUsd()).isEqualByComparingTo("0.40");
        assertThat(secrets.computedUsd()).isEqualByComparingTo("0.40");
        assertThat(secrets.deltaUsd()).isEqualByComparingTo("0");
        assertThat(line(r, "secrets", DB).deltaQuantity()).isEqualByComparingTo("0");
    }

    @Test
    void an_unknown_secret_and_a_different_price_explain_the_delta_and_non_usage_stays_apart() {
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(
                                billed("secrets", "AWSSecretsManager-Secrets", "Usage", DB, "1", "0.45"),
                                billed("secrets", "AWSSecretsManager-Secrets", "Usage", FTP, "1", "0.40"),
                                billed("secrets", "AWSSecretsManager-Secrets", "Credit", null, "0", "-0.40"),
                                billed("secrets", "AWSSecretsManager-Secrets", "Tax", null, "0", "0.03")),
                        List.of(computed("secrets", DB, "1", "0.4")),
                        WHOLE_MONTH);

        Reconciliation.Line group = line(r, "secrets", null);
        assertThat(group.billedUsd()).as("usage only: no credit, no tax").isEqualByComparingTo("0.85");
        assertThat(group.deltaUsd()).isEqualByComparingTo("0.45");
        assertThat(group.deltaQuantity()).isEqualByComparingTo("1");
        assertThat(group.reconciled()).isFalse();
        assertThat(group.explanations())
                .containsExactly(
                        "1 billed secret SecretTrail does not bill: $0.4 and 1 of the quantity",
                        "AWS billed $0.45 per unit; price.secretMonthUsd gives $0.4");
        assertThat(line(r, "secrets", FTP).explanations())
                .containsExactly(
                        "billed secret unknown to SecretTrail: not in the inventory and named by no stored event");
        assertThat(line(r, "secrets", DB).explanations())
                .containsExactly("AWS billed $0.45 per unit; price.secretMonthUsd gives $0.4");
        assertThat(r.nonUsage())
                .extracting(Reconciliation.NonUsage::lineItemType, Reconciliation.NonUsage::usd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Credit", new BigDecimal("-0.4")),
                        org.assertj.core.groups.Tuple.tuple("Tax", new BigDecimal("0.03")));
    }

    @Test
    void days_the_trail_does_not_cover_explain_missing_calls() {
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(billed("api-requests", "AWSSecretsManagerAPIRequest", "Usage", null, "30000", "0.15")),
                        List.of(computed("api-requests", null, "10000", "0.05")),
                        context(Instant.parse("2026-10-21T00:00:00Z"), Instant.parse("2026-11-20T00:00:00Z")));

        assertThat(line(r, "api-requests", null).explanations())
                .containsExactly(
                        "the trail covers 11 of the month's 31 days (2026-10-21T00:00:00Z to 2026-11-01T00:00:00Z)");
    }

    @Test
    void one_day_short_at_either_end_is_still_a_covered_month() {
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(billed("api-requests", "AWSSecretsManagerAPIRequest", "Usage", null, "30000", "0.15")),
                        List.of(computed("api-requests", null, "20000", "0.10")),
                        context(Instant.parse("2026-10-01T23:00:00Z"), Instant.parse("2026-10-31T01:00:00Z")));

        assertThat(line(r, "api-requests", null).explanations()).isEmpty();
    }

    @Test
    void kms_lines_are_billed_with_computed_null_without_kms_data() {
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(billed("kms-requests", "us-east-1-KMS-Requests", "Usage", null, "10", "0.00003")),
                        List.of(),
                        WHOLE_MONTH);

        Reconciliation.Line kms = line(r, "kms-requests", null);
        assertThat(kms.computedUsd()).isNull();
        assertThat(kms.deltaUsd()).isNull();
        assertThat(kms.reconciled()).isFalse();
        assertThat(kms.explanations())
                .containsExactly("the data holds no KMS request SecretTrail could compute this from");
    }

    @Test
    void an_open_month_says_so_and_months_without_billing_data_are_not_compared() {
        BilledLine november = new BilledLine(
                "cur2",
                "f",
                "2026-11",
                ACCOUNT,
                "us-east-1",
                "secretsmanager",
                "AWSSecretsManager-Secrets",
                "secrets",
                "Usage",
                null,
                new BigDecimal("0.5"),
                new BigDecimal("0.20"),
                null);
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(november),
                        List.of(
                                new ComputedLine(
                                        "2026-11",
                                        ACCOUNT,
                                        "us-east-1",
                                        "secrets",
                                        DB,
                                        new BigDecimal("0.6"),
                                        new BigDecimal("0.24")),
                                computed("secrets", DB, "1", "0.4")),
                        WHOLE_MONTH);

        assertThat(r.lines()).extracting(Reconciliation.Line::month).containsOnly("2026-11");
        assertThat(line(r, "secrets", null).explanations())
                .contains("the month is open: SecretTrail's figures run to asOf 2026-11-21T12:00:00Z, AWS's to its"
                        + " latest export");
    }

    @Test
    void a_month_read_from_two_sources_is_compared_once_from_the_cur() {
        BilledLine fromCostExplorer = new BilledLine(
                "cost-explorer",
                "GetCostAndUsage",
                "2026-10",
                ACCOUNT,
                "us-east-1",
                "secretsmanager",
                "AWSSecretsManager-Secrets",
                "secrets",
                "Usage",
                null,
                new BigDecimal("1"),
                new BigDecimal("0.40"),
                null);
        Reconciliation r = new Reconciler()
                .reconcile(
                        List.of(
                                billed("secrets", "AWSSecretsManager-Secrets", "Usage", DB, "1", "0.40"),
                                fromCostExplorer),
                        List.of(computed("secrets", DB, "1", "0.4")),
                        WHOLE_MONTH);

        assertThat(r.sources()).containsExactly("cur2");
        assertThat(line(r, "secrets", null).billedUsd()).isEqualByComparingTo("0.40");
        assertThat(line(r, "secrets", null).reconciled()).isTrue();
    }
}
