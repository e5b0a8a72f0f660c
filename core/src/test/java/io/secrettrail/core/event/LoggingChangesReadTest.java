package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the reader keeps CloudTrail's StopLogging, DeleteTrail, UpdateTrail and
 * PutEventSelectors beside the Secrets Manager events, drops every other record of CloudTrail and
 * of other services, and reports the latest eventTime of all the records of a file.
 */
class LoggingChangesReadTest {
    @TempDir
    Path dir;

    private final TrailReader reader = new TrailReader();

    @Test
    void keeps_the_stratus_stop_delete_and_event_selector_detonations_and_drops_the_other_281_records()
            throws IOException {
        Collecting sink = new Collecting();
        TrailReader.Result r =
                reader.read(Fixtures.path("stratus-red-team/all_other_events.ndjson"), "other.ndjson", sink);
        assertThat(sink.events)
                .extracting(CloudTrailEvent::eventName)
                .containsExactly("DeleteTrail", "PutEventSelectors", "StopLogging");
        assertThat(sink.events).allSatisfy(e -> {
            assertThat(e.eventSource()).isEqualTo(CloudTrailEvent.CLOUDTRAIL);
            assertThat(e.loggingChange()).isTrue();
            assertThat(e.secretIds()).isEmpty();
            assertThat(e.failed()).isFalse();
        });
        assertThat(sink.events.get(1).accountId()).isEqualTo("958312252124");
        assertThat(r.records()).isEqualTo(284);
        assertThat(r.secretsManagerRecords()).isZero();
    }

    @Test
    void keeps_a_denied_update_trail_from_a_records_file() throws IOException {
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(
                Fixtures.path("awsdocs-cloudtrail-user-guide/update-trail-denied.json"), "update.json", sink);
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("UpdateTrail");
            assertThat(e.errorCode()).isEqualTo("TrailNotFoundException");
        });
        assertThat(r.latestEventTime()).isEqualTo(Instant.parse("2016-07-14T19:15:45Z"));
    }

    @Test
    void drops_cloudtrails_other_calls_such_as_lookup_events_and_start_logging() throws IOException {
        String update = Files.readString(Fixtures.path("awsdocs-cloudtrail-user-guide/update-trail-denied.json"));
        Path f = Fixtures.recordsFile(
                dir,
                "t.json",
                List.of(
                        update.substring(
                                        update.indexOf('{', 1),
                                        update.lastIndexOf('}', update.lastIndexOf('}') - 1) + 1)
                                .replace("\"UpdateTrail\"", "\"LookupEvents\""),
                        update.substring(
                                        update.indexOf('{', 1),
                                        update.lastIndexOf('}', update.lastIndexOf('}') - 1) + 1)
                                .replace("\"UpdateTrail\"", "\"StartLogging\"")));
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "t.json", sink);
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).isEmpty();
        assertThat(r.records()).isEqualTo(2);
        // dropped records still tell when the file was written
        assertThat(r.latestEventTime()).isEqualTo(Instant.parse("2016-07-14T19:15:45Z"));
    }

    @Test
    void the_latest_event_time_counts_every_record_wherever_its_event_time_stands() throws IOException {
        List<String> lines = Fixtures.lines("stratus-red-team/all_other_events.ndjson");
        Instant latest = lines.stream()
                .map(l -> Instant.parse(l.replaceAll(".*\"eventTime\": \"([^\"]+)\".*", "$1")))
                .max(Instant::compareTo)
                .orElseThrow();
        // Stratus records sort their fields: eventTime comes after eventSource, read while skipping
        assertThat(lines.get(0).indexOf("\"eventTime\""))
                .isGreaterThan(lines.get(0).indexOf("\"eventSource\""));
        TrailReader.Result r = reader.read(
                Fixtures.path("stratus-red-team/all_other_events.ndjson"), "other.ndjson", new Collecting());
        assertThat(r.latestEventTime()).isEqualTo(latest).isEqualTo(Instant.parse("2024-11-30T08:43:18Z"));
    }

    @Test
    void a_file_whose_records_have_no_readable_time_has_no_latest_time() throws IOException {
        Path f = dir.resolve("no-time.ndjson");
        Files.writeString(
                f,
                "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventTime\":\"yesterday\"}\n"
                        + "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\"}\n",
                StandardCharsets.UTF_8);
        TrailReader.Result r = reader.read(f, "no-time.ndjson", new Collecting());
        assertThat(r.records()).isEqualTo(2);
        assertThat(r.latestEventTime()).isNull();
    }

    @Test
    void secrets_manager_events_still_count_as_accepted_and_for_the_latest_time() throws IOException {
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(Fixtures.path("stratus-red-team/events.ndjson"), "sm.ndjson", sink);
        assertThat(r.secretsManagerRecords()).isEqualTo(26);
        assertThat(r.latestEventTime())
                .isEqualTo(sink.events.stream()
                        .map(CloudTrailEvent::eventTime)
                        .max(Instant::compareTo)
                        .orElseThrow());
    }
}
