package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the reader drops a request's secret value, and the fact that there was one travels to
 * analytics as a header (an UpdateSecret that carried a value wrote a version); the value never does.
 */
class CarriedValueHeaderTest {
    private static String updateSecret(String id, String extra) {
        return "{\"eventVersion\":\"1.09\",\"eventID\":\"" + id + "\",\"eventTime\":\"2026-11-01T00:00:00Z\","
                + "\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"UpdateSecret\",\"awsRegion\":\"us-east-1\","
                + "\"recipientAccountId\":\"111111111111\",\"eventType\":\"AwsApiCall\",\"requestParameters\":"
                + "{\"secretId\":\"arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf\"" + extra + "},"
                + "\"responseElements\":null}";
    }

    @Test
    void the_fact_of_a_value_is_a_header_and_the_value_is_in_no_message(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trail.ndjson");
        Files.writeString(
                file,
                updateSecret("with", ",\"secretString\":\"canary-3e1f\"") + "\n"
                        + updateSecret("without", ",\"description\":\"rev 2\"") + "\n");
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer,
                KafkaSettings.Topics.defaults(),
                new SecretResolver(new SecretIndex()),
                java.time.Clock.systemUTC());
        ReadAndPublish.file(file, publisher);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(header(sent.get(0), KafkaSettings.Headers.CARRIED_VALUE)).isEqualTo("true");
        assertThat(header(sent.get(1), KafkaSettings.Headers.CARRIED_VALUE)).isNull();
        for (ProducerRecord<byte[], byte[]> r : sent) {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("canary-3e1f");
            for (Header h : r.headers()) {
                assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("canary-3e1f");
            }
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
