package io.secrettrail.analytics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.Reconciliation;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15 §4, the dashboard's Reconciliation view: per month, then the largest differences first, in scope. */
class ReconciliationPageTest {
    static final String A = "111111111111";
    static final String B = "222222222222";

    static BigDecimal d(String v) {
        return v == null ? null : new BigDecimal(v);
    }

    static Reconciliation.Line line(
            String month, String account, String kind, String resource, String billed, String computed) {
        BigDecimal delta = computed == null ? null : d(billed).subtract(d(computed));
        return new Reconciliation.Line(
                month,
                account,
                "us-east-1",
                kind,
                resource,
                BigDecimal.ONE,
                d(billed),
                d(billed),
                computed == null ? null : BigDecimal.ONE,
                d(computed),
                computed == null ? null : BigDecimal.ZERO,
                delta,
                delta != null && delta.abs().compareTo(new BigDecimal("0.005")) < 0,
                List.of());
    }

    static final Reconciliation R = new Reconciliation(
            "unblended",
            List.of("cur2"),
            List.of(
                    line("2026-10", A, "secrets", null, "2.00", "2.00"),
                    line("2026-10", A, "api-requests", null, "0.10", "0.05"),
                    line(
                            "2026-10",
                            A,
                            "secrets",
                            "arn:aws:secretsmanager:us-east-1:" + A + ":secret:x",
                            "0.40",
                            "0.00"),
                    line("2026-10", B, "secrets", null, "1.20", "0.40"),
                    line("2026-11", B, "USE1-Other", null, "0.30", null)),
            List.of(new Reconciliation.NonUsage(
                    "2026-10",
                    A,
                    "us-east-1",
                    "secretsmanager",
                    "AWSSecretsManager-Secrets",
                    "Credit",
                    d("-1"),
                    d("-1"))));

    @Test
    void lines_come_largest_difference_first_and_an_uncomputed_one_by_its_billed_dollars() {
        ReconciliationPage p = ReconciliationPage.of(R, Filters.ALL);
        assertThat(p.lines())
                .extracting(l -> l.billedUsd().toPlainString())
                .containsExactly("1.20", "0.40", "0.30", "0.10", "2.00");
    }

    @Test
    void a_months_totals_sum_its_usage_lines_once_not_its_per_resource_lines_and_say_whether_all_agree() {
        ReconciliationPage p = ReconciliationPage.of(R, Filters.ALL);
        assertThat(p.months()).hasSize(2);
        ReconciliationPage.MonthRow oct = p.months().get(0);
        assertThat(oct.month()).isEqualTo("2026-10");
        assertThat(oct.billedUsd()).isEqualByComparingTo("3.30");
        assertThat(oct.computedUsd()).isEqualByComparingTo("2.45");
        assertThat(oct.deltaUsd()).isEqualByComparingTo("0.85");
        assertThat(oct.reconciled()).isFalse();
        ReconciliationPage.MonthRow nov = p.months().get(1);
        assertThat(nov.computedUsd()).as("a kind SecretTrail does not compute").isEqualByComparingTo("0");
        assertThat(nov.reconciled()).isFalse();
    }

    @Test
    void an_account_filter_keeps_its_lines_and_its_non_usage_only() {
        ReconciliationPage a = ReconciliationPage.of(R, new Filters(null, null, A, null));
        assertThat(a.lines()).allMatch(l -> l.account().equals(A)).hasSize(3);
        assertThat(a.months())
                .singleElement()
                .satisfies(m -> assertThat(m.billedUsd()).isEqualByComparingTo("2.10"));
        assertThat(a.nonUsage()).hasSize(1);
        ReconciliationPage b = ReconciliationPage.of(R, new Filters(null, null, B, null));
        assertThat(b.nonUsage()).isEmpty();
        assertThat(ReconciliationPage.of(R, new Filters(null, null, null, "eu-west-1"))
                        .lines())
                .isEmpty();
    }

    @Test
    void without_billing_data_there_is_no_page() {
        assertThat(ReconciliationPage.of(null, Filters.ALL)).isNull();
    }
}
