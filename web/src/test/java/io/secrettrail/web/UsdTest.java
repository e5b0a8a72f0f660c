package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Issue 15 §5: money under $1 shows four decimals, from $1 up two; exact decimals throughout. */
class UsdTest {
    @Test
    void under_a_dollar_shows_four_decimals() {
        assertThat(Usd.text(new BigDecimal("0.0031"))).isEqualTo("$0.0031");
        assertThat(Usd.text(new BigDecimal("0.003149"))).isEqualTo("$0.0031");
        assertThat(Usd.text(new BigDecimal("0.00315"))).as("half up").isEqualTo("$0.0032");
        assertThat(Usd.text(new BigDecimal("0.40"))).isEqualTo("$0.4000");
        assertThat(Usd.text(BigDecimal.ZERO)).isEqualTo("$0.0000");
        assertThat(Usd.text("0.00")).isEqualTo("$0.0000");
    }

    @Test
    void from_a_dollar_up_shows_two_decimals() {
        assertThat(Usd.text(BigDecimal.ONE)).isEqualTo("$1.00");
        assertThat(Usd.text(new BigDecimal("73"))).isEqualTo("$73.00");
        assertThat(Usd.text(new BigDecimal("12.005"))).isEqualTo("$12.01");
        assertThat(Usd.text("1234567.891")).isEqualTo("$1234567.89");
    }

    @Test
    void the_boundary_is_decided_before_rounding_as_money_display_does() {
        assertThat(Usd.text(new BigDecimal("0.99995"))).isEqualTo("$1.0000");
        assertThat(Usd.text(new BigDecimal("0.99994"))).isEqualTo("$0.9999");
    }

    @Test
    void negatives_put_the_sign_before_the_dollar_and_null_stays_null() {
        assertThat(Usd.text(new BigDecimal("-0.4"))).isEqualTo("-$0.4000");
        assertThat(Usd.text(new BigDecimal("-2.5"))).isEqualTo("-$2.50");
        assertThat(Usd.amount(new BigDecimal("0.0031"))).isEqualTo("0.0031");
        assertThat(Usd.text((BigDecimal) null)).isNull();
        assertThat(Usd.amount((String) null)).isNull();
    }

    @Test
    void a_long_exact_value_is_not_bent_by_a_double() {
        // 0.1 + 0.2 in doubles is 0.30000000000000004; exact decimals round 0.30005 half up
        assertThat(Usd.text(new BigDecimal("0.30005"))).isEqualTo("$0.3001");
        assertThat(Usd.text(new BigDecimal("10000000000000000.005"))).isEqualTo("$10000000000000000.01");
    }
}
