package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    // Issue 14: UpdateSecret counts as a rotation only when it wrote a version. Records shaped like
    // Stratus Red Team's calls (RuleFixture.Call), with the request and response fields AWS documents
    // for UpdateSecret: a versionId in the response only when a new version was created.

    private String updateSecret(Instant at, String params, String response) throws Exception {
        return fx.call("UpdateSecret", at).params(params).response(response).json();
    }

    private static String params(String extra) {
        return "{\"secretId\":\"" + DB + "\"" + extra + "}";
    }

    private static final String NO_VERSION = "{\"aRN\":\"" + DB + "\",\"name\":\"prod/db\"}";
    private static final String NEW_VERSION =
            "{\"aRN\":\"" + DB + "\",\"name\":\"prod/db\",\"versionId\":\"b1a2c3d4-0000-4000-8000-00000000000e\"}";

    @Test
    void a_description_or_kms_key_only_update_secret_is_no_rotation_issue_14() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(173), null, null, null);
        fx.events(java.util.List.of(
                updateSecret(daysAgo(5), params(",\"description\":\"Credentials for prod/db (rev 3)\""), NO_VERSION),
                updateSecret(
                        daysAgo(4),
                        params(
                                ",\"kmsKeyId\":\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\""),
                        NO_VERSION)));
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "not rotated for 173 days; the maximum is 90");
    }

    @Test
    void an_update_secret_answered_with_a_version_id_counts_in_lenient_mode_only() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(173), null, null, null);
        fx.events(java.util.List.of(updateSecret(daysAgo(5), params(",\"clientRequestToken\":\"t-1\""), NEW_VERSION)));
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 5 days ago; the maximum is 90");
        assertThat(fx.finding("stale-rotation", DB, AS_OF, Map.of("rotation.mode", "strict"))
                        .status())
                .isEqualTo("alarm");
    }

    @Test
    void a_failed_versioned_update_secret_is_no_rotation() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(173), null, null, null);
        fx.events(java.util.List.of(fx.call("UpdateSecret", daysAgo(5))
                .params(params(",\"clientRequestToken\":\"t-1\""))
                .response(NEW_VERSION)
                .error("AccessDenied", "not authorized")
                .json()));
        assertThat(fx.finding("stale-rotation", DB, AS_OF).status()).isEqualTo("alarm");
    }

    @Test
    void a_versioned_update_exactly_at_the_maximum_is_ok_and_one_second_over_fires() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(173), null, null, null);
        fx.events(java.util.List.of(updateSecret(daysAgo(90), params(""), NEW_VERSION)));
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 90 days ago; the maximum is 90");
        assertThat(fx.finding("stale-rotation", DB, AS_OF.plusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "not rotated for more than 90 days; the maximum is 90");
    }

    @Test
    void an_update_secret_carrying_a_value_counts_and_only_the_fact_is_stored(@TempDir Path dir) throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), daysAgo(173), null, null, null);
        // The value reaches the store only as carried_value: the reader drops it before anything else.
        String canary = "canary-value-7f3e";
        Path trail = dir.resolve("trail.ndjson");
        Files.writeString(
                trail,
                updateSecret(
                                daysAgo(5),
                                params(",\"clientRequestToken\":\"t-2\",\"secretString\":\"" + canary + "\""),
                                "null")
                        + "\n"
                        + updateSecret(daysAgo(4), params(",\"description\":\"no value here\""), "null")
                        + "\n");
        assertThat(fx.load(trail)).isEmpty();
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotated 5 days ago; the maximum is 90");
        try (var c = fx.reader();
                Statement st = c.createStatement();
                // the whole row as text: no column holds the value (issue 16: raw is no longer stored)
                ResultSet rs = st.executeQuery(
                        "SELECT carried_value, raw, CAST(events AS VARCHAR) FROM events ORDER BY event_time")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getString(3)).contains("UpdateSecret").doesNotContain(canary);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isFalse();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void a_secret_managed_by_another_service_says_so() throws Exception {
        fx.inventory(DB, daysAgo(100), "{\"OwningService\":\"rds\"}");
        assertThat(fx.finding("stale-rotation", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm", "never rotated since it was created 100 days ago; the maximum is 90; managed by rds");
    }
}
