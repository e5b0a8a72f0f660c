package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 2, at the publisher: a message Kafka would refuse (a record within its limit
 * whose key, a secret id of megabytes, pushes it over the request size) is dead-lettered with its
 * size, never sent, so the producer never fails; and the limits line up from reader to topic.
 */
class OversizeMessageTest {
    static CloudTrailEvent event(String id, String secretId, int rawBytes) {
        byte[] raw = ("{\"eventID\":\"" + id + "\",\"pad\":\"" + "x".repeat(rawBytes) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new CloudTrailEvent(
                id,
                Instant.parse("2024-07-31T12:00:00Z"),
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
                List.of(new CloudTrailEvent.SecretId(secretId, "requestParameters.secretId")),
                false,
                raw);
    }

    @Test
    void a_message_over_the_request_limit_is_dead_lettered_with_its_size_and_the_next_is_sent() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSettings.Topics topics = KafkaSettings.Topics.defaults();
        EventPublisher publisher = new EventPublisher(
                producer, topics, new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
        publisher.event(
                event("big", "n".repeat(ReadLimits.MAX_RECORD_BYTES / 2), ReadLimits.MAX_RECORD_BYTES - 100),
                "trail/a.json",
                7);
        publisher.event(event("fits", "prod/db", ReadLimits.MAX_RECORD_BYTES - 100), "trail/a.json", 8);
        publisher.flush();

        assertThat(publisher.failed()).isFalse();
        assertThat(publisher.refused()).isEqualTo(1);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly(topics.deadLetter(), topics.events());
        ProducerRecord<byte[], byte[]> dead = sent.get(0);
        assertThat(header(dead, KafkaSettings.Headers.RECORD)).isEqualTo("7");
        assertThat(header(dead, KafkaSettings.Headers.FIELD)).isEqualTo("requestParameters.secretId");
        assertThat(header(dead, KafkaSettings.Headers.ERROR))
                .startsWith("message of ")
                .endsWith(" bytes with its key and headers exceeds the Kafka request limit of "
                        + KafkaClients.MAX_REQUEST_BYTES + " bytes");
        assertThat(dead.value()).hasSizeLessThanOrEqualTo(512);
        assertThat(EventPublisher.messageBytes(
                        "trail/a.json".length(), sent.get(1).value(), List.of()))
                .isLessThanOrEqualTo(KafkaClients.MAX_REQUEST_BYTES);
    }

    @Test
    void kafka_limits_sit_above_the_largest_record_a_reader_passes() {
        assertThat(KafkaClients.MAX_REQUEST_BYTES)
                .isGreaterThanOrEqualTo(ReadLimits.MAX_RECORD_BYTES + KafkaClients.KEY_AND_HEADERS_BYTES);
        // A batch of one incompressible request, lz4's worst case (n + n/255 + 16) and the batch header included.
        long lz4Worst = KafkaClients.MAX_REQUEST_BYTES + KafkaClients.MAX_REQUEST_BYTES / 255 + 16 + 61;
        assertThat((long) TopicSetup.MAX_MESSAGE_BYTES).isGreaterThan(lz4Worst);
        assertThat(TopicSetup.MAX_MESSAGE_BYTES)
                .isLessThan(18 * 1024 * 1024); // the embedded broker's message.max.bytes
        assertThat(32L * 1024 * 1024)
                .as("producer buffer.memory holds a largest request")
                .isGreaterThan(KafkaClients.MAX_REQUEST_BYTES);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
