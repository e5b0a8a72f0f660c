package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstSeenPrincipalRuleTest extends RuleTestBase {
    static final Instant SINCE = daysAgo(20);

    /** The secret's history starts at SINCE with the app reading it. */
    private void history() throws Exception {
        fx.events(List.of(
                fx.call("GetSecretValue", SINCE).by("app").secret(DB).json(),
                fx.call("GetSecretValue", SINCE.plus(Duration.ofDays(3)))
                        .by("app")
                        .session("other-session")
                        .secret(DB)
                        .json()));
    }

    @Test
    void a_new_role_reading_a_secret_with_history_raises_it() throws Exception {
        history();
        Instant at = SINCE.plus(Duration.ofDays(9)).plusSeconds(7);
        fx.events(List.of(
                fx.call("GetSecretValue", at)
                        .by("ci-deployer")
                        .from("198.51.100.7")
                        .secret(DB)
                        .json(),
                fx.call("GetSecretValue", at.plusSeconds(60))
                        .by("ci-deployer")
                        .secret(DB)
                        .json()));
        List<Finding> found = fx.run("first-seen-principal", AS_OF, Map.of());
        assertThat(found).hasSize(1);
        Finding f = found.get(0);
        assertThat(f)
                .extracting(
                        Finding::resource,
                        Finding::principal,
                        Finding::status,
                        Finding::severity,
                        Finding::reason,
                        Finding::firstSeen)
                .containsExactly(
                        DB,
                        role("ci-deployer"),
                        "alarm",
                        "low",
                        "first read by " + role("ci-deployer")
                                + ", 9 days after the secret was first seen (threshold: 7 days of history)",
                        at);
        assertThat(f.evidence().eventIds()).hasSize(1);
        assertThat(f.evidence().sourceIps()).containsExactly("198.51.100.7");
    }

    @Test
    void seven_days_of_history_is_the_boundary() throws Exception {
        history();
        fx.events(List.of(
                fx.call("GetSecretValue", SINCE.plus(Duration.ofDays(7)))
                        .by("on-time")
                        .secret(DB)
                        .json(),
                fx.call("GetSecretValue", SINCE.plus(Duration.ofDays(7)).minusSeconds(1))
                        .by("early")
                        .secret(DB)
                        .json()));
        assertThat(fx.run("first-seen-principal", AS_OF, Map.of()))
                .extracting(Finding::principal)
                .containsExactly(role("on-time"));
    }

    @Test
    void new_sessions_of_a_known_role_failed_reads_and_other_calls_do_not() throws Exception {
        history();
        Instant later = SINCE.plus(Duration.ofDays(12));
        fx.events(List.of(
                fx.call("GetSecretValue", later)
                        .by("app")
                        .session("brand-new-session")
                        .secret(DB)
                        .json(),
                fx.call("GetSecretValue", later)
                        .by("stranger")
                        .secret(DB)
                        .error("AccessDenied", null)
                        .json(),
                fx.call("DescribeSecret", later).by("auditor").secret(DB).json()));
        assertThat(fx.run("first-seen-principal", AS_OF, Map.of())).isEmpty();
    }

    @Test
    void history_is_a_setting() throws Exception {
        history();
        fx.events(List.of(fx.call("GetSecretValue", SINCE.plus(Duration.ofDays(9)))
                .by("newcomer")
                .secret(DB)
                .json()));
        assertThat(fx.run("first-seen-principal", AS_OF, Map.of("firstSeen.historyDays", "10")))
                .isEmpty();
        assertThat(fx.run("first-seen-principal", AS_OF, Map.of("firstSeen.historyDays", "9")))
                .hasSize(1);
    }
}
