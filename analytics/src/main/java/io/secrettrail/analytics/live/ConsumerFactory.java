package io.secrettrail.analytics.live;

import io.secrettrail.core.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The analytics consumer's settings, each with its reason. User properties win. */
public final class ConsumerFactory {
    private ConsumerFactory() {}

    public static Consumer<byte[], byte[]> create(KafkaSettings kafka, String groupId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // Offsets live in DuckDB with the data; Kafka's copy is committed by hand afterwards.
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The consumer closes a batch at 5,000 messages or 8 MiB (AnalyticsConsumer): polls of at most 1,000
        // let a batch overshoot its bound by little (at 10,000 a batch reached 15,000 messages, three of them
        // in flight); the fetch caps bound what Kafka buffers in the heap besides.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.putAll(kafka.clientProperties());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
