package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkRetrievalRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(2));

    /** One GetSecretValue on each of {@code n} secrets by {@code role}, spread evenly over {@code span}. */
    private List<String> reads(String role, int n, Duration span) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = T0.plusMillis(n == 1 ? 0 : span.toMillis() * i / (n - 1));
            out.add(fx.call("GetSecretValue", at)
                    .by(role)
                    .session("s" + (i % 3))
                    .from("203.0.113." + (i % 2))
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        return out;
    }

    @Test
    void twenty_distinct_secrets_within_nine_minutes_fifty_nine_raise_it_with_evidence() throws Exception {
        fx.events(reads("intruder", 20, Duration.ofSeconds(599)));
        Finding f = fx.finding("bulk-retrieval", role("intruder"), AS_OF);
        assertThat(f)
                .extracting(
                        Finding::status,
                        Finding::severity,
                        Finding::reason,
                        Finding::principal,
                        Finding::account,
                        Finding::region)
                .containsExactly(
                        "alarm",
                        "high",
                        "read 20 distinct secrets in 9 min 59 s (threshold: 20 within 10 minutes)",
                        role("intruder"),
                        "123456789012",
                        "us-east-1");
        Evidence e = f.evidence();
        assertThat(e.counts()).containsEntry("secrets", 20).containsEntry("calls", 20);
        assertThat(e.events()).isEqualTo(20);
        assertThat(e.windowStart()).isEqualTo(T0);
        assertThat(e.windowEnd()).isEqualTo(T0.plusSeconds(599));
        assertThat(e.sourceIps()).containsExactly("203.0.113.0", "203.0.113.1");
        assertThat(e.userAgents()).containsExactly("aws-sdk-java/2.25.0");
        assertThat(e.eventIds()).hasSize(Evidence.MAX_EVENT_IDS).doesNotHaveDuplicates();
        assertThat(f.firstSeen()).isEqualTo(T0);
        assertThat(f.lastSeen()).isEqualTo(T0.plusSeconds(599));
    }

    @Test
    void nineteen_secrets_do_not() throws Exception {
        fx.events(reads("intruder", 19, Duration.ofMinutes(5)));
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of())).isEmpty();
    }

    @Test
    void the_window_is_ten_minutes_inclusive() throws Exception {
        fx.events(reads("exactly", 20, Duration.ofMinutes(10)));
        fx.events(reads("longer", 20, Duration.ofSeconds(601)));
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void one_secret_read_many_times_failed_reads_and_two_roles_sharing_the_reads_do_not() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by("busy")
                    .secret(DB)
                    .json());
            events.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by("denied")
                    .secret(arn("us-east-1", "x/" + i))
                    .error("AccessDenied", null)
                    .json());
            events.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by(i % 2 == 0 ? "a" : "b")
                    .secret(arn("us-east-1", "y/" + i % 30))
                    .json());
        }
        fx.events(events);
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of())).isEmpty();
    }

    @Test
    void sessions_of_one_role_count_together() throws Exception {
        // reads() spreads the 20 reads over three session names: one role, one alarm
        fx.events(reads("app", 20, Duration.ofMinutes(1)));
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("app"));
    }

    @Test
    void ids_in_a_batch_id_list_count_one_each() throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            ids.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(arn("us-east-1", "batch/" + i))
                    .append('"');
        }
        fx.events(List.of(fx.call("BatchGetSecretValue", T0)
                .by("batcher")
                .params("{\"secretIdList\":[" + ids + "]}")
                .json()));
        assertThat(fx.finding("bulk-retrieval", role("batcher"), AS_OF)
                        .evidence()
                        .counts())
                .containsEntry("secrets", 20)
                .containsEntry("calls", 1);
    }

    @Test
    void a_batch_and_its_generated_entries_count_each_retrieval_once() throws Exception {
        // issue 14: the batch's 20 entries, logged in its second by the same client, are not 20 more reads
        StringBuilder ids = new StringBuilder();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String a = arn("us-east-1", "batch/" + i);
            ids.append(i == 0 ? "" : ",").append('"').append(a).append('"');
            events.add(fx.call("GetSecretValue", T0).by("batcher").secret(a).json());
        }
        events.add(fx.call("BatchGetSecretValue", T0)
                .by("batcher")
                .params("{\"secretIdList\":[" + ids + "]}")
                .json());
        fx.events(events);
        Finding f = fx.finding("bulk-retrieval", role("batcher"), AS_OF);
        assertThat(f.evidence().counts()).containsEntry("secrets", 20).containsEntry("calls", 20);
        assertThat(f.evidence().eventIds()).hasSize(20);
    }

    @Test
    void events_after_as_of_are_not_seen_and_the_threshold_is_a_setting() throws Exception {
        fx.events(reads("intruder", 6, Duration.ofMinutes(1)));
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of("bulk.secrets", "6"))).hasSize(1);
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of("bulk.secrets", "7"))).isEmpty();
        assertThat(fx.run("bulk-retrieval", T0.plusSeconds(30), Map.of("bulk.secrets", "6")))
                .isEmpty();
    }

    /**
     * The sweep the rule uses against the definition, brute force, on random reads: for every
     * principal, the most distinct secrets in any window ending at a read, the first and last
     * windows over the threshold.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void the_sweep_agrees_with_a_brute_force_count(long seed) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int threshold = 3 + rng.nextInt(6);
        int minutes = 1 + rng.nextInt(5);
        List<String> events = new ArrayList<>();
        Map<String, List<Map.Entry<Instant, String>>> byRole = new java.util.TreeMap<>();
        for (int i = 0; i < 150; i++) {
            String role = "r" + rng.nextInt(3);
            Instant at = T0.plusSeconds(rng.nextInt(3600)); // repeats of an instant happen, as in trails
            String secret = arn("us-east-1", "s" + rng.nextInt(12));
            events.add(fx.call("GetSecretValue", at).by(role).secret(secret).json());
            byRole.computeIfAbsent(role(role), k -> new ArrayList<>()).add(Map.entry(at, secret));
        }
        fx.events(events);
        Map<String, String> settings =
                Map.of("bulk.secrets", Integer.toString(threshold), "bulk.windowMinutes", Integer.toString(minutes));
        Map<String, Finding> found = new java.util.TreeMap<>();
        fx.run("bulk-retrieval", AS_OF, settings).forEach(f -> found.put(f.resource(), f));
        Duration w = Duration.ofMinutes(minutes);
        Map<String, List<Object>> expected = new java.util.TreeMap<>();
        byRole.forEach((role, reads) -> {
            int best = 0;
            Instant bestEnd = null;
            Instant last = null;
            for (var end : reads) {
                Instant t = end.getKey();
                long n = reads.stream()
                        .filter(r ->
                                !r.getKey().isBefore(t.minus(w)) && !r.getKey().isAfter(t))
                        .map(Map.Entry::getValue)
                        .distinct()
                        .count();
                if (n >= threshold) {
                    last = last == null || t.isAfter(last) ? t : last;
                    if (n > best || (n == best && t.isBefore(bestEnd))) {
                        best = (int) n;
                        bestEnd = t;
                    }
                }
            }
            if (best > 0) {
                expected.put(role, List.of(best, bestEnd, last));
            }
        });
        Map<String, List<Object>> actual = new java.util.TreeMap<>();
        found.forEach((role, f) -> actual.put(
                role,
                List.of(
                        ((Number) f.evidence().counts().get("secrets")).intValue(),
                        f.evidence().windowEnd(),
                        f.lastSeen())));
        assertThat(actual)
                .as("threshold %d within %d minutes", threshold, minutes)
                .isEqualTo(expected);
    }
}
