package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.ReportSettings;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15 §5: the one place that prices calls by region, and names the price setting that applies. */
class CallsAtPricesTest {
    /** eu-west-1 at $1000 per 10,000 calls ($0.10 a call); sa-east-1 sets only its secret price. */
    private final Prices regional = ReportSettings.of(Map.of(
                    "price.region.eu-west-1.per10kCallsUsd", "1000",
                    "price.region.sa-east-1.secretMonthUsd", "0.48"))
            .prices();

    @Test
    void calls_in_regions_without_a_call_price_of_their_own_are_one_sum_at_the_global_price() {
        CallsAtPrices c = new CallsAtPrices(Prices.aws())
                .add("us-east-1", 3)
                .add("eu-west-1", 4)
                .add(null, 3);
        assertThat(c.calls()).isEqualByComparingTo("10");
        assertThat(c.usd()).isEqualTo(Prices.aws().callsUsd(BigDecimal.TEN));
        // sa-east-1 sets a secret price only: its calls are at the global call price, with us-east-1's
        CallsAtPrices sa = new CallsAtPrices(regional).add("sa-east-1", 2).add("us-east-1", 2);
        assertThat(sa.usd()).isEqualByComparingTo("0.00002");
    }

    @Test
    void each_regions_calls_are_at_its_price_and_groupings_add_up_exactly() {
        // 3 calls in eu-west-1 at $0.10, 2 in us-east-1 at $0.000005
        CallsAtPrices a = new CallsAtPrices(regional).add("eu-west-1", 1).add("us-east-1", 2);
        CallsAtPrices b = new CallsAtPrices(regional).add("eu-west-1", 2);
        assertThat(a.usd()).isEqualByComparingTo("0.10001");
        assertThat(b.usd()).isEqualByComparingTo("0.20");
        CallsAtPrices both = new CallsAtPrices(regional).add(a).add(b);
        assertThat(both.calls()).isEqualByComparingTo("5");
        assertThat(both.usd()).isEqualByComparingTo(a.usd().add(b.usd())).isEqualByComparingTo("0.30001");
    }

    @Test
    void no_calls_cost_nothing() {
        assertThat(new CallsAtPrices(regional).usd()).isZero();
        assertThat(new CallsAtPrices(regional).calls()).isZero();
    }

    @Test
    void the_setting_named_is_the_regions_where_it_sets_that_price_else_the_global_one() {
        assertThat(regional.setting("eu-west-1", "per10kCallsUsd")).isEqualTo("price.region.eu-west-1.per10kCallsUsd");
        assertThat(regional.setting("eu-west-1", "secretMonthUsd")).isEqualTo("price.secretMonthUsd");
        assertThat(regional.setting("sa-east-1", "secretMonthUsd")).isEqualTo("price.region.sa-east-1.secretMonthUsd");
        assertThat(regional.setting("us-east-1", "per10kCallsUsd")).isEqualTo("price.per10kCallsUsd");
        assertThat(regional.setting(null, "per10kCallsUsd")).isEqualTo("price.per10kCallsUsd");
    }

    @Test
    void secret_months_are_storage_over_the_regions_secret_price_and_zero_at_a_zero_price() {
        assertThat(regional.secretMonths("sa-east-1", new BigDecimal("0.24"))).isEqualByComparingTo("0.5");
        assertThat(regional.secretMonths("us-east-1", new BigDecimal("0.20"))).isEqualByComparingTo("0.5");
        Prices free = ReportSettings.of(Map.of("price.region.eu-west-1.secretMonthUsd", "0"))
                .prices();
        assertThat(free.secretMonths("eu-west-1", new BigDecimal("0.20"))).isZero();
    }
}
