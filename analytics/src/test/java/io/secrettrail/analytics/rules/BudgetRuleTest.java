package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.cost.BudgetLines;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.cost.Prices;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * budget (issue 15 §3): five inventoried secrets (tag team=payments) cost $0.40 each, all of October and all of
 * November: October's total is $2.00 (+ one read, $0.000005), November projects $2.00 before five more
 * secrets are created on 2026-11-11T12:00Z, outside the inventory and untagged; from then on it projects
 * 2.00 + 5 x 0.40 x 468 h / 720 h = $3.30 (+ their 5 CreateSecret calls). The rule reads the report's figures
 * (budget_lines), so each test computes the cost on the snapshot first, as the report does.
 */
class BudgetRuleTest extends RuleTestBase {
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant BEFORE = Instant.parse("2026-11-05T12:00:00Z");
    static final Instant CREATED = Instant.parse("2026-11-11T12:00:00Z");

    @BeforeEach
    void secrets() throws Exception {
        for (int i = 0; i < 5; i++) {
            fx.inventory(arn("us-east-1", "app/s" + i), null, true, OLD, null, null, null, null);
            fx.apiCall("CreateSecret", arn("us-east-1", "new/s" + i), CREATED, null);
        }
        // the trail reaches back into October, so October is a month of the report
        fx.apiCall("GetSecretValue", arn("us-east-1", "app/s0"), Instant.parse("2026-10-15T00:00:00Z"), null);
    }

