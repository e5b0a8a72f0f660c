package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters as in Stratus Red Team's batch-retrieve detonation and Panther's catch-all tests. */
class BatchRetrievalRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(1));
    static final String STRATUS = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"StratusRedTeam\"]}]}";
    static final String CATCH_ALL = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]}]}";
    static final String CATCH_ALL_AND_TAG =
            "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]},"
                    + "{\"key\":\"tag-key\",\"values\":[\"tagThatExists\"]}]}";

    private List<String> calls(String role, int n, Duration span, String params) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call("BatchGetSecretValue", T0.plusMillis(n == 1 ? 0 : span.toMillis() * i / (n - 1)))
                    .by(role)
                    .params(params)
                    .json());
        }
        return out;
    }

    @Test
    void five_filter_calls_within_ten_minutes_are_medium() throws Exception {
        fx.events(calls("intruder", 5, Duration.ofSeconds(599), STRATUS));
        Finding f = fx.finding("batch-retrieval", role("intruder"), AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "medium",
                        "made 5 filter-based BatchGetSecretValue calls in 9 min 59 s (threshold: 5 within 10 minutes)");
        assertThat(f.evidence().counts())
                .containsEntry("calls", 5)
                .containsEntry("failed", 0)
                .containsEntry("matchAll", false);
        assertThat(f.evidence().eventIds()).hasSize(5);
    }

    @Test
    void a_filter_matching_every_secret_makes_it_high() throws Exception {
        List<String> events = calls("intruder", 4, Duration.ofSeconds(10), STRATUS);
        events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(20))
                .by("intruder")
                .params(CATCH_ALL)
                .error("AccessDenied", null)
                .json());
        fx.events(events);
        assertThat(fx.finding("batch-retrieval", role("intruder"), AS_OF))
                .extracting(Finding::severity, Finding::reason)
                .containsExactly(
                        "high",
                        "made 5 filter-based BatchGetSecretValue calls in 20 s, 1 of them failing (threshold: 5 within 10 minutes);"
                                + " a filter matches every secret (each filter has a negated value)");
    }

    @Test
    void a_negated_filter_anded_with_a_plain_one_does_not_match_everything() throws Exception {
        fx.events(calls("intruder", 5, Duration.ofSeconds(10), CATCH_ALL_AND_TAG));
        assertThat(fx.finding("batch-retrieval", role("intruder"), AS_OF).severity())
                .isEqualTo("medium");
    }

    @Test
    void four_calls_or_five_over_ten_minutes_and_one_second_do_not() throws Exception {
        fx.events(calls("four", 4, Duration.ofSeconds(1), CATCH_ALL));
        fx.events(calls("slow", 5, Duration.ofSeconds(601), CATCH_ALL));
        fx.events(calls("exactly", 5, Duration.ofSeconds(600), CATCH_ALL));
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void batches_by_id_list_and_calls_split_between_roles_do_not() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(i))
                    .by("lister")
                    .params("{\"secretIdList\":[\"" + DB + "\"]}")
                    .json());
            events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(i))
                    .by(i % 2 == 0 ? "a" : "b")
                    .params(STRATUS)
                    .json());
        }
        fx.events(events);
        // eight id-list batches by one role, four filter batches by each of two roles
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of())).isEmpty();
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of("batch.calls", "4")))
                .extracting(Finding::resource)
                .containsExactly(role("a"), role("b"));
    }
}
