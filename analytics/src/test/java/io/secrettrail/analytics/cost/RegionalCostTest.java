package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15 §5: a region's own prices bill its secrets' storage and calls; elsewhere the global prices hold. */
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
}
