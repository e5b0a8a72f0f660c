package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: StopLogging, DeleteTrail, UpdateTrail and PutEventSelectors alarm, one finding per
 * trail; on Stratus Red Team's real detonations and the AWS documentation's denied UpdateTrail.
 */
class LoggingStoppedRuleTest extends RuleTestBase {
    static final Path SAMPLES = DetectionSamplesTest.SAMPLES;
    static final Instant STOPPED = Instant.parse("2024-07-31T13:06:24Z");
    static final String STOP_TRAIL =
            "arn:aws:cloudtrail:apiso-centralnorth-2r:143434273843:trail/stratus-red-team-ct-stop-trail-buykxbqejv";

    static String record(String eventName) throws Exception {
        return Files.readAllLines(SAMPLES.resolve("stratus-red-team/all_other_events.ndjson")).stream()
                .filter(l -> l.contains("\"eventName\": \"" + eventName + "\""))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_stratus_detonations_raise_one_high_alarm_per_trail() throws Exception {
        assertThat(fx.load(SAMPLES.resolve("stratus-red-team/all_other_events.ndjson")))
                .isEmpty();
        List<Finding> f = fx.run("logging-stopped", Instant.parse("2026-11-21T00:00:00Z"), Map.of());
        assertThat(f).hasSize(3).allSatisfy(x -> {
            assertThat(x.status()).isEqualTo("alarm");
            assertThat(x.severity()).isEqualTo("high");
            assertThat(x.principal()).endsWith(":user/christophe");
            assertThat(x.evidence().userAgents()).singleElement().asString().startsWith("stratus-red-team_");
            assertThat(x.evidence().eventIds()).hasSize(1);
        });
        assertThat(f)
                .extracting(Finding::reason)
                .anySatisfy(
                        r -> assertThat(r)
                                .isEqualTo(
                                        "PutEventSelectors by arn:aws:iam::958312252124:user/christophe at 2024-07-31T12:50:02Z"));
        // the trail the response names; a bare name in the request is made an ARN of the caller's account and region
        assertThat(f)
                .extracting(Finding::resource)
                .contains(
                        "arn:aws:cloudtrail:cn-northsouth-2r:958312252124:trail/stratus-red-team-ctes-trail-khlvciwdor",
                        STOP_TRAIL);
        assertThat(fx.finding("logging-stopped", STOP_TRAIL, Instant.parse("2026-11-21T00:00:00Z"))
                        .evidence()
                        .counts())
                .containsEntry("stopLogging", 1)
                .containsEntry("denied", 0);
    }

    @Test
    void a_change_counts_from_the_second_it_was_made() throws Exception {
        fx.events(List.of(record("StopLogging")));
        assertThat(fx.run("logging-stopped", STOPPED.minusSeconds(1), Map.of())).isEmpty();
        assertThat(fx.run("logging-stopped", STOPPED, Map.of()))
                .singleElement()
                .extracting(Finding::resource, Finding::status)
                .containsExactly(STOP_TRAIL, "alarm");
    }

    @Test
    void a_denied_attempt_alone_is_a_medium_alarm_of_its_caller_naming_the_error() throws Exception {
        fx.load(SAMPLES.resolve("awsdocs-cloudtrail-user-guide/update-trail-denied.json"));
        // no successful call names myTrail2: the attempt is filed under the caller (review M2)
        Finding f = fx.finding("logging-stopped", "arn:aws:iam::123456789012:user/Alice", AS_OF);
        assertThat(f.severity()).isEqualTo("medium");
        assertThat(f.reason())
                .isEqualTo("1 denied attempt to change logging on 1 trail no successful call names, the last a"
                        + " UpdateTrail of arn:aws:cloudtrail:us-east-2:123456789012:trail/myTrail2 by"
                        + " arn:aws:iam::123456789012:user/Alice at 2016-07-14T19:15:45Z (TrailNotFoundException)");
    }

    /** A CloudTrail call by {@code role} on the trail named {@code name}, denied when {@code error} is set. */
    String trailCall(String event, String role, String name, Instant at, String error) throws Exception {
        return fx.trailCall(event, role, name, at, error);
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    /**
     * Review M2: any identity may call StopLogging on made-up names, each refused and logged; one
     * incident per name would be an alarm per call. Refused calls on trails no successful call names
     * are one incident of the caller; a successful call is still an incident of its trail.
     */
    @Test
    void two_hundred_denied_calls_on_made_up_trails_by_one_role_are_one_incident_a_success_its_own() throws Exception {
        Instant start = Instant.parse("2026-11-21T08:00:00Z");
        List<String> records = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(trailCall(
                    i % 2 == 0 ? "StopLogging" : "DeleteTrail",
                    "intruder",
                    "r" + (10_000 + i * 37),
                    start.plusSeconds(i),
                    "AccessDenied"));
        }
        records.add(trailCall("StopLogging", "admin", "main", start.plusSeconds(600), null));
        fx.events(records);
        List<Finding> f = fx.run("logging-stopped", AS_OF, Map.of());
        assertThat(f).hasSize(2);
        Finding denied = fx.finding("logging-stopped", RuleFixture.role("intruder"), AS_OF);
        assertThat(denied.severity()).isEqualTo("medium");
        assertThat(denied.account()).isEqualTo("123456789012");
        assertThat(denied.reason())
                .isEqualTo("200 denied attempts to change logging on 200 trails no successful call names, the last a"
                        + " DeleteTrail of arn:aws:cloudtrail:us-east-1:123456789012:trail/r17363 by "
                        + RuleFixture.role("intruder") + " at 2026-11-21T08:03:19Z (AccessDenied)");
        assertThat(denied.evidence().counts()).containsEntry("denied", 200).containsEntry("trails", 200);
        assertThat(denied.evidence().eventIds()).hasSize(Evidence.MAX_EVENT_IDS);
        Finding stopped = fx.finding("logging-stopped", "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", AS_OF);
        assertThat(stopped.severity()).isEqualTo("high");
        assertThat(stopped.principal()).isEqualTo(RuleFixture.role("admin"));
        assertThat(stopped.evidence().counts()).containsEntry("denied", 0).containsEntry("trails", 1);
    }

    @Test
    void a_denied_call_on_a_trail_a_successful_call_names_stays_on_that_trail_each_caller_apart() throws Exception {
        Instant start = Instant.parse("2026-11-21T08:00:00Z");
        fx.events(List.of(
                trailCall("StopLogging", "admin", "main", start, null),
                trailCall("StopLogging", "intruder", "main", start.plusSeconds(60), "AccessDenied"),
                trailCall("StopLogging", "intruder", "made-up", start.plusSeconds(120), "AccessDenied"),
                trailCall("StopLogging", "other", "made-up-too", start.plusSeconds(180), "AccessDenied")));
        assertThat(fx.run("logging-stopped", AS_OF, Map.of()))
                .extracting(Finding::resource, Finding::severity)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", "high"),
                        org.assertj.core.groups.Tuple.tuple(RuleFixture.role("intruder"), "medium"),
                        org.assertj.core.groups.Tuple.tuple(RuleFixture.role("other"), "medium"));
        assertThat(fx.finding("logging-stopped", "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", AS_OF)
                        .evidence()
                        .counts())
                .containsEntry("denied", 1);
    }

