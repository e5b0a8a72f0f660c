package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §1: an inventory file covers the (account, region) pairs of the ARNs it lists, and says so once per
 * pair, after its entries; a file that lists nothing readable covers nothing.
 */
class InventoryCoverageTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();

    @TempDir
    Path dir;

    static String entry(String arn, String name) {
        return "{\"ARN\":\"" + arn + "\",\"Name\":\"" + name + "\",\"RotationEnabled\":false}";
    }

    private List<ProducerRecord<byte[], byte[]>> publish(String... files) throws Exception {
        for (int i = 0; i < files.length; i++) {
            Files.writeString(dir.resolve("inventory-" + i + ".json"), files[i]);
        }
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer, TOPICS, new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
        new TrailIngestor(
                        new IngestConfig(List.of(), List.of(dir), 1, ReadLimits.defaults()),
                        publisher,
                        new SecretIndex())
                .publishInventory();
        return producer.history();
    }

    private static List<String> coverage(List<ProducerRecord<byte[], byte[]>> sent) {
        return sent.stream()
                .filter(r -> r.topic().equals(TOPICS.inventory()))
                .filter(r -> r.headers().lastHeader(KafkaSettings.Headers.MESSAGE) != null)
                .map(r -> new String(r.key(), StandardCharsets.UTF_8) + " "
                        + new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void a_file_covers_each_account_and_region_of_the_arns_it_lists_once_after_its_entries() throws Exception {
        List<ProducerRecord<byte[], byte[]>> sent = publish("{\"SecretList\":["
                + entry("arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123", "prod/db") + ","
                + entry("arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/cache-DeF456", "prod/cache") + ","
                + entry("arn:aws:secretsmanager:eu-west-1:222222222222:secret:ci/token-GhI789", "ci/token") + "]}");
        assertThat(coverage(sent))
                .containsExactly(
                        "coverage:111111111111:us-east-1 {\"account\":\"111111111111\",\"region\":\"us-east-1\"}",
                        "coverage:222222222222:eu-west-1 {\"account\":\"222222222222\",\"region\":\"eu-west-1\"}");
        assertThat(sent).hasSize(5);
        assertThat(sent.subList(3, 5))
                .allSatisfy(r -> assertThat(new String(
                                r.headers()
                                        .lastHeader(KafkaSettings.Headers.MESSAGE)
                                        .value(),
                                StandardCharsets.UTF_8))
                        .isEqualTo(KafkaSettings.Headers.COVERAGE));
    }

    @Test
    void a_file_whose_entries_are_all_rejected_covers_nothing() throws Exception {
        List<ProducerRecord<byte[], byte[]>> sent = publish("{\"SecretList\":["
                + entry("arn:aws:secretsmanager:us-east-1:111111111111:secret:plain", "plain") + "]}");
        assertThat(coverage(sent)).isEmpty();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly(TOPICS.deadLetter());
    }
}
