package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.core.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Issue 14: analytics takes "the request carried a secret value" from ingest's header, absent meaning no. */
class CarriedValueDecodingTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();

    static ConsumerRecord<byte[], byte[]> message(long offset, String carried) {
        byte[] v = """
                {"eventTime":"2026-11-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"UpdateSecret",
                 "eventID":"u-%d","eventType":"AwsApiCall","awsRegion":"us-east-1","recipientAccountId":"111111111111",
                 "requestParameters":{"secretId":"app/db","clientRequestToken":"t"},"responseElements":null}""".formatted(offset).getBytes(StandardCharsets.UTF_8);
        RecordHeaders h = new RecordHeaders();
        if (carried != null) {
            h.add(KafkaSettings.Headers.CARRIED_VALUE, carried.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                TOPICS.events(),
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                v.length,
                "k".getBytes(StandardCharsets.UTF_8),
                v,
                h,
                Optional.empty());
    }

    @Test
    void the_header_true_marks_the_event_and_absent_or_anything_else_does_not() {
        Decoded d = new MessageDecoder(TOPICS, true)
                .decode(List.of(message(0, "true"), message(1, null), message(2, "yes")));
        assertThat(d.poison()).isEmpty();
        assertThat(d.batch().events())
                .extracting(Batch.EventRow::event)
                .extracting(e -> e.carriedValue())
                .containsExactly(true, false, false);
    }
}
