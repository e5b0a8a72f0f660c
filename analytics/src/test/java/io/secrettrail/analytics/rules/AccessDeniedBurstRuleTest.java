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

class AccessDeniedBurstRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofDays(3));

    private List<String> denied(String role, int n, Duration span, String code) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call(
                            i % 4 == 0 ? "DescribeSecret" : "GetSecretValue",
                            T0.plusMillis(n == 1 ? 0 : span.toMillis() * i / (n - 1)))
                    .by(role)
                    .secret(arn("us-east-1", "prod/s" + (i % 3)))
                    .error(code, "User is not authorized")
                    .json());
        }
        return out;
    }

    @Test
    void twenty_refusals_within_a_day_raise_it() throws Exception {
        fx.events(denied("prober", 20, Duration.ofHours(23).plusMinutes(59), "AccessDenied"));
        Finding f = fx.finding("access-denied-burst", role("prober"), AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "medium",
                        "20 calls refused with AccessDenied in 23 h 59 min (threshold: 20 within 24 hours), on 3 secrets: DescribeSecret, GetSecretValue");
        assertThat(f.evidence().counts()).containsEntry("denied", 20).containsEntry("secrets", 3);
        assertThat(f.evidence().eventIds()).hasSize(20);
    }

    @Test
    void nineteen_refusals_or_twenty_over_a_day_and_a_minute_do_not() throws Exception {
        fx.events(denied("nineteen", 19, Duration.ofHours(1), "AccessDenied"));
        fx.events(denied("slow", 20, Duration.ofHours(24).plusMinutes(1), "AccessDenied"));
        fx.events(denied("exactly", 20, Duration.ofHours(24), "AccessDeniedException"));
        assertThat(fx.run("access-denied-burst", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void other_errors_do_not_count() throws Exception {
        fx.events(denied("lost", 40, Duration.ofMinutes(5), "ResourceNotFoundException"));
        assertThat(fx.run("access-denied-burst", AS_OF, Map.of())).isEmpty();
    }
}
