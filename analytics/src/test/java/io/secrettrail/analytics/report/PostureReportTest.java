package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.KmsEvents;
import io.secrettrail.analytics.cost.KmsKeys;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleFixture;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's posture rules through the whole report: silent by default, so a default report gains no alert, and
 * each alarming once its setting is given, the cmk-required one on the key the report's kmsKey shows.
 */
class PostureReportTest extends RuleTestBase {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final List<String> POSTURE = List.of("rotation-schedule-too-long", "cmk-required", "required-tags");

    private Report report(RuleFixture f, Map<String, String> settings) throws Exception {
        try (Connection c = f.reader()) {
            return new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, false);
        }
    }

    private static List<String> posture(Report r) {
        return r.alerts().stream()
                .filter(a -> POSTURE.contains(a.rule()))
                .map(a -> a.rule() + ": " + a.reason())
                .toList();
    }

    @Test
    void the_posture_rules_add_no_alert_by_default_and_alarm_once_configured() throws Exception {
        fx.listed(
                DB,
                "\"RotationEnabled\":true,\"RotationRules\":{\"AutomaticallyAfterDays\":120},"
                        + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"}]");
        fx.events(List.of(KmsEvents.decrypt("k1", daysAgo(1), DB, KEY)));
        assertThat(posture(report(fx, Map.of()))).isEmpty();

        Report r = report(
                fx,
                Map.of(
                        "posture.allowedKmsKeys", "alias/payments",
                        "posture.requiredTagKeys", "team,owner",
                        "posture.maxRotationInterval", "90d"));
        assertThat(r.secrets().stream()
                        .filter(s -> s.arn().equals(DB))
                        .findFirst()
                        .orElseThrow()
                        .kms()
                        .key())
                .isEqualTo(KEY);
        assertThat(posture(r))
                .containsExactly(
                        "rotation-schedule-too-long: the schedule AutomaticallyAfterDays=120 leaves up to 120 days"
                                + " between rotations; the maximum is 90d",
                        "cmk-required: encrypted with the AWS managed key aws/secretsmanager (" + KEY
                                + ", as its latest KMS request names it)",
                        "required-tags: missing 1 of the 2 required tags: owner");
        assertThat(r.alerts())
                .filteredOn(a -> POSTURE.contains(a.rule()))
                .extracting(Finding::resource)
                .containsOnly(DB);
    }

    /** The rows the report's snapshot left in rotation_schedules (a temporary table of the report's connection). */
    private long walkedSchedules(Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, false);
            try (java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM rotation_schedules")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void a_report_walks_no_cron_unless_posture_max_rotation_interval_is_set() throws Exception {
        // anyone who may set rotation schedules sets them; the default report must not pay for walking them
        fx.listed(DB, "\"RotationEnabled\":true,\"RotationRules\":{\"ScheduleExpression\":\"cron(0 12 ? * 2#1 *)\"}");
        assertThat(walkedSchedules(Map.of())).isZero();
        assertThat(walkedSchedules(Map.of("posture.maxRotationInterval", "90d")))
                .isEqualTo(1);
    }

    @Test
    void the_snapshots_keys_are_the_cost_models_keys() throws Exception {
        String listed = io.secrettrail.analytics.rules.RuleFixture.arn("us-east-1", "app/listed");
        fx.listed(DB, "");
        fx.listed(listed, "\"KmsKeyId\":\"alias/payments\"");
        fx.events(List.of(
                KmsEvents.decrypt("k1", daysAgo(1), DB, KEY), KmsEvents.decrypt("k2", daysAgo(1), listed, KEY)));
        try (Connection c = fx.reader()) {
            KmsKeys direct = KmsKeys.at(c, AS_OF);
            KmsKeys fromSnapshot = KmsKeys.of(Snapshot.at(c, AS_OF));
            for (String arn : List.of(DB, listed)) {
                assertThat(fromSnapshot.key(arn)).isEqualTo(direct.key(arn)).isEqualTo(KEY);
                assertThat(fromSnapshot.requests(arn, "123456789012", "us-east-1"))
                        .isEqualTo(direct.requests(arn, "123456789012", "us-east-1"))
                        .isEqualTo(1L);
            }
            // KEY is customer managed: app/listed is listed with it (by alias), its requests name KEY
            assertThat(fromSnapshot.customerManaged(KEY)).isTrue().isEqualTo(direct.customerManaged(KEY));
        }
    }
}
