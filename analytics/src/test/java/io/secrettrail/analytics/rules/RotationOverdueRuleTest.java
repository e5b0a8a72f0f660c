package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RotationOverdueRuleTest extends RuleTestBase {

    @Test
    void rotation_overdue_fires_when_the_next_rotation_is_more_than_a_day_late() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(33), null, null, daysAgo(3));
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "the next rotation was due 72 hours ago (2026-11-18T12:00:00Z); the grace period is 24 hours");
    }

    @Test
    void a_next_rotation_in_the_future_is_ok() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(3), null, null, daysAgo(-27));
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "the next rotation is due 2026-12-18T12:00:00Z");
    }

    @Test
    void exactly_24_hours_late_is_ok_and_one_second_more_fires() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(31), null, null, daysAgo(1));
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "the next rotation was due 24 hours ago, within the grace period of 24 hours");
        assertThat(fx.finding("rotation-overdue", DB, AS_OF.plusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "the next rotation was due more than 24 hours ago (2026-11-20T12:00:00Z); the grace period is 24 hours");
    }

    @Test
    void rotation_not_enabled_is_skipped() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, null, null, daysAgo(3));
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "rotation is not enabled");
    }

    // Issue 14: a rotation that succeeds after NextRotationDate ends the overdue state, though the
    // inventory (listed before it) still shows the old date.

    @Test
    void a_rotation_succeeded_after_the_due_date_ends_overdue_issue_14() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(33), null, null, daysAgo(3));
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(1), null);
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 2026-11-20T12:00:00Z, after the rotation due 2026-11-18T12:00:00Z");
    }

    @Test
    void a_rotation_succeeded_before_the_due_date_leaves_it_overdue() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, daysAgo(3));
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(33), null);
        fx.serviceEvent("RotationFailed", DB, daysAgo(1), "the rotation function failed");
        assertThat(fx.finding("rotation-overdue", DB, AS_OF).status()).isEqualTo("alarm");
    }

    @Test
    void a_rotation_exactly_at_the_due_date_ends_overdue_and_one_second_before_does_not() throws Exception {
        String early = RuleFixture.arn("us-east-1", "prod/early");
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, daysAgo(3));
        fx.inventory(early, null, true, daysAgo(200), null, null, null, daysAgo(3));
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(3), null);
        fx.serviceEvent("RotationSucceeded", early, daysAgo(3).minusSeconds(1), null);
        assertThat(fx.finding("rotation-overdue", DB, AS_OF).status()).isEqualTo("ok");
        assertThat(fx.finding("rotation-overdue", early, AS_OF).status()).isEqualTo("alarm");
    }

    @Test
    void an_inventory_last_rotated_after_its_next_rotation_date_is_ok() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(2), null, null, daysAgo(3));
        assertThat(fx.finding("rotation-overdue", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 2026-11-19T12:00:00Z, after the rotation due 2026-11-18T12:00:00Z");
    }
}
