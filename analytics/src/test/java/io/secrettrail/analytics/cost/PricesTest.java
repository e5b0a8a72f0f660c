package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PricesTest {
    private final Prices aws = Prices.aws();
    private final Month november = Month.of(Instant.parse("2026-11-21T12:00:00Z"));

    @Test
    void the_worked_example_100_secrets_20_replicas_5_million_calls_in_a_30_day_month_is_73_dollars() {
        BigDecimal storage =
                aws.storageUsd(november.start(), november.end(), november).multiply(BigDecimal.valueOf(120));
        BigDecimal calls = aws.callsUsd(BigDecimal.valueOf(5_000_000));
        assertThat(november.hours()).isEqualTo(720);
        assertThat(Prices.cents(storage)).isEqualByComparingTo("48.00");
        assertThat(Prices.cents(calls)).isEqualByComparingTo("25.00");
        assertThat(Prices.cents(storage.add(calls))).hasToString("73.00");
    }

    @Test
    void a_secret_created_mid_month_is_billed_from_its_creation() {
        BigDecimal usd = aws.storageUsd(Instant.parse("2026-11-16T00:00:00Z"), november.end(), november);
        assertThat(Prices.cents(usd)).hasToString("0.20");
    }

    @Test
    void a_secret_deleted_mid_month_is_not_billed_after_its_deletion() {
        BigDecimal usd = aws.storageUsd(november.start(), Instant.parse("2026-11-11T00:00:00Z"), november);
        assertThat(usd.setScale(6, java.math.RoundingMode.HALF_UP)).hasToString("0.133333");
        assertThat(Prices.cents(usd)).hasToString("0.13");
        assertThat(aws.storageUsd(Instant.parse("2026-11-11T00:00:00Z"), november.start(), november))
                .isZero();
    }

    @Test
    void february_of_a_leap_year_has_696_hours() {
        Month feb = Month.of(Instant.parse("2028-02-20T00:00:00Z"));
        assertThat(feb.hours()).isEqualTo(696);
        assertThat(Month.of(Instant.parse("2027-02-20T00:00:00Z")).hours()).isEqualTo(672);
        BigDecimal usd = aws.storageUsd(Instant.parse("2028-02-15T00:00:00Z"), feb.end(), feb);
        assertThat(Prices.cents(usd)).hasToString("0.21"); // 0.40 x 360 / 696 = 0.2069
        assertThat(Prices.cents(aws.storageUsd(feb.start(), feb.end(), feb))).hasToString("0.40");
    }

    @Test
    void the_month_is_the_utc_calendar_month_of_as_of() {
        assertThat(Month.of(Instant.parse("2026-11-30T23:59:59Z")).month()).hasToString("2026-11");
        assertThat(Month.of(Instant.parse("2026-12-01T00:00:00Z")).month()).hasToString("2026-12");
        assertThat(Month.of(Instant.parse("2026-12-01T00:00:00Z")).start())
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }
}