    /** Review L4: a call naming another account's trail by ARN is filed in that trail's account and region. */
    @Test
    void a_trail_named_by_the_arn_of_another_account_is_in_that_account() throws Exception {
        String theirs = "arn:aws:cloudtrail:eu-west-1:999999999999:trail/org-trail";
        fx.events(List.of(trailCall("StopLogging", "admin", theirs, Instant.parse("2026-11-21T08:00:00Z"), null)));
        Finding f = fx.finding("logging-stopped", theirs, AS_OF);
        assertThat(f.account()).isEqualTo("999999999999");
        assertThat(f.region()).isEqualTo("eu-west-1");
        // by a bare name: the caller's account and region, as before
        fx.events(List.of(trailCall("StopLogging", "admin", "mine", Instant.parse("2026-11-21T09:00:00Z"), null)));
        assertThat(fx.finding("logging-stopped", "arn:aws:cloudtrail:us-east-1:123456789012:trail/mine", AS_OF))
                .extracting(Finding::account, Finding::region)
                .containsExactly("123456789012", "us-east-1");
    }

    @Test
    void a_success_after_a_denied_attempt_on_the_same_trail_is_one_high_alarm() throws Exception {
        String stop = record("StopLogging");
        String denied = stop.replace("\"eventID\": \"", "\"eventID\": \"denied-")
                .replace("\"eventTime\": \"2024-07-31T13:06:24Z\"", "\"eventTime\": \"2024-07-31T13:00:00Z\"")
                .replace("\"eventType\"", "\"errorCode\": \"AccessDenied\", \"eventType\"");
        fx.events(List.of(denied, stop));
        Finding f = fx.finding("logging-stopped", STOP_TRAIL, AS_OF);
        assertThat(f.severity()).isEqualTo("high");
        assertThat(f.reason())
                .isEqualTo("StopLogging by arn:aws:iam::143434273843:user/christophe at 2024-07-31T13:06:24Z;"
                        + " 1 denied attempt");
        assertThat(f.firstSeen()).isEqualTo(Instant.parse("2024-07-31T13:00:00Z"));
        assertThat(f.evidence().eventIds()).hasSize(2);
    }

    @Test
    void secrets_manager_events_and_no_logging_change_raise_nothing() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.apiCall("DeleteSecret", DB, daysAgo(1), null);
        assertThat(fx.run("logging-stopped", AS_OF, Map.of())).isEmpty();
    }
}
