package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: detections evaluated incrementally, in arrival order, give the incidents (and ids) of an
 * evaluation from scratch over the same data. A generated trail (see {@link IncrementalTrail}) is delivered
 * in chunks, the clock moving on after each, once in order and once with a quarter of the bursts held back
 * and delivered last (a late file). One seed each: a seed costs some 25 evaluations of every detection, and
 * the hand-made cases below pin the joins and splits a seed may or may not produce.
 */
class IncrementalRunnerTest extends RuleTestBase {
    static final Map<String, String> SETTINGS = IncrementalTrail.SETTINGS;

    private IncrementalTrail trail() {
        return new IncrementalTrail(fx);
    }

    @Test
    void in_order_chunks_give_the_incidents_of_an_evaluation_from_scratch() throws Exception {
        trail().inOrderChunks(1);
    }

    @Test
    void a_late_file_still_counts() throws Exception {
        trail().lateFile(4);
    }

    @Test
    void an_evaluation_reads_only_what_arrived_and_moves_the_watermark() throws Exception {
        IncrementalTrail t = trail();
        List<List<IncrementalTrail.Event>> bursts = t.trail(7);
        t.deliver(bursts.subList(0, bursts.size() / 2), 1);
        long before = watermark("bulk-retrieval");
        assertThat(before).isPositive();
        // nothing new: the watermark stays, the incidents are those stored
        List<Finding> stored = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(watermark("bulk-retrieval")).isEqualTo(before);
        assertThat(stored).isEqualTo(fx.run("bulk-retrieval", AS_OF, SETTINGS));
        t.deliver(bursts.subList(bursts.size() / 2, bursts.size()), 1);
        assertThat(watermark("bulk-retrieval")).isGreaterThan(before);
    }

    @Test
    void other_settings_start_from_scratch() throws Exception {
        IncrementalTrail t = trail();
        t.deliver(t.trail(8), 3);
        Map<String, String> higher = Map.of("bulk.secrets", "6");
        assertThat(fx.incremental("bulk-retrieval", AS_OF, higher)).isEqualTo(fx.run("bulk-retrieval", AS_OF, higher));
    }

    @Test
    void a_late_burst_next_to_a_closed_notified_incident_forms_its_own_in_both_evaluations() throws Exception {
        Instant first = AS_OF.minus(Duration.ofDays(10));
        fx.events(fx.sixReads("intruder", first));
        Instant closedAt = first.plus(Duration.ofDays(2));
        List<Finding> before = fx.incremental("bulk-retrieval", closedAt, SETTINGS);
        assertThat(before).hasSize(1);
        record(before.get(0), closedAt);
        fx.events(fx.sixReads("intruder", first.plus(Duration.ofHours(10))));
        List<Finding> after = fx.incremental("bulk-retrieval", closedAt, SETTINGS);
        assertThat(after).isEqualTo(fx.run("bulk-retrieval", closedAt, SETTINGS));
        assertThat(after).hasSize(2);
        assertThat(after.get(0).incident()).isEqualTo(before.get(0).incident());
    }

    @Test
    void a_burst_within_quiet_hours_of_a_stored_incident_extends_it() throws Exception {
        Instant first = AS_OF.minus(Duration.ofDays(3));
        fx.events(fx.sixReads("intruder", first));
        List<Finding> before = fx.incremental("bulk-retrieval", first.plus(Duration.ofHours(1)), SETTINGS);
        assertThat(before).hasSize(1);
        fx.events(fx.sixReads("intruder", first.plus(Duration.ofHours(20))));
        List<Finding> after = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(after).isEqualTo(fx.run("bulk-retrieval", AS_OF, SETTINGS));
        assertThat(after).hasSize(1);
        assertThat(after.get(0).incident().id())
                .isEqualTo(before.get(0).incident().id());
        assertThat(after.get(0).incident().hits())
                .isEqualTo(2 * before.get(0).incident().hits());
    }

    @Test
    void a_late_burst_between_two_stored_incidents_joins_them_into_the_first() throws Exception {
        Instant first = AS_OF.minus(Duration.ofDays(6));
        fx.events(fx.sixReads("intruder", first));
        fx.events(fx.sixReads("intruder", first.plus(Duration.ofHours(40))));
        List<Finding> before = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(before).hasSize(2);
        // a late file: a burst 20 hours after the first, 20 before the second
        fx.events(fx.sixReads("intruder", first.plus(Duration.ofHours(20))));
        List<Finding> after = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(after).isEqualTo(fx.run("bulk-retrieval", AS_OF, SETTINGS));
        assertThat(after).hasSize(1);
        assertThat(after.get(0).incident().id())
                .isEqualTo(before.get(0).incident().id());
        assertThat(after.get(0).incident().hits())
                .isEqualTo(3 * before.get(0).incident().hits());
    }

    @Test
    void the_store_numbers_events_in_arrival_order_whatever_their_time() throws Exception {
        fx.events(fx.sixReads("a", AS_OF.minus(Duration.ofDays(1))));
        fx.events(fx.sixReads("b", AS_OF.minus(Duration.ofDays(5))));
        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT principal, min(arrival), max(arrival), count(DISTINCT arrival)"
                        + " FROM events GROUP BY principal ORDER BY 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(role("a"));
            long aLast = rs.getLong(3);
            assertThat(rs.getLong(4)).isEqualTo(6);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(role("b"));
            assertThat(rs.getLong(2)).isEqualTo(aLast + 1);
            assertThat(rs.getLong(4)).isEqualTo(6);
        }
    }

    private long watermark(String rule) throws Exception {
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement("SELECT arrival FROM rule_watermarks WHERE rule = ?")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** What the alerts record of a notified, closed incident (see AlertLedger). */
    private void record(Finding f, Instant at) throws Exception {
        Incident i = f.incident();
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'closed', ?, ?, '{}')")) {
            ps.setString(1, i.id());
            ps.setString(2, f.rule());
            ps.setString(3, i.subject());
            ps.setString(4, f.resource());
            ps.setString(5, f.principal());
            ps.setObject(6, i.firstHit().atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setObject(7, i.lastHit().atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setString(8, f.severity());
            ps.setObject(9, at.atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setObject(10, at.atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