    private List<Finding> budget(Instant asOf, Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            Snapshot s = Snapshot.at(c, asOf);
            CostReport cost = new CostService(Prices.aws()).compute(s);
            BudgetLines.publish(c, cost.months());
            return new RuleRunner(s)
                    .run(fx.catalog().get("budget"), fx.catalog().values(settings));
        }
    }

    private static Finding on(List<Finding> findings, String resource) {
        return findings.stream()
                .filter(f -> f.resource().equals(resource))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding on " + resource + " in " + findings));
    }

    @Test
    void off_by_default() throws Exception {
        assertThat(budget(AS_OF, Map.of())).isEmpty();
    }

    @Test
    void a_projection_past_the_monthly_budget_alarms_with_the_figures() throws Exception {
        Finding f = on(budget(AS_OF, Map.of("budget.monthlyUsd", "3")), "all accounts");
        assertThat(f.status()).isEqualTo("alarm");
        assertThat(f.reason()).isEqualTo("projected $3.30 for 2026-11 passes the budget of $3.00 (budget.monthlyUsd)");
        assertThat(f.incident()).isNotNull();
        assertThat(f.incident().firstHit()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(f.incident().state()).isEqualTo("open");
    }

    @Test
    void a_projection_at_the_budget_does_not_pass_it() throws Exception {
        // before the new secrets: exactly 5 x $0.40 projected
        Finding f = on(budget(BEFORE, Map.of("budget.monthlyUsd", "2")), "all accounts");
        assertThat(f.status()).isEqualTo("ok");
        assertThat(f.reason())
                .isEqualTo("projected $2.00 for 2026-11 is within the budget of $2.00 (budget.monthlyUsd)");
        assertThat(on(budget(BEFORE, Map.of("budget.monthlyUsd", "1.9999")), "all accounts")
                        .status())
                .isEqualTo("alarm");
    }

    @Test
    void account_and_tag_budgets_judge_their_own_lines() throws Exception {
        List<Finding> f = budget(
                AS_OF,
                Map.of(
                        "budget.accountsUsd", "123456789012=3.5, 999999999999=1",
                        "budget.tagsUsd", "team=payments=1.5"));
        assertThat(f)
                .extracting(Finding::resource)
                .containsExactlyInAnyOrder("account 123456789012", "tag team=payments");
        Finding account = on(f, "account 123456789012");
        assertThat(account.status()).isEqualTo("ok");
        assertThat(account.account()).isEqualTo("123456789012");
        Finding tag = on(f, "tag team=payments");
        assertThat(tag.status()).isEqualTo("alarm");
        assertThat(tag.reason()).isEqualTo("projected $2.00 for 2026-11 passes the budget of $1.50 (budget.tagsUsd)");
    }

    @Test
    void growth_past_the_factor_alarms_once_the_new_secrets_exist() throws Exception {
        Map<String, String> growth = Map.of("budget.growthFactor", "1.5");
        // asOf moves: on 2026-11-05 November projects what October cost; on 2026-11-21 it has grown 1.65x
        Finding before = on(budget(BEFORE, growth), "all accounts");
        assertThat(before.status()).isEqualTo("ok");
        assertThat(before.reason())
                .isEqualTo(
                        "projected $2.00 for 2026-11 is 1.00x last month's $2.00 (2026-10), within the growth factor of 1.5");
        List<Finding> after = budget(AS_OF, growth);
        assertThat(on(after, "all accounts").status()).isEqualTo("alarm");
        assertThat(on(after, "all accounts").reason())
                .isEqualTo(
                        "projected $3.30 for 2026-11 is 1.65x last month's $2.00 (2026-10), past the growth factor of 1.5");
        assertThat(on(after, "account 123456789012").status()).isEqualTo("alarm");
        // the tag's secrets did not change
        assertThat(on(after, "tag team=payments").status()).isEqualTo("ok");
        assertThat(on(budget(AS_OF, Map.of("budget.growthFactor", "1.65")), "all accounts")
                        .status())
                .as("3.300025 passes 2.000005 x 1.65 = 3.30000825")
                .isEqualTo("alarm");
        assertThat(on(budget(AS_OF, Map.of("budget.growthFactor", "1.66")), "all accounts")
                        .status())
                .isEqualTo("ok");
    }

    @Test
    void small_lines_and_months_without_a_closed_one_are_not_judged_for_growth() throws Exception {
        Finding small =
                on(budget(AS_OF, Map.of("budget.growthFactor", "1.5", "budget.growthMinUsd", "5")), "all accounts");
        assertThat(small.status()).isEqualTo("ok");
        assertThat(small.reason()).endsWith("is under budget.growthMinUsd: not judged for growth");
        Finding first =
                on(budget(Instant.parse("2026-10-20T00:00:00Z"), Map.of("budget.growthFactor", "1.5")), "all accounts");
        assertThat(first.reason()).endsWith("has no closed month with a cost before it: not judged for growth");
    }

    @Test
    void the_report_raises_the_alarm_through_the_alert_path() throws Exception {
        Report report;
        try (Connection c = fx.reader()) {
            report = new ReportService(c, ReportSettings.of(Map.of("budget.accountsUsd", "123456789012=3")))
                    .build(AS_OF, 0, 0, 0, false);
        }
        assertThat(report.alerts())
                .filteredOn(f -> f.rule().equals("budget"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.resource()).isEqualTo("account 123456789012");
                    assertThat(f.reason())
                            .isEqualTo("projected $3.30 for 2026-11 passes the budget of $3.00 (budget.accountsUsd)");
                    assertThat(f.incident().id()).isNotBlank();
                    assertThat(f.severity()).isEqualTo("medium");
                });
        // the figure judged is the one the report shows
        assertThat(report.cost().byAccount())
                .singleElement()
                .satisfies(l -> assertThat(l.projectedUsd()).hasToString("3.30"));
    }

    @Test
    void malformed_budgets_are_refused_naming_the_setting() {
        assertThatThrownBy(() -> fx.catalog().values(Map.of("budget.accountsUsd", "12345=3")))
                .hasMessageContaining("budget.accountsUsd")
                .hasMessageContaining("111122223333=50");
        assertThatThrownBy(() -> fx.catalog().values(Map.of("budget.tagsUsd", "team=30")))
                .hasMessageContaining("budget.tagsUsd");
        assertThatThrownBy(() -> fx.catalog().values(Map.of("budget.growthFactor", "-1")))
                .hasMessageContaining("budget.growthFactor");
    }
}
