package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (review L1): while events stream in, the report is rebuilt at most every 5 s of real time. The
 * throttle measures real elapsed time, not the injected clock: with a clock that stands still new data is
 * still reported once the gap has passed.
 */
class ReportCacheThrottleTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final String DB = RuleFixture.arn("us-east-1", "prod/db");

    RuleFixture fx;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Clock fixed = Clock.fixed(T0, ZoneOffset.UTC);

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void with_a_standing_clock_new_events_are_reported_once_five_seconds_of_real_time_passed() throws Exception {
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), fixed::instant, nanos::get)) {
            assertThat(reports.tick(fixed)).isTrue();
            long calls = calls(reports);
            fx.events(List.of(
                    fx.call("GetSecretValue", T0.minusSeconds(60)).secret(DB).json()));
            assertThat(reports.tick(fixed)).as("just built").isFalse();
            nanos.addAndGet(ReportCache.MIN_GAP.toNanos() - 1);
            assertThat(reports.tick(fixed)).as("a nanosecond short of the gap").isFalse();
            assertThat(calls(reports)).isEqualTo(calls);
            nanos.addAndGet(1);
            assertThat(reports.tick(fixed))
                    .as("the gap passed, the clock did not move")
                    .isTrue();
            assertThat(calls(reports)).isEqualTo(calls + 1);
            assertThat(reports.builtAt()).isEqualTo(T0);
        }
    }

    @Test
    void without_new_events_real_time_alone_builds_nothing() throws Exception {
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), fixed::instant, nanos::get)) {
            assertThat(reports.tick(fixed)).isTrue();
            nanos.addAndGet(Duration.ofHours(1).toNanos());
            assertThat(reports.tick(fixed)).isFalse();
            assertThat(reports.builds()).isEqualTo(1);
        }
    }

    private static long calls(ReportCache reports) {
        return reports.report().ingest().secretsManagerEvents();
    }
}
