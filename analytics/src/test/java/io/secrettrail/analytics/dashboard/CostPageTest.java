package io.secrettrail.analytics.dashboard;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §3, the dashboard's Cost page: the range picks the months, the account and region pick the secret
 * lines, and totals, breakdowns and the month-over-month bars are sums of those lines.
 *
 * <p>By hand, at $0.40 a secret-month and $0.000005 a call. October 2026 (closed, 744 h): prod/db (us-east-1)
 * and eu/db (eu-west-1), both listed since 2025, $0.40 storage each; 2 reads of prod/db ($0.00001) and 4 of
 * eu/db ($0.00002): prod/db $0.40001, eu/db $0.40002, the month $0.80003. November (open, to 2026-11-21T12:00Z):
 * 1 read of prod/db and a ListSecrets in us-east-1 that names no secret (unattributed, $0.000005).
 */
class CostPageTest extends RuleTestBase {
    static final String EU = arn("eu-west-1", "eu/db");
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    static final Filters EU_ONLY = new Filters(null, null, null, "eu-west-1");
    static final Filters US_ONLY = new Filters(null, null, null, "us-east-1");

    private DashboardService dashboard(ReportCache reports) {
        assertThat(reports.tick(Clock.fixed(AS_OF, ZoneOffset.UTC))).isTrue();
        return new DashboardService(fx.store(), reports);
    }

    private void twoSecretsOverTwoMonths() throws Exception {
        fx.inventory(DB, null, false, OLD, null, null, null, null);
        fx.inventory(EU, null, false, OLD, null, null, null, null);
        Instant oct = Instant.parse("2026-10-20T10:00:00Z");
        fx.apiCalls("GetSecretValue", DB, List.of(oct, oct.plusSeconds(60)));
        fx.apiCalls("GetSecretValue", EU, List.of(oct, oct.plusSeconds(1), oct.plusSeconds(2), oct.plusSeconds(3)));
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.historyFrom("us-east-1", daysAgo(2));
    }

