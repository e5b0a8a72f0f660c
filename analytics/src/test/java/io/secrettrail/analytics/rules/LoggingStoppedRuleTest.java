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
    void a_denied_attempt_alone_is_a_medium_alarm_naming_the_error() throws Exception {
        fx.load(SAMPLES.resolve("awsdocs-cloudtrail-user-guide/update-trail-denied.json"));
        Finding f = fx.finding("logging-stopped", "arn:aws:cloudtrail:us-east-2:123456789012:trail/myTrail2", AS_OF);
        assertThat(f.severity()).isEqualTo("medium");
        assertThat(f.reason())
                .isEqualTo("1 denied attempt to change logging, the last a UpdateTrail by"
                        + " arn:aws:iam::123456789012:user/Alice at 2016-07-14T19:15:45Z (TrailNotFoundException)");
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
