package io.secrettrail.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The one backoff: first delay, doubling, cap, jitter bounds and giving up, against a clock the test moves. */
class RetryPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    /** The largest double below 1: the top of a uniform draw in [0, 1). */
    static final double TOP = Math.nextDown(1.0);

    static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final MovingClock clock = new MovingClock();

    /** The webhooks' settings: 1 s doubling, at most an hour, times 0.5..1.5, for 24 hours. */
    RetryPolicy deliveries() {
        return new RetryPolicy(clock)
                .first(Duration.ofSeconds(1))
                .cap(Duration.ofHours(1))
                .jitter(0.5, 1.5)
                .giveUpAfter(Duration.ofHours(24));
    }

    @Test
    void the_first_delay_is_the_first_setting_without_jitter() {
        RetryPolicy p = new RetryPolicy(clock).first(Duration.ofSeconds(5));
        assertThat(p.delay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.delay(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delay(3)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void the_delay_doubles_up_to_the_cap_and_stays_there() {
        RetryPolicy p = new RetryPolicy(clock).first(Duration.ofSeconds(1)).cap(Duration.ofMinutes(5));
        assertThat(p.delay(9)).isEqualTo(Duration.ofSeconds(256)); // just below the cap
        assertThat(p.delay(10)).isEqualTo(Duration.ofMinutes(5)); // 512 s: capped
        assertThat(p.delay(64)).isEqualTo(Duration.ofMinutes(5)); // no overflow of the shift
        assertThat(p.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void a_cap_below_the_first_delay_wins() {
        assertThat(new RetryPolicy(clock)
                        .first(Duration.ofMinutes(10))
                        .cap(Duration.ofMinutes(1))
                        .delay(1))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void jitter_stays_within_its_factors_at_both_ends_of_the_draw() {
        RetryPolicy p = deliveries();
        assertThat(p.random(() -> 0.0).delay(1)).isEqualTo(Duration.ofMillis(500));
        // the top of the draw rounds to the top factor at most, never beyond it
        assertThat(p.random(() -> TOP).delay(1)).isBetween(Duration.ofMillis(1499), Duration.ofMillis(1500));
        assertThat(p.random(() -> 0.5).delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.random(() -> TOP).delay(40))
                .isBetween(Duration.ofMillis(5_399_999), Duration.ofMinutes(90)); // capped hour x 1.5
        for (int i = 0; i < 200; i++) { // the real draw
            assertThat(p.delay(2)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
    }

    @Test
    void the_sources_jitter_on_the_upper_half() {
        RetryPolicy p = new RetryPolicy(clock)
                .first(Duration.ofSeconds(5))
                .cap(Duration.ofMinutes(5))
                .jitter(0.5, 1.0);
        assertThat(p.random(() -> 0.0).delay(1)).isEqualTo(Duration.ofMillis(2500));
        assertThat(p.random(() -> TOP).delay(1)).isBetween(Duration.ofMillis(4999), Duration.ofSeconds(5));
    }

    @Test
    void the_next_attempt_is_counted_from_the_clock_as_it_moves() {
        RetryPolicy p = deliveries().random(() -> 0.5);
        assertThat(p.next(1, T0)).contains(T0.plusSeconds(1));
        clock.advance(Duration.ofMinutes(3));
        assertThat(p.next(2, T0)).contains(T0.plusSeconds(180 + 2));
        assertThat(p.after(Duration.ofSeconds(90), T0)).contains(T0.plusSeconds(180 + 90));
    }

    @Test
    void an_attempt_exactly_at_the_give_up_time_is_still_made_and_one_a_millisecond_later_is_not() {
        RetryPolicy p = deliveries();
        clock.advance(Duration.ofHours(24).minusSeconds(90));
        assertThat(p.after(Duration.ofSeconds(90), T0)).contains(T0.plus(Duration.ofHours(24)));
        assertThat(p.after(Duration.ofSeconds(90).plusMillis(1), T0)).isEmpty();
        clock.advance(Duration.ofSeconds(90));
        assertThat(p.random(() -> 0.0).next(1, T0)).isEmpty();
    }

    @Test
    void without_a_give_up_time_it_retries_for_ever() {
        RetryPolicy p = new RetryPolicy(clock);
        clock.advance(Duration.ofDays(3650));
        assertThat(p.next(1_000, T0)).contains(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void settings_that_make_no_sense_are_refused_by_name() {
        RetryPolicy p = new RetryPolicy(clock);
        assertThatThrownBy(() -> p.delay(0)).hasMessage("failures must be at least 1, was 0");
        assertThatThrownBy(() -> p.first(Duration.ZERO)).hasMessageStartingWith("first must be positive");
        assertThatThrownBy(() -> p.cap(Duration.ofSeconds(-1))).hasMessageStartingWith("cap must be positive");
        assertThatThrownBy(() -> p.jitter(1.5, 0.5)).hasMessageStartingWith("jitter must satisfy");
        assertThatThrownBy(() -> p.jitter(0, 1)).hasMessageStartingWith("jitter must satisfy");
        assertThatThrownBy(() -> p.giveUpAfter(Duration.ZERO)).hasMessageStartingWith("giveUpAfter must be positive");
    }
}