    private static MonthCost.Line line(List<MonthCost.Line> lines, String key) {
        return lines.stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void a_region_filter_narrows_a_closed_months_totals_and_lines_to_its_secrets() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            CostPage all = d.costPage(Filters.ALL, YearMonth.of(2026, 10));
            assertThat(all.closed()).isTrue();
            assertThat(all.projectedUsd()).isNull();
            assertThat(all.totalUsd()).isEqualByComparingTo("0.80003");
            assertThat(all.secretsUsd()).isEqualByComparingTo("0.80");
            assertThat(all.filtered()).isFalse();

            CostPage eu = d.costPage(EU_ONLY, YearMonth.of(2026, 10));
            assertThat(eu.filtered()).isTrue();
            assertThat(eu.totalUsd()).isEqualByComparingTo("0.40002");
            assertThat(eu.secretsUsd()).isEqualByComparingTo("0.40");
            assertThat(eu.apiCalls()).isEqualByComparingTo("4");
            assertThat(eu.apiCallsUsd()).isEqualByComparingTo("0.00002");
            assertThat(eu.unattributedUsd())
                    .as("no account or region to place them in")
                    .isNull();
            assertThat(eu.bySecret()).extracting(MonthCost.Line::key).containsExactly(EU);
            assertThat(eu.byRegion()).extracting(MonthCost.Line::key).containsExactly("eu-west-1");
            assertThat(eu.byAccount())
                    .singleElement()
                    .satisfies(l -> assertThat(l.usd()).isEqualByComparingTo("0.40002"));
            assertThat(line(eu.byTag(), "team=payments").usd()).isEqualByComparingTo("0.40002");
            assertThat(eu.byPrincipal()).singleElement().satisfies(l -> {
                assertThat(l.key()).isEqualTo(role("app"));
                assertThat(l.calls()).isEqualByComparingTo("4");
                assertThat(l.usd()).isEqualByComparingTo("0.00002");
            });
        }
    }

    @Test
    void the_open_month_is_the_default_and_a_filter_counts_its_principals_unattributed_calls_too() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            CostPage open = d.costPage(Filters.ALL, null);
            assertThat(open.month()).isEqualTo("2026-11");
            assertThat(open.closed()).isFalse();
            assertThat(open.projectedUsd()).isNotNull();
            assertThat(open.unattributedUsd()).isEqualByComparingTo("0.000005");
            assertThat(open.months()).extracting(CostPage.Bar::month).containsExactly("2026-10", "2026-11");
            // the open month's unfiltered figures are the report's v1 ones before cent rounding
            assertThat(open.totalUsd().setScale(2, java.math.RoundingMode.HALF_UP))
                    .isEqualByComparingTo(reports.report().cost().monthToDateUsd());

            CostPage us = d.costPage(US_ONLY, null);
            assertThat(us.bySecret()).extracting(MonthCost.Line::key).containsExactly(DB);
            assertThat(us.principalsInScope()).isTrue();
            assertThat(line(us.byPrincipal(), role("app")).calls())
                    .as("the read of prod/db and the ListSecrets")
                    .isEqualByComparingTo("2");
            assertThat(us.totalUsd()).isLessThan(open.totalUsd());
            assertThat(us.projectedUsd()).isLessThan(open.projectedUsd());
            // the chart's bars follow the filter: October in us-east-1 is prod/db alone
            assertThat(us.months().get(0).totalUsd()).isEqualByComparingTo("0.40001");
            assertThat(us.months().get(0).kmsUsd()).isNull();

            CostPage nowhere = d.costPage(new Filters(null, null, "999999999999", null), null);
            assertThat(nowhere.totalUsd()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(nowhere.bySecret()).isEmpty();
            assertThat(nowhere.byPrincipal()).isEmpty();
        }
    }

    @Test
    void the_range_picks_the_months_and_a_month_outside_it_falls_back_with_a_note() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            Filters november = new Filters(LocalDate.parse("2026-11-01"), null, null, null);
            CostPage p = d.costPage(november, YearMonth.of(2026, 10));
            assertThat(p.months()).extracting(CostPage.Bar::month).containsExactly("2026-11");
            assertThat(p.month()).isEqualTo("2026-11");
            assertThat(p.note()).isEqualTo("2026-10 is outside the range; showing 2026-11.");

            // a range ending on October's last day still holds October; one starting on it both months
            Filters toOct31 = new Filters(null, LocalDate.parse("2026-10-31"), null, null);
            assertThat(d.costPage(toOct31, YearMonth.of(2026, 10)).months())
                    .extracting(CostPage.Bar::month)
                    .containsExactly("2026-10");
            Filters fromOct31 = new Filters(LocalDate.parse("2026-10-31"), null, null, null);
            assertThat(d.costPage(fromOct31, null).months())
                    .extracting(CostPage.Bar::month)
                    .containsExactly("2026-10", "2026-11");
            assertThat(d.costPage(fromOct31, null).note()).isNull();
        }
    }

    @Test
    void a_month_the_report_does_not_hold_is_refused_naming_the_parameter() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            assertThatThrownBy(() -> d.costPage(Filters.ALL, YearMonth.of(2025, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("month: the report has no month 2025-01 (it spans 2026-10 to 2026-11)");
        }
    }

    /** Issue 15 §5: a principal's $0.00001 is not "0.00", nor a secret's prorated storage its cents. */
    @Test
    void the_principals_and_secrets_pages_carry_the_open_months_exact_figures_beside_v1() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            PrincipalRow app = d.principals(Filters.ALL, null, 1, 100).items().stream()
                    .filter(p -> p.principal().equals(role("app")))
                    .findFirst()
                    .orElseThrow();
            assertThat(app.costShareUsd()).isEqualTo("0.00");
            assertThat(app.costShareUsdExact())
                    .as("the read of prod/db and the ListSecrets")
                    .isEqualTo("0.00001");
            SecretRow db = d.secrets(Filters.ALL, null, null, null, "name", false, 1, 100).items().stream()
                    .filter(r -> r.arn().equals(DB))
                    .findFirst()
                    .orElseThrow();
            // November to 2026-11-21T12:00Z is 492 h of 720: 0.40 x 492 / 720 = 0.27333..., plus one call
            assertThat(new BigDecimal(db.monthToDateUsdExact())).isEqualByComparingTo("0.2733383333");
            assertThat(db.monthToDateUsd()).isEqualTo("0.27");
            Overview o = d.overview(Filters.ALL);
            assertThat(new BigDecimal(o.monthToDateUsdExact()))
                    .isEqualByComparingTo(
                            d.costPage(Filters.ALL, null).totalUsd().setScale(10, java.math.RoundingMode.HALF_EVEN));
        }
    }

    @Test
    void a_filtered_scope_and_its_principals_price_each_call_at_its_regions_price() throws Exception {
        twoSecretsOverTwoMonths();
        // eu-west-1 at $0.50 a secret-month and $1000 per 10,000 calls ($0.10 a call, visible in cents)
        ReportSettings eu = ReportSettings.of(java.util.Map.of(
                "price.region.eu-west-1.secretMonthUsd", "0.50",
                "price.region.eu-west-1.per10kCallsUsd", "1000"));
        try (ReportCache reports = new ReportCache(fx.store(), eu, () -> AS_OF)) {
            DashboardService d = dashboard(reports);
            YearMonth oct = YearMonth.of(2026, 10);
            // October in eu-west-1: eu/db $0.50 storage, 4 reads x $0.10
            CostPage euOnly = d.costPage(EU_ONLY, oct);
            assertThat(euOnly.secretsUsd()).isEqualByComparingTo("0.50");
            assertThat(euOnly.apiCallsUsd()).isEqualByComparingTo("0.40");
            assertThat(euOnly.totalUsd()).isEqualByComparingTo("0.90");
            assertThat(euOnly.byPrincipal()).singleElement().satisfies(l -> {
                assertThat(l.calls()).isEqualByComparingTo("4");
                assertThat(l.usd()).isEqualByComparingTo("0.40");
            });
            // October in us-east-1: prod/db $0.40 storage, 2 reads at the global $0.000005, not at a price
            // averaged over both regions' calls
            CostPage usOnly = d.costPage(US_ONLY, oct);
            assertThat(usOnly.secretsUsd()).isEqualByComparingTo("0.40");
            assertThat(usOnly.apiCallsUsd()).isEqualByComparingTo("0.00001");
            assertThat(line(usOnly.byPrincipal(), role("app")).usd()).isEqualByComparingTo("0.00001");
            // the account across both regions: app's 6 calls, each at its region's price, as the unfiltered page
            CostPage account = d.costPage(new Filters(null, null, "123456789012", null), oct);
            CostPage all = d.costPage(Filters.ALL, oct);
            assertThat(line(account.byPrincipal(), role("app")).usd()).isEqualByComparingTo("0.40001");
            assertThat(account.apiCallsUsd()).isEqualByComparingTo(all.apiCallsUsd());
            assertThat(account.secretsUsd())
                    .isEqualByComparingTo(all.secretsUsd())
                    .isEqualByComparingTo("0.90");
            assertThat(line(all.byPrincipal(), role("app")).usd()).isEqualByComparingTo("0.40001");
        }
    }

    @Test
    void under_a_filter_our_own_calls_are_billed_to_the_secrettrail_line_as_the_report_does_and_to_no_team()
            throws Exception {
        String self = role("secrettrail-reader");
        String marked = "aws-sdk-java/2.57.8 ua/2.1 lang/java#17.0.13 secrettrail/0.1.0";
        ReportSettings settings = ReportSettings.of(java.util.Map.of("self.principals", self));
        try (io.secrettrail.analytics.rules.RuleFixture ours = new io.secrettrail.analytics.rules.RuleFixture(
                null, settings.self().ownCalls())) {
            ours.inventory(DB, null, false, OLD, null, null, null, null);
            Instant t = daysAgo(1);
            ours.events(List.of(
                    ours.call("DescribeSecret", t)
                            .by("secrettrail-reader")
                            .agent(marked)
                            .secret(DB)
                            .json(), // ours
                    ours.call("DescribeSecret", t.plusSeconds(1))
                            .by("secrettrail-reader")
                            .secret(DB)
                            .json(), // no marker: its principal's
                    ours.call("GetSecretValue", t.plusSeconds(2))
                            .by("secrettrail-reader")
                            .agent(marked)
                            .secret(DB)
                            .json(), // a value read is never ours
                    ours.call("GetSecretValue", t.plusSeconds(3))
                            .by("app")
                            .secret(DB)
                            .json()));
            try (ReportCache reports = new ReportCache(ours.store(), settings, () -> AS_OF)) {
                assertThat(reports.tick(Clock.fixed(AS_OF, ZoneOffset.UTC))).isTrue();
                DashboardService d = new DashboardService(ours.store(), reports);
                java.util.Map<String, BigDecimal> report = new java.util.TreeMap<>();
                d.costPage(Filters.ALL, null).byPrincipal().forEach(l -> report.put(l.key(), l.calls()));
                assertThat(report).containsOnlyKeys("secrettrail", self, role("app"));
                java.util.Map<String, BigDecimal> filtered = new java.util.TreeMap<>();
                d.costPage(US_ONLY, null).byPrincipal().forEach(l -> filtered.put(l.key(), l.calls()));
                assertThat(filtered).isEqualTo(report);
                assertThat(filtered.get("secrettrail")).isEqualByComparingTo("1");
                assertThat(filtered.get(self)).isEqualByComparingTo("2");
                // under the secret's team: ours name no secret, so no team's
                java.util.Map<String, BigDecimal> team = new java.util.TreeMap<>();
                d.costPage(new Filters(null, null, null, null, "payments"), null)
                        .byPrincipal()
                        .forEach(l -> team.put(l.key(), l.calls()));
                assertThat(team).containsOnlyKeys(self, role("app"));
            }
        }
    }

    @Test
    void before_the_first_report_there_is_no_page() throws Exception {
        twoSecretsOverTwoMonths();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            assertThat(new DashboardService(fx.store(), reports).costPage(Filters.ALL, null))
                    .isNull();
        }
    }
}
