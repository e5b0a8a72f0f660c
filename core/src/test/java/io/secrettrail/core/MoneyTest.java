package io.secrettrail.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
    private static String display(String v) {
        return Money.display(new BigDecimal(v));
    }

    @Test
    void under_a_dollar_shows_four_decimals() {
        assertThat(display("0.0031")).isEqualTo("0.0031");
        assertThat(display("0.00314")).isEqualTo("0.0031");
        assertThat(display("0.00005")).isEqualTo("0.0001");
        assertThat(display("0")).isEqualTo("0.0000");
        assertThat(display("-0.5")).isEqualTo("-0.5000");
    }

    @Test
    void a_dollar_and_more_shows_two() {
        assertThat(display("1")).isEqualTo("1.00");
        assertThat(display("12.345")).isEqualTo("12.35");
        assertThat(display("-3.14159")).isEqualTo("-3.14");
    }

    @Test
    void the_boundary_is_decided_before_rounding() {
        assertThat(display("0.99996")).isEqualTo("1.0000");
        assertThat(display("0.9999")).isEqualTo("0.9999");
    }

    @Test
    void json_keeps_full_precision_to_ten_places_in_plain_notation() {
        assertThat(Money.json(new BigDecimal("0.01830"))).isEqualTo("0.0183");
        assertThat(Money.json(new BigDecimal("1.2E+1"))).isEqualTo("12");
        assertThat(Money.json(new BigDecimal("0E-20"))).isEqualTo("0");
        assertThat(Money.json(new BigDecimal("0.81999999999999999999"))).isEqualTo("0.82");
        assertThat(Money.json(new BigDecimal("0.000005"))).isEqualTo("0.000005");
    }
}
