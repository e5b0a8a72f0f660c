package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.Reconciliation;
import io.secrettrail.analytics.dashboard.ReconciliationPage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15 §4, the Reconciliation view: months, lines and non-usage, with billing-data strings written as text. */
class ReconciliationRenderingTest {
    static final String RESOURCE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:<script>alert(1)</script>";

    @Test
    void months_lines_and_non_usage_render_with_four_decimals_under_a_dollar_and_hostile_ids_as_text() {
        Reconciliation.Line l = new Reconciliation.Line(
                "2026-10",
                "123456789012",
                "us-east-1",
                "secrets",
                RESOURCE,
                new BigDecimal("1.000000"),
                new BigDecimal("0.40"),
                new BigDecimal("0.40"),
                new BigDecimal("0.27333333333333333333"),
                BigDecimal.ZERO,
                BigDecimal.ONE,
                new BigDecimal("0.40"),
                false,
                List.of("A billed secret SecretTrail does not bill: <b>not in the inventory</b>."));
        ReconciliationPage p = new ReconciliationPage(
                "unblended",
                List.of("cur2"),
                List.of(new ReconciliationPage.MonthRow(
                        "2026-10", new BigDecimal("0.40"), BigDecimal.ZERO, new BigDecimal("0.40"), false)),
                List.of(l),
                List.of(new Reconciliation.NonUsage(
                        "2026-10",
                        "123456789012",
                        "us-east-1",
                        "secretsmanager",
                        "AWSSecretsManager-Secrets",
                        "Credit",
                        new BigDecimal("-1"),
                        null)));
        String html = Pages.reconciliation(p, AlertsRenderingTest.VIEW);
        assertThat(html)
                .contains("<a href=\"/reconciliation\" class=\"active\">Reconciliation</a>")
                .contains("<tr><td>2026-10</td><td>$0.4000</td><td>$0.0000</td><td>$0.4000</td>"
                        + "<td class=\"off\">differs</td></tr>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;b&gt;not in the inventory&lt;/b&gt;")
                .doesNotContain("<script>alert")
                .doesNotContain("<b>not")
                .contains("<td>1</td><td>0.2733</td>")
                .contains("<td>Credit</td><td>-$1.00</td><td></td>")
                .doesNotContain("team-not-applied");
        // under a team filter the page says that billing data is the accounts', the team's name written as text
        String team = Pages.reconciliation(
                p,
                new Pages.View(
                        java.util.Map.of("team", "pay<i>"), "csrf-token", LedgerRenderingTest.STATUS, null, List.of()));
        assertThat(team)
                .contains("id=\"team-not-applied\"")
                .contains("not team pay&lt;i&gt;'s")
                .contains("reconciliation-lines");
    }

    @Test
    void without_billing_data_the_page_says_how_to_give_it() {
        assertThat(Pages.reconciliation(null, AlertsRenderingTest.VIEW))
                .contains("id=\"no-billing-data\"")
                .contains("<code>--cur DIR</code>");
    }
}
