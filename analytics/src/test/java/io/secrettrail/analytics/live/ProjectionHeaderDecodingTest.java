package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventCodec;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: analytics takes an event's columns from ingest's projection header when it can read it, and parses
 * the raw record otherwise (an older ingest, another producer, a header it cannot read): the same row either way.
 */
class ProjectionHeaderDecodingTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();
    static final byte[] RAW = """
            {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::111111111111:assumed-role/app/s","accountId":"111111111111"},
             "eventTime":"2026-11-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
             "awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk-java","requestParameters":{"secretId":"app/db"},
             "responseElements":null,"requestID":"r-1","eventID":"e-1","eventType":"AwsApiCall","recipientAccountId":"111111111111"}""".getBytes(StandardCharsets.UTF_8);

    static ConsumerRecord<byte[], byte[]> message(long offset, byte[] value, byte[] projection) {
        RecordHeaders h = new RecordHeaders();
        h.add(KafkaSettings.Headers.SOURCE, "f.json".getBytes(StandardCharsets.UTF_8));
        if (projection != null) {
            h.add(EventCodec.HEADER, projection);
        }
        return new ConsumerRecord<>(
                TOPICS.events(),
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                value.length,
                "k".getBytes(StandardCharsets.UTF_8),
                value,
                h,
                Optional.empty());
    }

    private static CloudTrailEvent parsed() throws Exception {
        return new EventParser().parse(io.secrettrail.core.Json.mapper().readTree(RAW), RAW);
    }

    private static CloudTrailEvent decoded(ConsumerRecord<byte[], byte[]> m) {
        Decoded d = new MessageDecoder(TOPICS, true).decode(List.of(m));
        assertThat(d.poison()).isEmpty();
        return d.batch().events().stream()
                .map(Batch.EventRow::event)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void with_and_without_the_header_the_event_is_the_same() throws Exception {
        CloudTrailEvent e = parsed();
        CloudTrailEvent viaHeader = decoded(message(0, RAW, EventCodec.encode(e)));
        CloudTrailEvent viaJson = decoded(message(1, RAW, null));
        assertThat(viaHeader).isEqualTo(viaJson);
        assertThat(viaHeader.principal().key()).isEqualTo("arn:aws:iam::111111111111:role/app");
    }

    @Test
    void the_header_is_what_is_read_when_present() throws Exception {
        CloudTrailEvent e = parsed();
        CloudTrailEvent other = new CloudTrailEvent(
                "e-1",
                Instant.parse("2026-11-02T00:00:00Z"),
                e.eventSource(),
                "DescribeSecret",
                e.eventType(),
                e.awsRegion(),
                e.accountId(),
                null,
                null,
                new Principal(null, null, null),
                null,
                null,
                e.secretIds(),
                false,
                RAW);
        assertThat(decoded(message(0, RAW, EventCodec.encode(other))).eventName())
                .isEqualTo("DescribeSecret");
    }

    @Test
    void an_unreadable_header_falls_back_to_the_record_and_a_bad_record_is_still_poison() throws Exception {
        assertThat(decoded(message(0, RAW, new byte[] {99, 1, 2})).eventName()).isEqualTo("GetSecretValue");
        Decoded d = new MessageDecoder(TOPICS, true)
                .decode(List.of(message(1, "{not json".getBytes(StandardCharsets.UTF_8), new byte[] {99})));
        assertThat(d.poison()).hasSize(1);
    }
}
