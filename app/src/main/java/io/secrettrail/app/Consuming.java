package io.secrettrail.app;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.live.DeadLetters;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import org.apache.kafka.clients.producer.Producer;

/** The analytics consumer with its thread (not started) and its dead-letter producer; closing stops and closes both. */
final class Consuming implements AutoCloseable {
    final AnalyticsConsumer consumer;
    final Thread thread;
    private final Producer<byte[], byte[]> deadLetters;

    private Consuming(AnalyticsConsumer consumer, Producer<byte[], byte[]> deadLetters) {
        this.consumer = consumer;
        this.thread = new Thread(consumer, "analytics-consumer");
        this.deadLetters = deadLetters;
    }

    /** @param group the consumer group; its dead letters are produced as {@code <group>-deadletters} */
    static Consuming create(KafkaSettings kafka, EventStore store, String group, int maxBatch) {
        Producer<byte[], byte[]> deadLetters = DeadLetters.producer(kafka, group + "-deadletters");
        try {
            return new Consuming(
                    new AnalyticsConsumer(
                            ConsumerFactory.create(kafka, group),
                            store,
                            kafka.topics(),
                            maxBatch,
                            DeadLetters.kafka(deadLetters, kafka.topics())),
                    deadLetters);
        } catch (RuntimeException e) {
            deadLetters.close();
            throw e;
        }
    }

    /** Asks the loop to commit what it holds and stop; waits up to {@code millis} (0: for as long as it takes). */
    void stop(long millis) throws InterruptedException {
        consumer.shutdown();
        if (thread.isAlive()) {
            thread.join(millis);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop(20_000);
        } finally {
            deadLetters.close();
        }
    }
}
