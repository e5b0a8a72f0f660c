package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 12, item 12: failed logins per address wait exponentially; the map stays bounded. */
class LoginThrottleTest {
    final MovingClock clock = new MovingClock(Instant.parse("2026-11-21T12:00:00Z"));

    @Test
    void five_failures_are_free_then_each_doubles_the_wait() {
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            assertThat(t.wait("192.0.2.1")).isZero();
            t.failed("192.0.2.1");
        }
        assertThat(t.wait("192.0.2.1")).isZero();
        long expected = 1;
        for (int i = 0; i < 8; i++) {
            t.failed("192.0.2.1");
            assertThat(t.wait("192.0.2.1")).isEqualTo(Duration.ofSeconds(expected));
            clock.advance(Duration.ofSeconds(expected).minusMillis(1));
            assertThat(t.wait("192.0.2.1")).isEqualTo(Duration.ofMillis(1));
            clock.advance(Duration.ofMillis(1));
            assertThat(t.wait("192.0.2.1")).isZero();
            expected *= 2;
        }
        assertThat(t.wait("198.51.100.1")).as("another address is not slowed").isZero();
    }

    @Test
    void the_wait_is_capped_and_a_success_clears_it() {
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < 60; i++) {
            t.failed("192.0.2.1");
        }
        assertThat(t.wait("192.0.2.1")).isEqualTo(LoginThrottle.MAX_DELAY);
        t.succeeded("192.0.2.1");
        assertThat(t.wait("192.0.2.1")).isZero();
        t.failed("192.0.2.1");
        assertThat(t.wait("192.0.2.1")).isZero();
    }

    @Test
    void failures_are_forgotten_an_hour_after_the_last_wait_ended() {
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE + 1; i++) {
            t.failed("192.0.2.1");
        }
        clock.advance(LoginThrottle.FORGET.plusSeconds(2));
        t.failed("192.0.2.1");
        assertThat(t.wait("192.0.2.1")).as("counting starts again").isZero();
    }

    @Test
    void the_map_of_addresses_is_bounded() {
        LoginThrottle t = new LoginThrottle(clock, 100);
        for (int i = 0; i < 5000; i++) {
            t.failed("10.0." + (i / 256) + "." + (i % 256));
            assertThat(t.size()).isLessThanOrEqualTo(100);
        }
        for (int i = 0; i < 10; i++) {
            t.failed("192.0.2.1");
        }
        assertThat(t.wait("192.0.2.1")).isPositive();
        assertThat(t.size()).isEqualTo(100);
    }
}
