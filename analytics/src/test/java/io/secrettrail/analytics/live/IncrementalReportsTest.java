package io.secrettrail.analytics.live;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleFixture;
import io.secrettrail.analytics.store.Watermarks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the reports of the process that owns the database evaluate detections incrementally. Reports are
 * built through the live cache while events arrive in chunks (one a late file of old events), the database
 * reopened in between: at every step the watermarks move on and the alerts are those of an evaluation from
 * scratch, ids, states and hits alike.
 */
class IncrementalReportsTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    /** Low thresholds so that a burst of a few calls is a hit. */
    static final ReportSettings SETTINGS = ReportSettings.of(Map.of(
            "bulk.secrets", "5",
            "denied.calls", "5",
            "probing.names", "5"));

    @TempDir
    Path dir;

    RuleFixture fx;
    MovingClock clock;
    AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture(dir.resolve("trail.duckdb"));
        clock = new MovingClock(T0);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void reports_built_as_events_arrive_give_the_alerts_of_an_evaluation_from_scratch_and_survive_a_restart()
            throws Exception {
        ReportCache reports = cache();
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofDays(5))));
        long first = build(reports, 0);
        String firstIncident = incident("bulk-retrieval");
        fx.events(denied("tester", T0.minus(Duration.ofDays(3))));
        long second = build(reports, first);
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofHours(2))));
        long third = build(reports, second);
        assertThat(reports.report().alerts())
                .filteredOn(a -> a.rule().equals("bulk-retrieval"))
                .extracting(a -> a.incident().state())
                .containsExactly("closed", "open");
        long kept = rowid(firstIncident);
        long hits = bulk(reports.report(), firstIncident).incident().hits();

        // a late file: reads 10 hours after the first burst, whose incident they extend
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofDays(5)).plus(Duration.ofHours(10))));
        long late = build(reports, third);
        Finding extended = bulk(reports.report(), firstIncident);
        assertThat(extended.incident().hits()).isEqualTo(2 * hits);
        assertThat(rowid(firstIncident))
                .as("recomputed: the late file reaches it")
                .isNotEqualTo(kept);

        reports.close();
        fx.restart();
        kept = rowid(firstIncident);
        reports = cache();
        fx.events(denied("tester", T0.minus(Duration.ofMinutes(30))));
        long afterRestart = build(reports, late);
        assertThat(rowid(firstIncident))
                .as("kept as stored: the restarted process went on from the watermark, not from scratch")
                .isEqualTo(kept);
        assertThat(bulk(reports.report(), firstIncident)).isEqualTo(extended);
        assertThat(afterRestart).isGreaterThan(late);
        reports.close();
    }

    @Test
    void a_report_at_an_earlier_as_of_starts_from_scratch_and_the_next_one_goes_on_from_it() throws Exception {
        ReportCache reports = cache();
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofDays(5))));
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofHours(2))));
        long mark = build(reports, 0);
        reports.close();
        // a process restarted with a fixed asOf before the one the incidents were stored at
        Instant earlier = T0.minus(Duration.ofDays(4));
        try (Connection c = fx.reader()) {
            List<Finding> historical = ReportService.owning(c, SETTINGS)
                    .build(earlier, 0, 0, 0, false)
                    .alerts();
            assertThat(historical).isEqualTo(scratch(earlier));
            assertThat(historical)
                    .filteredOn(a -> a.rule().equals("bulk-retrieval"))
                    .hasSize(1);
        }
        reports = cache();
        clock.advance(Duration.ofMinutes(1));
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofHours(1))));
        build(reports, mark);
        assertThat(reports.report().alerts())
                .filteredOn(a -> a.rule().equals("bulk-retrieval"))
                .hasSize(2);
        reports.close();
    }

    @Test
    void a_database_opened_read_only_is_evaluated_from_scratch() throws Exception {
        fx.events(fx.sixReads("intruder", T0.minus(Duration.ofDays(5))));
        List<Finding> expected = scratch(T0);
        assertThat(expected).isNotEmpty();
        fx.close();
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("trail.duckdb"), p)) {
            assertThat(c.isReadOnly()).isTrue();
            assertThat(ReportService.owning(c, SETTINGS)
                            .build(T0, 0, 0, 0, false)
                            .alerts())
                    .isEqualTo(expected);
        }
        fx = new RuleFixture(dir.resolve("trail.duckdb"));
        assertThat(incidentStore()).as("nothing stored").isEmpty();
    }

    private ReportCache cache() {
        return new ReportCache(fx.store(), SETTINGS, clock::instant, nanos::get);
    }

    /**
     * One report through the cache, a minute and the throttle's gap later: asserts the watermarks moved past
     * {@code before} to the last arrival and the alerts equal an evaluation from scratch; returns the watermark.
     */
    private long build(ReportCache reports, long before) throws Exception {
        clock.advance(Duration.ofMinutes(1));
        nanos.addAndGet(ReportCache.MIN_GAP.toNanos());
        assertThat(reports.tick(clock)).isTrue();
        long latest;
        try (Connection c = fx.reader()) {
            latest = Watermarks.latest(c);
            for (String rule : List.of("bulk-retrieval", "access-denied-burst", "name-probing")) {
                long mark = Watermarks.read(c, rule).orElseThrow().arrival();
                assertThat(mark).as(rule).isEqualTo(latest).isGreaterThan(before);
            }
        }
        assertThat(reports.report().alerts()).isEqualTo(scratch(clock.instant()));
        return latest;
    }

    /** The alerts of a report evaluated from scratch (nothing stored). */
    private List<Finding> scratch(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, SETTINGS).build(asOf, 0, 0, 0, false).alerts();
        }
    }

    private static Finding bulk(Report r, String incident) {
        return r.alerts().stream()
                .filter(a -> a.incident() != null && a.incident().id().equals(incident))
                .findFirst()
                .orElseThrow();
    }

    private String incident(String rule) throws Exception {
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT incident FROM rule_incidents WHERE rule = ? ORDER BY first_hit LIMIT 1")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Where the stored incident's row is: a new one once it was recomputed and stored again. */
    private long rowid(String incident) throws Exception {
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement("SELECT rowid FROM rule_incidents WHERE incident = ?")) {
            ps.setString(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private List<String> incidentStore() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rule || ' ' || incident FROM rule_incidents"
                        + " UNION ALL SELECT rule || ' ' || arrival FROM rule_watermarks ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Six refused reads within a minute: one access-denied hit at the settings above. */
    private List<String> denied(String who, Instant at) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(fx.call("GetSecretValue", at.plusSeconds(i * 10L))
                    .by(who)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .error("AccessDeniedException", "User is not authorized to perform: secretsmanager:GetSecretValue")
                    .json());
        }
        return out;
    }
}
