package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.cost.Prices;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §5: regional prices from settings ({@code price.region.<region>.<price>}) over the global ones, and the
 * KMS prices with AWS's defaults; each validated, naming the setting.
 */
class RegionalPricesTest {
    @Test
    void without_settings_every_region_has_aws_prices_and_the_kms_defaults() {
        Prices p = ReportSettings.of(Map.of()).prices();
        assertThat(p.forRegion("eu-west-1")).isEqualTo(p);
        assertThat(p.kmsPer10kRequestsUsd()).isEqualByComparingTo("0.03");
        assertThat(p.kmsKeyMonthUsd()).isEqualByComparingTo("1.00");
        assertThat(p.kmsFreeRequestsPerMonth()).isEqualTo(20_000);
    }

    @Test
    void a_region_overrides_only_the_prices_it_sets_and_only_there() {
        Prices p = ReportSettings.of(Map.of(
                        "price.region.sa-east-1.secretMonthUsd", "0.48",
                        "price.region.sa-east-1.kmsPer10kRequestsUsd", "0.036",
                        "price.kmsFreeRequestsPerMonth", "0",
                        "price.per10kCallsUsd", "0.06"))
                .prices();
        Prices sa = p.forRegion("sa-east-1");
        assertThat(sa.secretMonthUsd()).isEqualByComparingTo("0.48");
        assertThat(sa.kmsPer10kRequestsUsd()).isEqualByComparingTo("0.036");
        assertThat(sa.per10kCallsUsd())
                .as("not set for the region: the global one")
                .isEqualByComparingTo("0.06");
        assertThat(sa.kmsFreeRequestsPerMonth()).isZero();
        Prices us = p.forRegion("us-east-1");
        assertThat(us.secretMonthUsd()).isEqualByComparingTo("0.40");
        assertThat(us.kmsPer10kRequestsUsd()).isEqualByComparingTo("0.03");
        assertThat(p.forRegion(null).secretMonthUsd()).isEqualByComparingTo("0.40");
    }

    @Test
    void an_unknown_regional_price_is_refused_naming_the_setting_and_the_known_ones() {
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.eu-west-1.secretMonthUSD", "0.4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("price.region.eu-west-1.secretMonthUSD: unknown regional price")
                .hasMessageContaining("secretMonthUsd");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.eu-west-1.kmsFreeRequestsPerMonth", "1")))
                .as("the free tier is account-wide, not regional")
                .hasMessageStartingWith("price.region.eu-west-1.kmsFreeRequestsPerMonth: unknown regional price");
    }

    @Test
    void a_negative_a_non_numeric_price_and_a_malformed_region_are_refused() {
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.eu-west-1.per10kCallsUsd", "-0.01")))
                .hasMessage("price.region.eu-west-1.per10kCallsUsd: must not be negative, was -0.01");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.eu-west-1.per10kCallsUsd", "cheap")))
                .hasMessage("price.region.eu-west-1.per10kCallsUsd: expected a number, was cheap");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.Europe.per10kCallsUsd", "0.05")))
                .hasMessageContaining("\"Europe\" is not a region name");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.region.eu-west-1", "0.05")))
                .hasMessageStartingWith("price.region.eu-west-1: expected price.region.<region>.<price>");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.kmsKeyMonthUsd", "-1")))
                .hasMessage("price.kmsKeyMonthUsd: must not be negative, was -1");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("price.kmsFreeRequestsPerMonth", "-1")))
                .hasMessageStartingWith("price.kmsFreeRequestsPerMonth");
    }

    @Test
    void a_secret_in_a_region_with_its_own_storage_price_is_billed_at_it() {
        Prices p = ReportSettings.of(Map.of("price.region.eu-west-1.secretMonthUsd", "0.50"))
                .prices();
        io.secrettrail.analytics.cost.Month nov =
                io.secrettrail.analytics.cost.Month.of(java.time.Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(Prices.cents(p.forRegion("eu-west-1").storageUsd(nov.start(), nov.end(), nov)))
                .hasToString("0.50");
        assertThat(Prices.cents(p.forRegion("eu-west-2").storageUsd(nov.start(), nov.end(), nov)))
                .hasToString("0.40");
    }
}
