package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.secrettrail.core.KafkaSettings;

/** A real broker for a test class, and helpers to read topics back. */
final class TestKafka {
    private TestKafka() {}

    static EmbeddedBroker start(Path dir) throws IOException {
        return EmbeddedBroker.start(dir.resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(90));
    }

    /** Settings with topic names of their own, so tests sharing a broker never see each other's data. */
    static KafkaSettings isolated(EmbeddedBroker broker) {
        String p = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        return new KafkaSettings(broker.bootstrapServers(), Map.of(),
                new KafkaSettings.Topics(p + "events", p + "inventory", p + "deadletter"), 3);
    }

    /** Every record of a topic, from the beginning to its end at the time of the call. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
