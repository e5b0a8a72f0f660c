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

/** Issue 12 item 5: one alert per principal that names many secrets not known to exist, none per name. */
class NameProbingRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofDays(2));

    /** {@code n} refused reads by {@code role}, on names {@code prefix0..}, spread evenly over {@code span}. */
    private List<String> probes(String role, String prefix, int n, Duration span, String code) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call("GetSecretValue", T0.plusMillis(n == 1 ? 0 : span.toMillis() * i / (n - 1)))
                    .by(role)
                    .secret(prefix + i)
                    .error(code, "Secrets Manager can't find the specified secret.")
                    .json());
        }
        return out;
    }

    @Test
    void twenty_names_not_known_to_exist_within_an_hour_raise_one_alert() throws Exception {
        fx.events(probes("prober", "guess/", 20, Duration.ofMinutes(59), "ResourceNotFoundException"));
        List<Finding> all = fx.run("name-probing", AS_OF, Map.of());
        assertThat(all).hasSize(1);
        Finding f = all.get(0);
        assertThat(f)
                .extracting(Finding::resource, Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        role("prober"),
                        "alarm",
                        "medium",
                        "named 20 secrets not known to exist in 59 min (threshold: 20 within 60 minutes); 20 such names in all");
        assertThat(f.evidence().counts()).containsEntry("names", 20).containsEntry("calls", 20);
        assertThat(f.evidence().eventIds()).hasSize(20);
        assertThat(f.principal()).isEqualTo(role("prober"));
    }

    @Test
    void nineteen_names_or_twenty_over_an_hour_and_a_minute_do_not_and_exactly_an_hour_does() throws Exception {
        fx.events(probes("nineteen", "a/", 19, Duration.ofMinutes(5), "AccessDenied"));
        fx.events(probes("slow", "b/", 20, Duration.ofMinutes(61), "AccessDenied"));
        fx.events(probes("exactly", "c/", 20, Duration.ofMinutes(60), "AccessDenied"));
        assertThat(fx.run("name-probing", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void names_that_exist_do_not_count() throws Exception {
        // the inventory lists one set of names; a successful read shows another exists
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String a = arn("us-east-1", "listed/" + i);
            fx.inventory(a, "us-east-1", true, AS_OF.minus(Duration.ofDays(30)), null, null, null, null);
            listed.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by("app")
                    .secret("listed/" + i)
                    .error("AccessDenied", "not authorized")
                    .json());
        }
        List<String> read = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            read.add(fx.call("GetSecretValue", T0.minusSeconds(60 + i))
                    .by("owner")
                    .secret("used/" + i)
                    .json());
            read.add(fx.call("GetSecretValue", T0.plusSeconds(20 + i))
                    .by("app")
                    .secret("used/" + i)
                    .error("AccessDenied", "not authorized")
                    .json());
        }
        fx.events(listed);
        fx.events(read);
        assertThat(fx.run("name-probing", AS_OF, Map.of())).isEmpty();
        // the same calls on names never confirmed raise it
        fx.events(probes("app", "unknown/", 20, Duration.ofMinutes(1), "AccessDenied"));
        assertThat(fx.run("name-probing", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("app"));
    }

    @Test
    void thresholds_come_from_settings() throws Exception {
        fx.events(probes("prober", "guess/", 5, Duration.ofMinutes(9), "AccessDenied"));
        assertThat(fx.run("name-probing", AS_OF, Map.of())).isEmpty();
        assertThat(fx.run("name-probing", AS_OF, Map.of("probing.names", "5", "probing.windowMinutes", "10")))
                .extracting(Finding::resource)
                .containsExactly(role("prober"));
        assertThat(fx.run("name-probing", AS_OF, Map.of("probing.names", "5", "probing.windowMinutes", "8")))
                .isEmpty();
    }

    @Test
    void names_never_confirmed_raise_no_posture_alert_and_no_saving() throws Exception {
        fx.events(probes("prober", "guess/", 30, Duration.ofMinutes(10), "AccessDenied"));
        for (String rule : List.of(
                "rotation-disabled", "stale-rotation", "rotation-failed", "rotation-overdue", "unused-secret")) {
            assertThat(fx.run(rule, AS_OF, Map.of())).as(rule).noneMatch(Finding::alarm);
        }
        assertThat(fx.run("unused-secret", AS_OF, Map.of()))
                .hasSize(30)
                .allSatisfy(
                        f -> assertThat(f.reason())
                                .isEqualTo(
                                        "not known to exist: not in the inventory, and no successful call or service event names it"));
    }
}
