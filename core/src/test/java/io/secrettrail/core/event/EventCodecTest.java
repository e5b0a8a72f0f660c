package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: ingest's projection travels in a header; analytics reads it instead of parsing the JSON again. */
class EventCodecTest {
    @TempDir
    Path dir;

    /** Every event of the real fixtures, read as ingest reads them. */
    private List<CloudTrailEvent> realEvents() throws IOException {
        Collecting sink = new Collecting();
        TrailReader reader = new TrailReader();
        int i = 0;
        for (String set : List.of(
                "awsdocs-aws-secrets-manager-docs/events.ndjson",
                "awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson",
                "panther-analysis/events.ndjson",
                "stratus-red-team/events.ndjson",
                "stratus-red-team/all_other_events.ndjson",
                "opengovsg-postmangovsg/events.ndjson")) {
            String name = "f" + i++ + ".json";
            reader.read(Fixtures.recordsFile(dir, name, Fixtures.lines(set)), name, sink);
        }
        assertThat(sink.events).hasSizeGreaterThan(40);
        return sink.events;
    }

    @Test
    void every_real_event_comes_back_equal_to_what_ingest_parsed() throws IOException {
        for (CloudTrailEvent e : realEvents()) {
            assertThat(EventCodec.decode(EventCodec.encode(e), e.raw()))
                    .as(e.eventId())
                    .isEqualTo(e);
        }
    }

    @Test
    void nulls_flags_ids_and_nanoseconds_survive() {
        CloudTrailEvent e = new CloudTrailEvent(
                "id-1",
                Instant.parse("2026-11-01T10:00:00.123456789Z"),
                CloudTrailEvent.SECRETS_MANAGER,
                "BatchGetSecretValue",
                null,
                null,
                null,
                "AccessDenied",
                "é ✓ \u0000 text",
                Principal.UNKNOWN,
                null,
                null,
                List.of(
                        new CloudTrailEvent.SecretId("a", "requestParameters.secretIdList"),
                        new CloudTrailEvent.SecretId("b", "requestParameters.secretIdList")),
                true,
                true,
                new byte[] {1},
                null,
                new EventDetails("AKIA", null, "vpce-1", null, "true", null, "[{\"key\":\"name\"}]", null, null, null));
        CloudTrailEvent back = EventCodec.decode(EventCodec.encode(e), e.raw());
        assertThat(back).isEqualTo(e);
        assertThat(back.filterBatch()).isTrue();
        assertThat(back.carriedValue()).isTrue();
    }

    @Test
    void strings_are_written_as_their_utf8_length_and_bytes_whatever_their_characters() {
        // The layout analytics of any build reads: the writer copies ASCII itself and must agree with
        // String.getBytes on the rest (the last ASCII char, Latin-1, three bytes, a surrogate pair).
        for (String id : List.of("", "\u007F", "a\u0080", "\u00ff\u00e9", "\u2713x", "\uD83D\uDE00", "x".repeat(700))) {
            CloudTrailEvent e = new CloudTrailEvent(
                    id.isEmpty() ? "e" : id,
                    Instant.parse("2026-11-01T10:00:00Z"),
                    CloudTrailEvent.SECRETS_MANAGER,
                    "GetSecretValue",
                    null,
                    null,
                    null,
                    null,
                    id,
                    Principal.UNKNOWN,
                    null,
                    id,
                    List.of(),
                    false,
                    false,
                    new byte[] {1},
                    null,
                    EventDetails.NONE);
            byte[] utf8 = e.eventId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] out = EventCodec.encode(e);
            assertThat(java.nio.ByteBuffer.wrap(out, 1, 4).getInt()).as(id).isEqualTo(utf8.length);
            assertThat(Arrays.copyOfRange(out, 5, 5 + utf8.length)).as(id).isEqualTo(utf8);
            assertThat(EventCodec.decode(out, e.raw())).as(id).isEqualTo(e);
        }
    }

    @Test
    void anything_but_a_whole_projection_of_this_version_is_not_read() throws IOException {
        CloudTrailEvent e = realEvents().get(0);
        byte[] good = EventCodec.encode(e);
        assertThat(EventCodec.decode(null, e.raw())).isNull();
        assertThat(EventCodec.decode(new byte[0], e.raw())).isNull();
        byte[] otherVersion = good.clone();
        otherVersion[0] = (byte) (EventCodec.VERSION + 1);
        assertThat(EventCodec.decode(otherVersion, e.raw())).isNull();
        for (int cut = 1; cut < good.length; cut++) {
            assertThat(EventCodec.decode(Arrays.copyOf(good, cut), e.raw()))
                    .as("cut at %d", cut)
                    .isNull();
        }
        assertThat(EventCodec.decode(Arrays.copyOf(good, good.length + 1), e.raw()))
                .as("trailing byte")
                .isNull();
        byte[] hugeLength = good.clone();
        hugeLength[1] = 0x7f; // eventID's length
        assertThat(EventCodec.decode(hugeLength, e.raw())).isNull();
    }

    @Test
    void a_negative_length_is_not_read_and_malformed_utf8_reads_as_replacement_characters() {
        CloudTrailEvent e = event("ab", Instant.parse("2026-11-01T10:00:00Z"));
        byte[] good = EventCodec.encode(e);
        byte[] minusTwo = good.clone();
        java.nio.ByteBuffer.wrap(minusTwo, 1, 4).putInt(-2); // eventID's length: only -1 (null) is below zero
        assertThat(EventCodec.decode(minusTwo, e.raw())).isNull();
        byte[] malformed = good.clone();
        malformed[5] = (byte) 0xFF; // the first byte of "ab": never valid in UTF-8
        CloudTrailEvent read = EventCodec.decode(malformed, e.raw());
        assertThat(read).isNotNull();
        assertThat(read.eventId()).isEqualTo("\uFFFDb");
    }

    @Test
    void a_projection_without_the_columns_a_parsed_record_requires_is_not_read() {
        CloudTrailEvent noId = event("", Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(EventCodec.decode(EventCodec.encode(noId), noId.raw())).isNull();
        CloudTrailEvent farFuture = event("x", Instant.parse("+200000-01-01T00:00:00Z"));
        assertThat(EventCodec.decode(EventCodec.encode(farFuture), farFuture.raw()))
                .isNull();
        CloudTrailEvent ok = event("x", Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(EventCodec.decode(EventCodec.encode(ok), ok.raw())).isEqualTo(ok);
    }

    private static CloudTrailEvent event(String id, Instant time) {
        return new CloudTrailEvent(
                id,
                time,
                CloudTrailEvent.SECRETS_MANAGER,
                "GetSecretValue",
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                Principal.UNKNOWN,
                null,
                null,
                List.of(),
                false,
                new byte[] {1});
    }
}
