package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: posture, silence and cost follow the clock. The report is built again every
 * report.maxAgeMinutes and right after a UTC month boundary without new events, never before
 * with none, and never for a fixed "now".
 */
class ReportCacheClockTest {
    static final String DB = RuleFixture.arn("us-east-1", "prod/db");
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    RuleFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void no_rebuild_before_max_age_without_events_then_one_at_max_age() throws Exception {
        fx.inventory(DB, null, true, T0.minus(Duration.ofDays(400)), T0.minus(Duration.ofDays(10)), null, null, null);
        MovingClock clock = new MovingClock(T0);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            assertThat(reports.tick(clock)).isTrue();
            long builds = reports.builds();
            clock.advance(Duration.ofMinutes(15).minusSeconds(1));
            assertThat(reports.tick(clock)).isFalse();
            assertThat(reports.builds()).isEqualTo(builds);
            assertThat(reports.report().asOf()).isEqualTo(T0);
            clock.advance(Duration.ofSeconds(1));
            assertThat(reports.tick(clock)).isTrue();
            assertThat(reports.report().asOf()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
            assertThat(reports.builds()).isEqualTo(builds + 1);
            assertThat(reports.builtVersion())
                    .as("the data did not move")
                    .isEqualTo(fx.store().version());
        }
    }

    @Test
    void max_age_is_report_max_age_minutes_and_a_bad_value_is_refused() throws Exception {
        MovingClock clock = new MovingClock(T0);
        ReportSettings five = ReportSettings.of(Map.of("report.maxAgeMinutes", "5"));
        assertThat(five.maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ReportSettings.defaults().maxAge()).isEqualTo(Duration.ofMinutes(15));
        try (ReportCache reports = new ReportCache(fx.store(), five, clock::instant)) {
            reports.tick(clock);
            clock.advance(Duration.ofMinutes(5));
            assertThat(reports.tick(clock)).isTrue();
        }
        assertThatThrownBy(() -> ReportSettings.of(Map.of("report.maxAgeMinutes", "0")))
                .hasMessage("report.maxAgeMinutes: must be 1..1440, was 0");
        assertThatThrownBy(() -> ReportSettings.of(Map.of("report.maxAgeMinutes", "soon")))
                .hasMessage("report.maxAgeMinutes: expected a whole number, was soon");
    }

    @Test
    void a_fixed_now_is_never_rebuilt_by_the_clock() throws Exception {
        MovingClock clock = new MovingClock(T0);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> T0)) {
            assertThat(reports.tick(clock)).isTrue();
            clock.advance(Duration.ofDays(40));
            assertThat(reports.tick(clock)).isFalse();
        }
    }

    @Test
    void a_secret_without_traffic_crosses_its_ninety_days_on_the_clock() throws Exception {
        // rotated 90 days ago less ten minutes: ok now, past the maximum fifteen minutes later
        fx.inventory(
                DB,
                null,
                true,
                T0.minus(Duration.ofDays(400)),
                T0.minus(Duration.ofDays(90)).plus(Duration.ofMinutes(10)),
                null,
                null,
                null);
        MovingClock clock = new MovingClock(T0);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            reports.tick(clock);
            assertThat(reports.report().alerts()).noneMatch(a -> a.rule().equals("stale-rotation"));
            clock.advance(Duration.ofMinutes(15));
            assertThat(reports.tick(clock)).isTrue();
            assertThat(reports.report().alerts())
                    .filteredOn(a -> a.rule().equals("stale-rotation"))
                    .singleElement()
                    .satisfies(a -> assertThat(a.resource()).isEqualTo(DB));
        }
    }

    @Test
    void right_after_the_month_boundary_the_report_and_the_dashboard_switch_month() throws Exception {
        Instant end = Instant.parse("2026-11-30T23:58:00Z");
        fx.inventory(DB, null, true, end.minus(Duration.ofDays(400)), end.minus(Duration.ofDays(10)), null, null, null);
        MovingClock clock = new MovingClock(end);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            DashboardService dashboard = new DashboardService(fx.store(), reports);
            reports.tick(clock);
            assertThat(reports.report().cost().month()).isEqualTo("2026-11");
            assertThat(dashboard.cost().month()).isEqualTo("2026-11");
            var before = dashboard.overview(Filters.ALL);
            clock.advance(Duration.ofMinutes(1));
            assertThat(reports.tick(clock)).as("still November, within max age").isFalse();
            clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // 2026-12-01T00:00:01Z, 2 min after the build
            assertThat(reports.tick(clock)).isTrue();
            assertThat(reports.report().cost().month()).isEqualTo("2026-12");
            assertThat(dashboard.cost().month()).isEqualTo("2026-12");
            var after = dashboard.overview(Filters.ALL);
            assertThat(after.reportAsOf()).isNotEqualTo(before.reportAsOf());
            assertThat(new BigDecimal(after.monthToDateUsd())).isLessThan(new BigDecimal(before.monthToDateUsd()));
        }
    }
}
