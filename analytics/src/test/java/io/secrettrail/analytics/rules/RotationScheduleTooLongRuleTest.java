package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** rotation-schedule-too-long (AWS Config maximumAllowedRotationFrequency), from RotationRules. */
class RotationScheduleTooLongRuleTest extends RuleTestBase {
    static final Map<String, String> NINETY_DAYS = Map.of("posture.maxRotationInterval", "90d");

    /** A ListSecrets entry with rotation on and these RotationRules (a JSON object). */
    private void rotating(String arn, String rules) throws Exception {
        fx.listed(
                arn,
                "\"RotationEnabled\":true,\"RotationLambdaARN\":"
                        + "\"arn:aws:lambda:us-east-1:123456789012:function:rotate\",\"RotationRules\":" + rules);
    }

    private Finding schedule(String arn, Map<String, String> settings) throws Exception {
        return fx.finding("rotation-schedule-too-long", arn, AS_OF, settings);
    }

    @Test
    void a_schedule_longer_than_the_maximum_alarms_with_both_figures() throws Exception {
        rotating(DB, "{\"AutomaticallyAfterDays\":120}");
        assertThat(schedule(DB, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly(
                        "alarm",
                        "the schedule AutomaticallyAfterDays=120 leaves up to 120 days between rotations; the maximum is 90d",
                        "medium");
    }

    @Test
    void a_rate_within_the_maximum_is_ok_and_exactly_the_maximum_is_the_boundary() throws Exception {
        rotating(DB, "{\"AutomaticallyAfterDays\":90,\"ScheduleExpression\":\"rate(90 days)\"}");
        assertThat(schedule(DB, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok", "the schedule rate(90 days) leaves up to 90 days between rotations; the maximum is 90d");
        assertThat(schedule(DB, Map.of("posture.maxRotationInterval", "2159h")).status()) // 90 days less an hour
                .isEqualTo("alarm");
        assertThat(schedule(DB, Map.of("posture.maxRotationInterval", "2160h")).status())
                .isEqualTo("ok");
    }

    @Test
    void hours_settings_judge_hourly_rates() throws Exception {
        rotating(DB, "{\"ScheduleExpression\":\"rate(36 hours)\",\"Duration\":\"2h\"}");
        assertThat(schedule(DB, Map.of("posture.maxRotationInterval", "24h")).reason())
                .isEqualTo("the schedule rate(36 hours) leaves up to 36 hours between rotations; the maximum is 24h");
        assertThat(schedule(DB, Map.of("posture.maxRotationInterval", "36h")).status())
                .isEqualTo("ok");
    }

    @Test
    void a_cron_is_judged_by_its_longest_gap() throws Exception {
        rotating(DB, "{\"ScheduleExpression\":\"cron(0 0 1 */3 ? *)\",\"Duration\":\"3h\"}");
        assertThat(schedule(DB, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "the schedule cron(0 0 1 */3 ? *) leaves up to 92 days between rotations; the maximum is 90d");
        assertThat(schedule(DB, Map.of("posture.maxRotationInterval", "92d")).status())
                .isEqualTo("ok");
    }

    @Test
    void a_cron_that_stops_alarms_and_an_unreadable_one_is_skipped_saying_why() throws Exception {
        rotating(DB, "{\"ScheduleExpression\":\"cron(0 12 1 * ? 2027)\"}");
        String bad = arn("us-east-1", "app/bad");
        rotating(bad, "{\"ScheduleExpression\":\"cron(0 12 * * * *)\"}");
        assertThat(schedule(DB, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "the schedule cron(0 12 1 * ? 2027) fires for the last time on 2027-12-01T12:00Z, after which"
                                + " the secret never rotates; the maximum is 90d");
        assertThat(schedule(bad, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "the schedule cron(0 12 * * * *) could not be read: cron not understood: exactly one of"
                                + " day-of-month and day-of-week must be ?");
    }

    @Test
    void the_rule_is_silent_until_a_maximum_is_set_and_a_bad_maximum_is_named() throws Exception {
        rotating(DB, "{\"AutomaticallyAfterDays\":400}");
        assertThat(schedule(DB, Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "not required: posture.maxRotationInterval is empty");
        assertThatThrownBy(
                        () -> fx.run("rotation-schedule-too-long", AS_OF, Map.of("posture.maxRotationInterval", "90")))
                .hasMessage("posture.maxRotationInterval: must look like 90d or 36h, was 90");
    }

    @Test
    void secrets_without_rotation_replicas_managed_and_uninventoried_ones_are_skipped_saying_which() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, null, null, null);
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(replica, "us-east-1", true, daysAgo(200), null, null, null, null);
        String rds = arn("us-east-1", "rds!db-1");
        rotating(rds, "{\"AutomaticallyAfterDays\":400}");
        fx.inventory(rds, daysAgo(100), "{\"OwningService\":\"rds\",\"RotationEnabled\":true}");
        String unknown = arn("us-east-1", "legacy/token");
        fx.apiCall("GetSecretValue", unknown, daysAgo(1), null);
        assertThat(schedule(DB, NINETY_DAYS))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "rotation is not enabled (rotation-disabled reports it)");
        assertThat(schedule(replica, NINETY_DAYS).reason()).isEqualTo("a replica of " + DB + ", which rotates it");
        assertThat(schedule(rds, NINETY_DAYS).reason()).isEqualTo("managed by rds, which sets its rotation schedule");
        assertThat(schedule(unknown, NINETY_DAYS).reason())
                .isEqualTo("not in the inventory, so its rotation schedule is unknown");
    }
}
