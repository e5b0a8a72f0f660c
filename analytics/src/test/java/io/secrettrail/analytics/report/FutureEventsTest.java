package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.DayCount;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.dashboard.Status;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.rules.RuleFixture;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 6: events dated more than a day after "now" are accepted but flagged: counted in
 * ingest.future, kept out of the last event, the charts and the cost projection.
 */
class FutureEventsTest {
    static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");
    static final String DB = RuleFixture.arn("us-east-1", "prod/db");

    /** Steady reads over the last week: the projection's rate. */
    static void week(RuleFixture fx) throws Exception {
        for (int h = 1; h <= 7 * 24; h += 6) {
            fx.apiCall("GetSecretValue", DB, AS_OF.minus(Duration.ofHours(h)), null);
        }
    }

    @Test
    void events_past_a_day_after_as_of_are_counted_as_future_and_change_no_projection() throws Exception {
        Report before;
        try (RuleFixture fx = new RuleFixture();
                Connection c = fx.reader()) {
            week(fx);
            before = new ReportService(c).build(AS_OF, 0, 0, 0, false);
        }
        try (RuleFixture fx = new RuleFixture();
                Connection c = fx.reader()) {
            week(fx);
            // in one batch, so one rollup row holds events on both sides of the cutoff
            fx.apiCalls(
                    "GetSecretValue",
                    DB,
                    List.of(
                            AS_OF.plus(Duration.ofHours(23)), // clock skew: not future
                            AS_OF.plus(Duration.ofDays(1)), // exactly a day: not future
                            AS_OF.plus(Duration.ofDays(1)).plusSeconds(1)));
            for (int i = 0; i < 50; i++) {
                fx.apiCall(
                        "GetSecretValue",
                        DB,
                        Instant.parse("2090-01-01T00:00:00Z").plusSeconds(i),
                        null);
            }
            Report r = new ReportService(c).build(AS_OF, 0, 0, 0, false);
            assertThat(r.ingest().future()).isEqualTo(51);
            assertThat(r.ingest().secretsManagerEvents())
                    .isEqualTo(before.ingest().secretsManagerEvents());
            assertThat(r.cost().projectedUsd()).isEqualTo(before.cost().projectedUsd());
            assertThat(r.cost().apiCallsProjected()).isEqualTo(before.cost().apiCallsProjected());

            ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF);
            DashboardService dashboard = new DashboardService(fx.store(), reports);
            Status s = dashboard.status();
            assertThat(s.futureEvents()).isEqualTo(51);
            assertThat(s.latestFutureEvent()).isEqualTo("2090-01-01T00:00:49Z");
            assertThat(s.lastEventTime())
                    .isEqualTo(AS_OF.plus(Duration.ofDays(1)).toString());
            List<DayCount> perDay = dashboard.overview(Filters.ALL).callsPerDay();
            assertThat(perDay)
                    .extracting(DayCount::day)
                    .allMatch(d -> LocalDate.parse(d).getYear() == 2026);
            reports.close();
        }
    }
}
