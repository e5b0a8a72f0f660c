package io.secrettrail.app;

import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/** How tests start a real broker, name their topics, and read topics back. */
final class TestKafka {
    private TestKafka() {}

    static EmbeddedBroker start(Path dir) throws IOException {
        return EmbeddedBroker.start(dir.resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(90));
    }

    /** Settings with topic names of their own, so tests sharing a broker never see each other's data. */
    static KafkaSettings isolated(EmbeddedBroker broker) {
        String p = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        return new KafkaSettings(
                broker.bootstrapServers(),
                Map.of(),
                new KafkaSettings.Topics(p + "events", p + "inventory", p + "deadletter"),
                3);
    }

    /** Every record of a topic, from the beginning to its end at the time of the call. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            pollUntil(
                    () -> parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp)),
                    () -> c.poll(Duration.ofMillis(200)).forEach(out::add));
        }
        return out;
    }

    /**
     * Runs {@code poll} until {@code done}, for at most a minute, in the calling thread (a Kafka
     * consumer is not to be shared between threads). Stopping at the limit is no failure here:
     * the caller's assertions say what is missing.
     */
    static void pollUntil(BooleanSupplier done, Runnable poll) {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        if (done.getAsBoolean()) {
                            return true;
                        }
                        poll.run();
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            // as documented
        }
    }
}
