package io.secrettrail.analytics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.snapshot.RotationSchedule.Gap;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The longest gap between two scheduled rotations, from RotationRules. */
class RotationScheduleTest {
    static final LocalDate FROM = LocalDate.of(2026, 11, 21);
    static final long DAY = 1440;

    private static Long minutes(String expression) {
        return RotationSchedule.of(expression, null, FROM).minutes();
    }

    @Test
    void rates_are_their_interval_and_automatically_after_days_is_days() {
        assertThat(minutes("rate(10 days)")).isEqualTo(10 * DAY);
        assertThat(minutes("rate(1 day)")).isEqualTo(DAY);
        assertThat(minutes("rate(36 hours)")).isEqualTo(36 * 60);
        assertThat(RotationSchedule.of(null, 30, FROM)).isEqualTo(new Gap(30 * DAY, null, null));
        // the expression wins over AutomaticallyAfterDays, which AWS fills in beside it
        assertThat(RotationSchedule.of("rate(4 hours)", 1, FROM).minutes()).isEqualTo(240);
        assertThat(RotationSchedule.of(null, null, FROM)).isNull();
    }

    @Test
    void a_cron_gap_is_the_longest_between_consecutive_firings() {
        // the 1st and the 15th at 16:00: up to 17 days (the 15th of a 31-day month to the next 1st)
        assertThat(minutes("cron(0 16 1,15 * ? *)")).isEqualTo(17 * DAY);
        // every Sunday at 01:00
        assertThat(minutes("cron(0 1 ? * SUN *)")).isEqualTo(7 * DAY);
        // the first Monday of the month: up to 5 weeks apart
        assertThat(minutes("cron(0 0 ? * 2#1 *)")).isEqualTo(35 * DAY);
        // every four hours within a day, then overnight from 20:00 to 00:00 the next day: 4 hours throughout
        assertThat(minutes("cron(0 */4 * * ? *)")).isEqualTo(4 * 60);
        // 08:00 and 10:00 each weekday: Friday 10:00 to Monday 08:00 is 70 hours
        assertThat(minutes("cron(0 8,10 ? * MON-FRI *)")).isEqualTo(70 * 60);
        // the last day of the month: January 31 to February 28 is 28 days, the longest is 31
        assertThat(minutes("cron(0 0 L * ? *)")).isEqualTo(31 * DAY);
        // quarterly on the 1st: October 1 to January 1 is 92 days
        assertThat(minutes("cron(0 0 1 */3 ? *)")).isEqualTo(92 * DAY);
    }

    @Test
    void a_leap_day_cron_is_walked_over_the_whole_gregorian_cycle() {
        // February 29: every 4 years, but 2096 to 2104 is 8 (2100 is not a leap year)
        assertThat(minutes("cron(0 0 29 2 ? *)")).isEqualTo((8 * 365 + 1) * DAY);
    }

    @Test
    void a_cron_whose_years_end_fires_a_last_time_and_one_in_the_past_never_fires() {
        Gap ending = RotationSchedule.of("cron(0 12 1 * ? 2027)", null, FROM);
        assertThat(ending.lastFiring()).isEqualTo(LocalDateTime.of(2027, 12, 1, 12, 0));
        assertThat(ending.minutes()).isEqualTo(31 * DAY);
        assertThat(RotationSchedule.of("cron(0 12 1 * ? 2020)", null, FROM)).isEqualTo(new Gap(null, null, null));
    }

    @Test
    void an_unreadable_schedule_says_why() {
        assertThat(RotationSchedule.of("cron(0 12 * * * *)", null, FROM).problem())
                .isEqualTo("cron not understood: exactly one of day-of-month and day-of-week must be ?");
        assertThat(RotationSchedule.of("cron(0 25 * * ? *)", null, FROM).problem())
                .isEqualTo("cron not understood: hours 25 outside 0-23");
        assertThat(RotationSchedule.of("cron(0 12 * * ?)", null, FROM).problem())
                .contains("expected 6 fields");
        assertThat(RotationSchedule.of("every monday", null, FROM).problem())
                .isEqualTo("neither rate(N hours|days) nor cron(...)");
    }

