package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleRotationRuleTest extends RuleTestBase {

    @Test
    void stale_rotation_fires_when_the_last_rotation_is_older_than_the_maximum() throws Exception {
        fx.inventory(DB, null, true, daysAgo(400), daysAgo(131), null, null, null);
        Finding f = fx.finding("stale-rotation", DB, AS_OF);
        assertThat(f.status()).isEqualTo("alarm");
        assertThat(f.reason()).isEqualTo("not rotated for 131 days; the maximum is 90");
        assertThat(f.severity()).isEqualTo("high");
        assertThat(f.account()).isEqualTo("123456789012");
        assertThat(f.region()).isEqualTo("us-east-1");
    }

    @Test
    void stale_rotation_is_ok_within_the_maximum() throws Exception {
        fx.inventory(DB, null, true, daysAgo(400), daysAgo(10), null, null, null);
        Finding f = fx.finding("stale-rotation", DB, AS_OF);
        assertThat(f.status()).isEqualTo("ok");
        assertThat(f.reason()).isEqualTo("rotated 10 days ago; the maximum is 90");
    }

    @Test
    void stale_rotation_is_ok_exactly_at_the_threshold_and_fires_one_second_over() throws Exception {
        fx.inventory(DB, null, true, daysAgo(400), daysAgo(90), null, null, null);
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 90 days ago; the maximum is 90");
        assertThat(fx.finding("stale-rotation", DB, AS_OF.plusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "not rotated for more than 90 days; the maximum is 90");
    }

    @Test
    void a_rotation_succeeded_event_counts_as_a_rotation() throws Exception {
        fx.inventory(DB, null, true, daysAgo(400), daysAgo(131), null, null, null);
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(3), null);
        assertThat(fx.finding("stale-rotation", DB, AS_OF).reason()).isEqualTo("rotated 3 days ago; the maximum is 90");
    }

    @Test
    void a_manual_put_secret_value_counts_in_lenient_mode_but_not_in_strict_mode() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(131), null, null, null);
        fx.apiCall("PutSecretValue", DB, daysAgo(5), null);
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 5 days ago; the maximum is 90");
        assertThat(fx.finding("stale-rotation", DB, AS_OF, Map.of("rotation.mode", "strict")))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "not rotated for 131 days; the maximum is 90");
    }

    @Test
    void a_failed_put_secret_value_is_no_rotation() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(131), null, null, null);
        fx.apiCall("PutSecretValue", DB, daysAgo(5), "AccessDenied");
        assertThat(fx.finding("stale-rotation", DB, AS_OF).status()).isEqualTo("alarm");
    }

    @Test
    void a_secret_never_rotated_is_aged_from_its_creation() throws Exception {
        fx.inventory(DB, null, false, daysAgo(100), null, null, null, null);
        assertThat(fx.finding("stale-rotation", DB, AS_OF).reason())
                .isEqualTo("never rotated since it was created 100 days ago; the maximum is 90");
    }

    @Test
    void replicas_and_secrets_scheduled_for_deletion_are_skipped() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", true, daysAgo(400), daysAgo(131), null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(400), null, null, null, null);
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(400), null, null, Instant.parse("2026-11-20T08:00:00Z"), null);
        assertThat(fx.finding("stale-rotation", replica, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "a replica of " + DB + ", which rotates it");
        assertThat(fx.finding("stale-rotation", gone, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "scheduled for deletion on 2026-11-20T08:00:00Z");
    }

    @Test
    void the_maximum_is_configurable_within_its_range() throws Exception {
        fx.inventory(DB, null, true, daysAgo(400), daysAgo(131), null, null, null);
        assertThat(fx.finding("stale-rotation", DB, AS_OF, Map.of("rotation.maxDays", "180"))
                        .reason())
                .isEqualTo("rotated 131 days ago; the maximum is 180");
        assertThatThrownBy(() -> fx.run("stale-rotation", AS_OF, Map.of("rotation.maxDays", "400")))
                .hasMessage("rotation.maxDays: must be 1..365, was 400");
        assertThatThrownBy(() -> fx.run("stale-rotation", AS_OF, Map.of("rotation.mode", "sometimes")))
                .hasMessage("rotation.mode: must be one of [lenient, strict], was sometimes");
    }
}
