package io.secrettrail.analytics.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String t) {
        return Instant.parse(t);
    }

    @Test
    void a_daily_cron_fires_next_at_its_time_and_strictly_after_the_instant() {
        Cron c = Cron.parse("cron(0 9 * * ? *)");
        assertThat(c.next(at("2026-03-02T08:59:59Z"), UTC)).isEqualTo(at("2026-03-02T09:00:00Z"));
        assertThat(c.next(at("2026-03-02T09:00:00Z"), UTC)).isEqualTo(at("2026-03-03T09:00:00Z"));
        assertThat(c.latest(at("2026-03-02T09:00:00Z"), UTC)).isEqualTo(at("2026-03-02T09:00:00Z"));
        assertThat(c.latest(at("2026-03-02T08:59:59Z"), UTC)).isEqualTo(at("2026-03-01T09:00:00Z"));
    }

    @Test
    void a_local_time_in_the_spring_gap_is_skipped_that_day() {
        // Europe/Berlin, 2026-03-29: 02:00 jumps to 03:00, so 02:30 does not exist that day
        Cron c = Cron.parse("cron(30 2 * * ? *)");
        assertThat(c.next(at("2026-03-28T02:00:00Z"), BERLIN)).isEqualTo(at("2026-03-30T00:30:00Z"));
        assertThat(c.latest(at("2026-03-29T12:00:00Z"), BERLIN)).isEqualTo(at("2026-03-28T01:30:00Z"));
    }

    @Test
    void a_local_time_in_the_autumn_repeat_fires_once_at_its_first_occurrence() {
        // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice
        Cron c = Cron.parse("cron(30 2 * * ? *)");
        Instant first = c.next(at("2026-10-24T23:00:00Z"), BERLIN);
        assertThat(first).isEqualTo(at("2026-10-25T00:30:00Z")); // 02:30 CEST
        // the second 02:30 (CET, 01:30Z) is not a firing: the next one is the following day
        assertThat(c.next(first, BERLIN)).isEqualTo(at("2026-10-26T01:30:00Z"));
        assertThat(c.latest(at("2026-10-25T01:45:00Z"), BERLIN)).isEqualTo(first);
    }

    @Test
    void the_last_day_of_the_month_the_nearest_weekday_and_the_nth_weekday() {
        assertThat(Cron.parse("cron(0 0 L * ? *)").next(at("2026-02-01T00:00:00Z"), UTC))
                .isEqualTo(at("2026-02-28T00:00:00Z"));
        // 2026-08-15 is a Saturday: 15W fires on Friday the 14th
        assertThat(Cron.parse("cron(0 0 15W * ? *)").next(at("2026-08-01T00:00:00Z"), UTC))
                .isEqualTo(at("2026-08-14T00:00:00Z"));
        // LW in May 2026: the 31st is a Sunday, so Friday the 29th
        assertThat(Cron.parse("cron(0 0 LW * ? *)").next(at("2026-05-01T00:00:00Z"), UTC))
                .isEqualTo(at("2026-05-29T00:00:00Z"));
        // the second Monday (2#2) of March 2026 is the 9th
        assertThat(Cron.parse("cron(0 8 ? * 2#2 *)").next(at("2026-03-01T00:00:00Z"), UTC))
                .isEqualTo(at("2026-03-09T08:00:00Z"));
        // the last Friday (6L) of March 2026 is the 27th
        assertThat(Cron.parse("cron(0 8 ? * 6L *)").next(at("2026-03-01T00:00:00Z"), UTC))
                .isEqualTo(at("2026-03-27T08:00:00Z"));
    }

    @Test
    void weekday_names_ranges_and_steps() {
        Cron c = Cron.parse("cron(0/30 9-10 ? * MON-FRI *)");
        // 2026-03-07 is a Saturday
        assertThat(c.next(at("2026-03-06T10:30:00Z"), UTC)).isEqualTo(at("2026-03-09T09:00:00Z"));
        assertThat(c.next(at("2026-03-09T09:00:00Z"), UTC)).isEqualTo(at("2026-03-09T09:30:00Z"));
    }

    @Test
    void a_cron_whose_years_are_over_never_fires_again_and_one_before_its_years_never_fired() {
        Cron c = Cron.parse("cron(0 0 1 1 ? 2025)");
        assertThat(c.next(at("2025-01-01T00:00:00Z"), UTC)).isNull();
        assertThat(c.latest(at("2024-12-31T23:59:59Z"), UTC)).isNull();
        assertThat(c.latest(at("2026-06-01T00:00:00Z"), UTC)).isEqualTo(at("2025-01-01T00:00:00Z"));
    }

    @Test
    void a_date_that_never_comes_is_answered_with_null_after_a_bounded_walk() {
        Cron c = Cron.parse("cron(0 0 30 2 ? *)");
        long began = System.nanoTime();
        assertThat(c.next(at("2026-01-01T00:00:00Z"), UTC)).isNull();
        assertThat(c.latest(at("2026-01-01T00:00:00Z"), UTC)).isNull();
        assertThat(System.nanoTime() - began).isLessThan(5_000_000_000L);
    }

    @Test
    void the_29th_of_february_is_found_years_ahead() {
        assertThat(Cron.parse("cron(0 0 29 2 ? *)").next(at("2026-01-01T00:00:00Z"), UTC))
                .isEqualTo(at("2028-02-29T00:00:00Z"));
    }

    @Test
    void bad_expressions_are_refused_saying_why() {
        assertThatThrownBy(() -> Cron.parse("0 9 * * ? *")).hasMessageContaining("expected cron(");
        assertThatThrownBy(() -> Cron.parse("cron(0 9 * * *)")).hasMessageContaining("found 5");
        assertThatThrownBy(() -> Cron.parse("cron(0 9 * * * *)")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Cron.parse("cron(60 9 * * ? *)")).hasMessageContaining("minutes 60 outside 0-59");
        assertThatThrownBy(() -> Cron.parse("cron(0 9 ? * 2#6 *)")).hasMessageContaining("day-of-week");
        assertThatThrownBy(() -> Cron.parse("cron(0 " + "1,".repeat(200) + "2 * * ? *)"))
                .hasMessageContaining("longer than 256");
    }

    private static java.util.function.Predicate<java.time.LocalDateTime> firings(String expression) {
        return Cron.parse(expression)::firesAt;
    }

    @Test
    void fires_at_is_the_minutes_a_cron_fires_at_in_the_dialect_schedules_are_read_in() {
        // the last Friday of the month at 23:45
        var lastFriday = firings("cron(45 23 ? * 6L *)");
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-27T23:45"))).isTrue();
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-27T23:44"))).isFalse();
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-20T23:45")))
                .as("not the last")
                .isFalse();
        var weekdays = firings(" cron(0 3 ? * MON-FRI *) ");
        assertThat(weekdays.test(LocalDateTime.parse("2026-11-23T03:00"))).isTrue(); // a Monday
        assertThat(weekdays.test(LocalDateTime.parse("2026-11-22T03:00"))).isFalse(); // a Sunday
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> firings("rate(1 day)"))
                .hasMessageStartingWith("expected cron(");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> firings("cron(60 3 * * ? *)"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
