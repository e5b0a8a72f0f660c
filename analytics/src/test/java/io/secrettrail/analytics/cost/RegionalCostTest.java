package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §5: a region's own prices bill its secrets' storage and calls, the calls that name no secret and each
 * principal's calls made there; elsewhere the global prices hold.
 */
class RegionalCostTest extends RuleTestBase {
    static final String EU = arn("eu-west-1", "app/eu");
    static final String US = arn("us-east-1", "app/us");

    private CostReport cost(Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(ReportSettings.of(settings).prices()).compute(Snapshot.at(c, AS_OF));
        }
    }

    private void twoSecretsWithCalls() throws Exception {
        fx.inventory(EU, daysAgo(200), "{}");
        fx.inventory(US, daysAgo(200), "{}");
        fx.apiCalls("GetSecretValue", EU, List.of(daysAgo(3), daysAgo(2), daysAgo(1)));
        fx.apiCalls("GetSecretValue", US, List.of(daysAgo(3), daysAgo(2)));
    }

    @Test
    void eu_west_1_storage_and_calls_at_its_own_prices_us_east_1_at_the_global_ones() throws Exception {
        twoSecretsWithCalls();
        // a call price of $1000 per 10,000 ($0.10 a call) makes the calls visible in cents
        CostReport c = cost(Map.of(
                "price.region.eu-west-1.secretMonthUsd", "0.50",
                "price.region.eu-west-1.per10kCallsUsd", "1000"));
        // By hand, November to asOf is 492 of 720 hours. EU: 0.50 x 492 / 720 = 0.341667 storage, 3 calls x 0.10 =
        // 0.30: 0.64 to date. US: 0.40 x 492 / 720 = 0.273333, 2 calls x 0.000005: 0.27.
        assertThat(c.bySecret().get(EU).monthToDateUsd()).hasToString("0.64");
        assertThat(c.bySecret().get(US).monthToDateUsd()).hasToString("0.27");
        // storage 0.341667 + 0.273333 = 0.615 (exactly) -> 0.62; calls 0.30 + 0.00001 -> 0.30
        assertThat(c.secretsMonthToDateUsd()).hasToString("0.62");
        assertThat(c.apiCallsMonthToDateUsd()).hasToString("0.30");
        assertThat(c.secretsProjectedUsd()).hasToString("0.90");
    }

    @Test
    void without_regional_prices_the_figures_are_the_global_ones() throws Exception {
        twoSecretsWithCalls();
        CostReport c = cost(Map.of());
        assertThat(c.bySecret().get(EU).monthToDateUsd()).hasToString("0.27");
        assertThat(c.secretsMonthToDateUsd()).hasToString("0.55"); // 2 x 0.273333 = 0.546667
        assertThat(c.apiCallsMonthToDateUsd()).hasToString("0.00");
    }

    /** A record of {@code name} by role {@code who} in {@code region}, on {@code secret} (null: naming none). */
    private String call(String name, String who, String region, String secret, Instant at) throws Exception {
        var c = fx.call(name, at).by(who).in(region);
        return (secret == null ? c : c.secret(secret)).json();
    }

    /**
     * Calls in two regions by two principals, each of whom calls in both: October (closed) and November (open).
     * October: app reads EU twice and lists secrets in us-east-1; ci lists secrets in eu-west-1 and reads US once.
     * November: ci reads EU twice and lists secrets in eu-west-1; app reads US twice and lists in us-east-1.
     */
    private void callsInTwoRegionsByTwoPrincipals() throws Exception {
        fx.inventory(EU, daysAgo(200), "{}");
        fx.inventory(US, daysAgo(200), "{}");
        Instant oct = Instant.parse("2026-10-20T10:00:00Z");
        fx.events(List.of(
                call("GetSecretValue", "app", "eu-west-1", EU, oct),
                call("GetSecretValue", "app", "eu-west-1", EU, oct.plusSeconds(1)),
                call("ListSecrets", "app", "us-east-1", null, oct.plusSeconds(2)),
                call("ListSecrets", "ci", "eu-west-1", null, oct.plusSeconds(3)),
                call("GetSecretValue", "ci", "us-east-1", US, oct.plusSeconds(4)),
                call("GetSecretValue", "ci", "eu-west-1", EU, daysAgo(3)),
                call("GetSecretValue", "ci", "eu-west-1", EU, daysAgo(2)),
                call("ListSecrets", "ci", "eu-west-1", null, daysAgo(1)),
                call("GetSecretValue", "app", "us-east-1", US, daysAgo(3)),
                call("GetSecretValue", "app", "us-east-1", US, daysAgo(2)),
                call("ListSecrets", "app", "us-east-1", null, daysAgo(1))));
    }

    private static final Map<String, String> EU_PRICES = Map.of(
            "price.region.eu-west-1.secretMonthUsd", "0.50",
            "price.region.eu-west-1.per10kCallsUsd", "1000");

    private static MonthCost month(CostReport c, String key) {
        return c.months().stream()
                .filter(m -> m.month().equals(key))
                .findFirst()
                .orElseThrow();
    }

    private static BigDecimal usd(List<MonthCost.Line> lines, String key) {
        return lines.stream()
                .filter(l -> l.key().equals(key))
                .findFirst()
                .orElseThrow()
                .usd();
    }

    private static BigDecimal sum(List<MonthCost.Line> lines) {
        return lines.stream().map(MonthCost.Line::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void principals_and_unattributed_calls_are_priced_in_the_region_each_call_was_made_in() throws Exception {
        callsInTwoRegionsByTwoPrincipals();
        CostReport c = cost(EU_PRICES);
        // By hand, eu-west-1 $0.10 a call, us-east-1 $0.000005. October: app 2 EU reads + 1 US list = 0.200005;
        // ci 1 EU list + 1 US read = 0.100005; unattributed: the two lists, 0.10 + 0.000005.
        MonthCost oct = month(c, "2026-10");
        assertThat(usd(oct.byPrincipal(), role("app"))).isEqualByComparingTo("0.200005");
        assertThat(usd(oct.byPrincipal(), role("ci"))).isEqualByComparingTo("0.100005");
        assertThat(oct.unattributedUsd()).isEqualByComparingTo("0.100005");
        assertThat(oct.apiCallsUsd()).isEqualByComparingTo("0.30001");
        // storage for the whole month: EU 0.50, US 0.40
        assertThat(oct.secretsUsd()).isEqualByComparingTo("0.90");
        // November to asOf: ci 3 EU calls = 0.30; app 3 US calls = 0.000015; unattributed 0.100005
        MonthCost nov = month(c, "2026-11");
        assertThat(usd(nov.byPrincipal(), role("ci"))).isEqualByComparingTo("0.30");
        assertThat(usd(nov.byPrincipal(), role("app"))).isEqualByComparingTo("0.000015");
        assertThat(nov.unattributedUsd()).isEqualByComparingTo("0.100005");
        // v1: the top principals, the unattributed calls and the projection follow the regional price. Every call
        // of November lies in the 168 h window, 228 h are left: each count projects to n x 396 / 168 = n x 33 / 14.
        // EU 3 x 33/14 x 0.10 = 0.707142..., US 3 x 33/14 x 0.000005 = 0.0000353...: 0.71 (the global price on the
        // EU ListSecrets would give 0.47)
        // (v1 orders the top principals by calls: both made 3, so by key)
        assertThat(c.topPrincipals())
                .extracting(CostReport.Line::key, CostReport.Line::monthToDateUsd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(role("app"), new BigDecimal("0.00")),
                        org.assertj.core.groups.Tuple.tuple(role("ci"), new BigDecimal("0.30")));
        assertThat(c.unattributedMonthToDateUsd()).hasToString("0.10");
        assertThat(c.apiCallsProjectedUsd()).hasToString("0.71");
    }

    @Test
    void each_months_principals_add_up_to_its_calls_and_its_secrets_and_unattributed_calls_to_its_total()
            throws Exception {
        callsInTwoRegionsByTwoPrincipals();
        for (MonthCost m : cost(EU_PRICES).months()) {
            // exact decimals, not cents: a priced call is never lost nor counted twice between the breakdowns
            assertThat(sum(m.byPrincipal())).as(m.month()).isEqualByComparingTo(m.apiCallsUsd());
            assertThat(sum(m.bySecret()).add(m.unattributedUsd())).as(m.month()).isEqualByComparingTo(m.totalUsd());
            assertThat(m.totalUsd())
                    .as(m.month())
                    .isEqualByComparingTo(m.secretsUsd().add(m.apiCallsUsd()));
        }
    }

    @Test
    void a_regional_storage_price_alone_leaves_the_calls_at_the_global_price() throws Exception {
        callsInTwoRegionsByTwoPrincipals();
        CostReport c = cost(Map.of("price.region.eu-west-1.secretMonthUsd", "0.50"));
        MonthCost nov = month(c, "2026-11");
        // ci's 3 EU calls at $0.000005
        assertThat(usd(nov.byPrincipal(), role("ci"))).isEqualByComparingTo("0.000015");
        assertThat(nov.unattributedUsd()).isEqualByComparingTo("0.00001");
        assertThat(c.otherPrincipals().usd()).isEqualByComparingTo("0");
    }
}
