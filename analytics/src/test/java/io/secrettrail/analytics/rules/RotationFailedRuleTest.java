package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationFailedRuleTest extends RuleTestBase {

    static final String LAMBDA_ERROR =
            "Error when executing lambda arn:aws:lambda:us-east-1:123456789012:function:rotate-db during setSecret step";

    @Test
    void rotation_failed_fires_and_names_the_lambda_step() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(40), null, null, null);
        fx.serviceEvent("RotationFailed", DB, daysAgo(2), LAMBDA_ERROR);
        Finding f = fx.finding("rotation-failed", DB, AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "RotationFailed at the setSecret step on 2026-11-19T12:00:00Z, 2 days ago, with no RotationSucceeded since");
        assertThat(f.firstSeen()).isEqualTo(daysAgo(2));
    }

    @Test
    void test_rotation_failed_and_abandoned_count_too() throws Exception {
        fx.serviceEvent("TestRotationFailed", DB, daysAgo(4), "during testSecret step");
        String other = arn("us-east-1", "prod/cache");
        fx.serviceEvent("RotationAbandoned", other, daysAgo(1), null);
        assertThat(fx.finding("rotation-failed", DB, AS_OF).reason())
                .startsWith("TestRotationFailed at the testSecret step on ");
        assertThat(fx.finding("rotation-failed", other, AS_OF).reason())
                .startsWith("RotationAbandoned at the unknown step on ");
    }

    @Test
    void a_later_success_clears_the_failure() throws Exception {
        fx.serviceEvent("RotationFailed", DB, daysAgo(2), LAMBDA_ERROR);
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(1), null);
        assertThat(fx.finding("rotation-failed", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotation failed on 2026-11-19T12:00:00Z and succeeded on 2026-11-20T12:00:00Z");
    }

    @Test
    void a_success_in_the_same_second_is_not_later_and_one_second_after_is() throws Exception {
        Instant failed = daysAgo(2);
        fx.serviceEvent("RotationSucceeded", DB, failed, null);
        fx.serviceEvent("RotationFailed", DB, failed, LAMBDA_ERROR);
        assertThat(fx.finding("rotation-failed", DB, AS_OF).status()).isEqualTo("alarm");
        fx.serviceEvent("RotationSucceeded", DB, failed.plusSeconds(1), null);
        assertThat(fx.finding("rotation-failed", DB, AS_OF).status()).isEqualTo("ok");
    }

    @Test
    void no_failure_is_ok_and_events_after_as_of_are_ignored() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(40), null, null, null);
        fx.serviceEvent("RotationFailed", DB, AS_OF.plusSeconds(1), LAMBDA_ERROR);
        assertThat(fx.finding("rotation-failed", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "no rotation failure in the trail");
    }

    @Test
    void a_secret_scheduled_for_deletion_is_skipped() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(40), null, daysAgo(1), null);
        fx.serviceEvent("RotationFailed", DB, daysAgo(2), LAMBDA_ERROR);
        assertThat(fx.finding("rotation-failed", DB, AS_OF).status()).isEqualTo("skip");
    }
}
