package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: detections evaluated incrementally, in arrival order, give the incidents (and ids) of an
 * evaluation from scratch over the same data. A generated trail of bursts (bulk reads, refused calls,
 * probing for names, deleted-secret access, batches) by a few roles, some bursts close enough to chain
 * into one incident, is delivered in chunks, the clock moving on after each; some runs hold a quarter of
 * the bursts back and deliver them last (a late file).
 */
class IncrementalRunnerTest extends RuleTestBase {
    /** Low thresholds so that a burst of a few calls is a hit. */
    static final Map<String, String> SETTINGS = Map.of(
            "bulk.secrets", "5",
            "denied.calls", "5",
            "probing.names", "5",
            "batch.calls", "3",
            "multiRegion.regions", "2");

    record Event(Instant at, String json) {}

    /** A burst of calls by {@code who} from {@code at}, mostly of the kind {@code habit}. */
    private List<Event> burst(Random r, String who, int habit, Instant at) throws Exception {
        List<Event> out = new ArrayList<>();
        int kind = r.nextInt(10) < 7 ? habit : r.nextInt(5);
        int n = 4 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            Instant t = at.plusSeconds(i * (10L + r.nextInt(50)));
            RuleFixture.Call c = switch (kind) {
                case 0 -> fx.call("GetSecretValue", t).secret(arn("us-east-1", "prod/s" + r.nextInt(12)));
                case 1 ->
                    fx.call("GetSecretValue", t)
                            .secret(arn("us-east-1", "prod/s" + r.nextInt(12)))
                            .error(
                                    "AccessDeniedException",
                                    "User is not authorized to perform: secretsmanager:GetSecretValue");
                case 2 ->
                    fx.call("GetSecretValue", t)
                            .secret("prod/guess" + r.nextInt(40))
                            .error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                case 3 ->
                    fx.call("GetSecretValue", t)
                            .secret(arn("us-east-1", "prod/gone" + r.nextInt(2)))
                            .error(
                                    "InvalidRequestException",
                                    "You can't perform this operation on the secret because it was marked for deletion.");
                default ->
                    fx.call("BatchGetSecretValue", t)
                            .in(r.nextBoolean() ? "us-east-1" : "eu-west-1")
                            .params("{\"filters\":[{\"key\":\"name\",\"values\":[\"prod\"]}]}");
            };
            out.add(new Event(t, c.by(who).session("s" + r.nextInt(3)).json()));
        }
        return out;
    }

    /** Bursts over three weeks before AS_OF; one in three starts a few hours after the one before. */
    private List<List<Event>> trail(long seed) throws Exception {
        Random r = new Random(seed);
        List<List<Event>> bursts = new ArrayList<>();
        Instant at = AS_OF.minus(Duration.ofDays(21));
        String[] who = {"deploy", "intruder", "backup"};
        for (int i = 0; i < 30; i++) {
            at = r.nextInt(3) == 0
                    ? at.plus(Duration.ofMinutes(30 + r.nextInt(20 * 60)))
                    : at.plus(Duration.ofHours(12 + r.nextInt(36)));
            if (at.isAfter(AS_OF.minus(Duration.ofHours(1)))) {
                break;
            }
            int w = r.nextInt(who.length);
            bursts.add(burst(r, who[w], w, at));
        }
        return bursts;
    }

    private List<Rule> detections() {
        return fx.catalog().all().stream().filter(Rule::hits).toList();
    }

    /** Delivers the bursts in {@code chunks}, evaluating every detection incrementally after each. */
    private void deliver(List<List<Event>> bursts, int chunks) throws Exception {
        int per = Math.max(1, (bursts.size() + chunks - 1) / chunks);
        for (int from = 0; from < bursts.size(); from += per) {
            List<Event> chunk = new ArrayList<>();
            bursts.subList(from, Math.min(bursts.size(), from + per)).forEach(chunk::addAll);
            fx.events(chunk.stream().map(Event::json).toList());
            // the clock moves on: just past the latest event delivered so far
            Instant now = chunk.stream()
                    .map(Event::at)
                    .max(Comparator.naturalOrder())
                    .orElseThrow()
                    .plusSeconds(60);
            for (Rule rule : detections()) {
                fx.incremental(rule.id(), now.isAfter(AS_OF) ? AS_OF : now, SETTINGS);
            }
        }
    }

    private void assertSameAsFromScratch(Instant asOf) throws Exception {
        int incidents = 0;
        for (Rule rule : detections()) {
            List<Finding> scratch = fx.run(rule.id(), asOf, SETTINGS);
            assertThat(fx.incremental(rule.id(), asOf, SETTINGS)).as(rule.id()).isEqualTo(scratch);
            incidents += scratch.size();
        }
        assertThat(incidents).as("the trail raises incidents").isGreaterThan(5);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void in_order_chunks_give_the_incidents_of_an_evaluation_from_scratch(long seed) throws Exception {
        deliver(trail(seed), 5);
        assertSameAsFromScratch(AS_OF);
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5, 6})
    void a_late_file_still_counts(long seed) throws Exception {
        List<List<Event>> bursts = trail(seed);
        Random r = new Random(seed);
        List<List<Event>> onTime = new ArrayList<>();
        List<List<Event>> late = new ArrayList<>();
        for (List<Event> b : bursts) {
            (r.nextInt(4) == 0 ? late : onTime).add(b);
        }
        assertThat(late).isNotEmpty();
        deliver(onTime, 4);
        deliver(late, 2);
        assertSameAsFromScratch(AS_OF);
    }

    @Test
    void an_evaluation_reads_only_what_arrived_and_moves_the_watermark() throws Exception {
        List<List<Event>> bursts = trail(7);
        deliver(bursts.subList(0, bursts.size() / 2), 1);
        long before = watermark("bulk-retrieval");
        assertThat(before).isPositive();
        // nothing new: the watermark stays, the incidents are those stored
        List<Finding> stored = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(watermark("bulk-retrieval")).isEqualTo(before);
        assertThat(stored).isEqualTo(fx.run("bulk-retrieval", AS_OF, SETTINGS));
        deliver(bursts.subList(bursts.size() / 2, bursts.size()), 1);
        assertThat(watermark("bulk-retrieval")).isGreaterThan(before);
    }

    @Test
    void other_settings_start_from_scratch() throws Exception {
        deliver(trail(8), 3);
        Map<String, String> higher = Map.of("bulk.secrets", "6");
        assertThat(fx.incremental("bulk-retrieval", AS_OF, higher)).isEqualTo(fx.run("bulk-retrieval", AS_OF, higher));
    }

    @Test
    void a_late_burst_next_to_a_closed_notified_incident_forms_its_own_in_both_evaluations() throws Exception {
        Instant first = AS_OF.minus(Duration.ofDays(10));
        fx.events(reads("intruder", first));
        Instant closedAt = first.plus(Duration.ofDays(2));
        List<Finding> before = fx.incremental("bulk-retrieval", closedAt, SETTINGS);
        assertThat(before).hasSize(1);
        record(before.get(0), closedAt);
        fx.events(reads("intruder", first.plus(Duration.ofHours(10))));
        List<Finding> after = fx.incremental("bulk-retrieval", closedAt, SETTINGS);
        assertThat(after).isEqualTo(fx.run("bulk-retrieval", closedAt, SETTINGS));
        assertThat(after).hasSize(2);
        assertThat(after.get(0).incident()).isEqualTo(before.get(0).incident());
    }

    @Test
    void a_burst_within_quiet_hours_of_a_stored_incident_extends_it() throws Exception {
        Instant first = AS_OF.minus(Duration.ofDays(3));
        fx.events(reads("intruder", first));
        List<Finding> before = fx.incremental("bulk-retrieval", first.plus(Duration.ofHours(1)), SETTINGS);
        assertThat(before).hasSize(1);
        fx.events(reads("intruder", first.plus(Duration.ofHours(20))));
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
        fx.events(reads("intruder", first));
        fx.events(reads("intruder", first.plus(Duration.ofHours(40))));
        List<Finding> before = fx.incremental("bulk-retrieval", AS_OF, SETTINGS);
        assertThat(before).hasSize(2);
        // a late file: a burst 20 hours after the first, 20 before the second
        fx.events(reads("intruder", first.plus(Duration.ofHours(20))));
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
        fx.events(reads("a", AS_OF.minus(Duration.ofDays(1))));
        fx.events(reads("b", AS_OF.minus(Duration.ofDays(5))));
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

    /** Six reads of distinct secrets within a minute: one bulk hit at the settings above. */
    private List<String> reads(String who, Instant at) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(fx.call("GetSecretValue", at.plusSeconds(i * 10L))
                    .by(who)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        return out;
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
