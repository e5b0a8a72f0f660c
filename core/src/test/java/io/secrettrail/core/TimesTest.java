package io.secrettrail.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Issue 16: CloudTrail's own time shape is read digit by digit; it must agree with java.time on every input. */
class TimesTest {
    /** The canonical reader's answer, where it gives one, is java.time's; where java.time refuses, it gives none. */
    private static void agrees(String text) {
        Instant fast = Times.canonical(text);
        Instant general;
        try {
            general = Times.parseAny(text);
        } catch (DateTimeParseException e) {
            assertThat(fast).as(text).isNull();
            assertThatThrownBy(() -> Times.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            return;
        }
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(general);
        }
        assertThat(Times.parse(text)).as(text).isEqualTo(general);
    }

    @Test
    void cloudtrail_times_read_digit_by_digit_are_the_instants_java_time_reads() {
        assertThat(Times.canonical("2024-07-31T12:29:17Z")).isEqualTo(Instant.parse("2024-07-31T12:29:17Z"));
        for (String t : List.of(
                "1970-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "0000-01-01T00:00:00Z",
                "2024-02-29T23:59:59Z",
                "2000-02-29T00:00:00Z",
                "2026-12-31T23:59:59Z")) {
            assertThat(Times.canonical(t)).as(t).isNotNull();
            agrees(t);
        }
    }

    @Test
    void boundary_and_malformed_times_are_left_to_java_time_which_reads_or_refuses_them_as_before() {
        for (String t : List.of(
                "2023-02-29T00:00:00Z", // not a leap year
                "1900-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z",
                "2026-01-00T00:00:00Z",
                "2026-01-01T24:00:00Z",
                "2026-01-01T23:60:00Z",
                "2026-01-01T23:59:60Z", // a leap second
                "2026-01-01T23:59:59z",
                "2026-01-01 23:59:59Z",
                "2026-01-01T23:59:5aZ",
                "+026-01-01T23:59:59Z",
                "2026-01-01T23:59:59.5Z",
                " 2026-01-01T23:59:59Z",
                "2026-01-01T23:59:59+00:00",
                "2026-01-01")) {
            assertThat(Times.canonical(t)).as(t).isNull();
            agrees(t);
        }
    }

    @Property(tries = 2000)
    void every_digit_pattern_agrees(
            @ForAll @IntRange(min = 0, max = 9999) int year,
            @ForAll @IntRange(min = 0, max = 13) int month,
            @ForAll @IntRange(min = 0, max = 32) int day,
            @ForAll @IntRange(min = 0, max = 25) int hour,
            @ForAll @IntRange(min = 0, max = 61) int minute,
            @ForAll @IntRange(min = 0, max = 61) int second) {
        agrees("%04d-%02d-%02dT%02d:%02d:%02dZ".formatted(year, month, day, hour, minute, second));
    }
}