    @Test
    void gaps_read_as_days_hours_or_both() {
        assertThat(RotationSchedule.text(92 * DAY)).isEqualTo("92 days");
        assertThat(RotationSchedule.text(DAY)).isEqualTo("1 day");
        assertThat(RotationSchedule.text(70 * 60)).isEqualTo("70 hours");
        assertThat(RotationSchedule.text(90)).isEqualTo("1 hour 30 minutes");
    }

    @Test
    void a_report_walks_each_cron_day_part_once_whatever_its_times() {
        RotationSchedule.Walks walks = new RotationSchedule.Walks(FROM);
        // minutes and hours do not change which days fire: one walk for all three
        assertThat(walks.of("cron(0 16 1,15 * ? *)", null).minutes()).isEqualTo(17 * DAY);
        assertThat(walks.of("cron(30 4 1,15 * ? *)", null).minutes()).isEqualTo(17 * DAY);
        assertThat(walks.of("cron(0 8,10 1,15 * ? *)", null).minutes()).isEqualTo(17 * DAY - 120);
        assertThat(walks.walked()).isEqualTo(1);
    }

    @Test
    void a_report_walks_at_most_its_limit_of_distinct_crons_and_says_so_for_the_rest() {
        RotationSchedule.Walks walks = new RotationSchedule.Walks(FROM);
        int years = 0;
        for (int y = 2030; walks.walked() < RotationSchedule.Walks.MAX_WALKS; y++, years++) {
            assertThat(walks.of("cron(0 0 1 * ? 2027-" + y + ")", null).problem())
                    .isNull();
        }
        assertThat(years).isEqualTo(RotationSchedule.Walks.MAX_WALKS);
        Gap over = walks.of("cron(0 0 2 * ? *)", null);
        assertThat(over.minutes()).isNull();
        assertThat(over.problem())
                .isEqualTo("not walked: more than " + RotationSchedule.Walks.MAX_WALKS
                        + " distinct cron schedules in one report");
        assertThat(walks.walked()).isEqualTo(RotationSchedule.Walks.MAX_WALKS);
        // rates and one already walked are still judged
        assertThat(walks.of("rate(10 days)", null).minutes()).isEqualTo(10 * DAY);
        assertThat(walks.of("cron(9 9 1 * ? 2027-2030)", null).problem()).isNull();
    }

    @Test
    void a_schedule_longer_than_the_api_allows_is_not_walked() {
        String longList = "cron(0 12 ? * " + "1L,".repeat(2000) + "7L *)";
        Gap g = RotationSchedule.of(longList, null, FROM);
        assertThat(g.minutes()).isNull();
        assertThat(g.problem()).isEqualTo("longer than 256 characters, the longest ScheduleExpression AWS accepts");
        // at the limit it is read; repeated list items are read once
        String atLimit = "cron(0 12 ? * " + "1L,".repeat(79) + "7L *)";
        assertThat(atLimit).hasSizeLessThanOrEqualTo(256);
        assertThat(RotationSchedule.of(atLimit, null, FROM).minutes()).isEqualTo(34 * DAY);
    }

    @Test
    void firings_are_the_minutes_a_cron_fires_at_in_the_dialect_schedules_are_read_in() {
        // the last Friday of the month at 23:45
        var lastFriday = RotationSchedule.firings("cron(45 23 ? * 6L *)");
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-27T23:45"))).isTrue();
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-27T23:44"))).isFalse();
        assertThat(lastFriday.test(LocalDateTime.parse("2026-11-20T23:45")))
                .as("not the last")
                .isFalse();
        var weekdays = RotationSchedule.firings(" cron(0 3 ? * MON-FRI *) ");
        assertThat(weekdays.test(LocalDateTime.parse("2026-11-23T03:00"))).isTrue(); // a Monday
        assertThat(weekdays.test(LocalDateTime.parse("2026-11-22T03:00"))).isFalse(); // a Sunday
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RotationSchedule.firings("rate(1 day)"))
                .hasMessageStartingWith("expected cron(");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RotationSchedule.firings("cron(60 3 * * ? *)"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
