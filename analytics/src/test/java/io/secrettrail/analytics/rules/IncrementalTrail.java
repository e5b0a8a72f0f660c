package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleTestBase.AS_OF;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated trail of bursts (bulk reads, refused calls, probing for names, deleted-secret access, batches)
 * by a few roles, some bursts close enough to chain into one incident, delivered in chunks to incremental
 * evaluation, the clock moving on after each, then compared with an evaluation from scratch. The cost is
 * the number of evaluations (every detection after every chunk), not the size of the trail.
 */
final class IncrementalTrail {
    /** Low thresholds so that a burst of a few calls is a hit. */
    static final Map<String, String> SETTINGS = Map.of(
            "bulk.secrets", "5",
            "denied.calls", "5",
            "probing.names", "5",
            "batch.calls", "3",
            "multiRegion.regions", "2");

    record Event(Instant at, String json) {}

    private final RuleFixture fx;

    IncrementalTrail(RuleFixture fx) {
        this.fx = fx;
    }

    /** In-order chunks give the incidents of an evaluation from scratch. */
    void inOrderChunks(long seed) throws Exception {
        deliver(trail(seed), 5);
        assertSameAsFromScratch(AS_OF);
    }

    /**
     * A quarter of the bursts held back and delivered last (a late file) still count: the incremental
     * evaluation gives the incidents of one from scratch, and the late file did change them.
     */
    void lateFile(long seed) throws Exception {
        List<List<Event>> bursts = trail(seed);
        Random r = new Random(seed);
        List<List<Event>> onTime = new ArrayList<>();
        List<List<Event>> late = new ArrayList<>();
        for (List<Event> b : bursts) {
            (r.nextInt(4) == 0 ? late : onTime).add(b);
        }
        assertThat(late).isNotEmpty();
        deliver(onTime, 4);
        Map<String, List<Finding>> withoutLate = fx.runAll(detections(), AS_OF, SETTINGS, false);
        deliver(late, 2);
        Map<String, List<Finding>> withLate = assertSameAsFromScratch(AS_OF);
        assertThat(withLate).as("the late file changes the incidents").isNotEqualTo(withoutLate);
    }

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
    List<List<Event>> trail(long seed) throws Exception {
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

    List<Rule> detections() {
        return fx.catalog().all().stream().filter(Rule::hits).toList();
    }

    /** Delivers the bursts in {@code chunks}, evaluating every detection incrementally after each. */
    void deliver(List<List<Event>> bursts, int chunks) throws Exception {
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
            fx.runAll(detections(), now.isAfter(AS_OF) ? AS_OF : now, SETTINGS, true);
        }
    }

    /** Asserts each detection's incremental findings at asOf are those from scratch; returns the latter. */
    Map<String, List<Finding>> assertSameAsFromScratch(Instant asOf) throws Exception {
        Map<String, List<Finding>> scratch = fx.runAll(detections(), asOf, SETTINGS, false);
        Map<String, List<Finding>> incremental = fx.runAll(detections(), asOf, SETTINGS, true);
        int incidents = 0;
        for (Rule rule : detections()) {
            assertThat(incremental.get(rule.id())).as(rule.id()).isEqualTo(scratch.get(rule.id()));
            incidents += scratch.get(rule.id()).size();
        }
        assertThat(incidents).as("the trail raises incidents").isGreaterThan(5);
        return scratch;
    }
}
