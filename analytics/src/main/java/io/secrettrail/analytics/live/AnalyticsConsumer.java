package io.secrettrail.analytics.live;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events and inventory topics into the {@link EventStore}. The loop follows the
 * KafkaConsumer javadoc's manual offset control: every partition is assigned to this one consumer
 * (analytics is the single owner of its DuckDB file) and positioned at the offset stored in DuckDB
 * with the data; each poll is written in one DuckDB transaction together with its offsets, and only
 * then committed to Kafka (for lag monitoring). {@link #shutdown()} sets a flag and wakes the poll.
 *
 * <p>This class is the poll loop, the hand-over between its three stages and the offsets; a
 * {@link MessageDecoder} turns polls into batches, a {@link BatchWriter} stores them and
 * dead-letters what the store refuses.
 */
public final class AnalyticsConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final EventStore store;
    private final KafkaSettings.Topics topics;
    private final int maxBatch;
    private final MessageDecoder decoder;
    private final BatchWriter writer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean assigned;
    private final Map<TopicPartition, Long> written = new ConcurrentHashMap<>();
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong messagesWritten = new AtomicLong();
    private volatile Throwable failure;

    public AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics) {
        this(consumer, store, topics, DEFAULT_MAX_BATCH);
    }

    /** @param maxBatch messages per DuckDB transaction at most */
    public AnalyticsConsumer(
            Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics, int maxBatch) {
        this(consumer, store, topics, maxBatch, DeadLetters.NONE);
    }

    /**
     * @param deadLetters where messages that cannot be decoded or stored go (with the reason and their
     *                    offset) before the offsets that skip them are committed
     */
    public AnalyticsConsumer(
            Consumer<byte[], byte[]> consumer,
            EventStore store,
            KafkaSettings.Topics topics,
            int maxBatch,
            DeadLetters deadLetters) {
        this(consumer, store, topics, maxBatch, deadLetters, true);
    }

    /** @param checkLimits false only in tests: lets values the store refuses reach it, to exercise the halving */
    AnalyticsConsumer(
            Consumer<byte[], byte[]> consumer,
            EventStore store,
            KafkaSettings.Topics topics,
            int maxBatch,
            DeadLetters deadLetters,
            boolean checkLimits) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("analytics.maxBatch: must be at least 1, was " + maxBatch);
        }
        this.consumer = consumer;
        this.store = store;
        this.topics = topics;
        this.maxBatch = maxBatch;
        this.decoder = new MessageDecoder(topics, checkLimits);
        this.writer = new BatchWriter(store, deadLetters);
    }

    @Override
    public void run() {
        // Three stages overlap: this thread polls (the consumer is not thread-safe) and commits
        // to Kafka; a pool decodes (JSON projection, keys); one writer thread owns DuckDB. Batches
        // are written in poll order, and their offsets reach Kafka only after DuckDB has them.
        ForkJoinPool decoders = new ForkJoinPool(DECODE_THREADS);
        BlockingQueue<ForkJoinTask<Decoded>> toWrite = new ArrayBlockingQueue<>(IN_FLIGHT);
        BlockingQueue<Decoded> done = new LinkedBlockingQueue<>();
        Thread writerThread = new Thread(() -> writeLoop(toWrite, done), "analytics-writer");
        try {
            assignAndSeek();
            assigned = true;
            writerThread.start();
            PendingBatch polled = new PendingBatch(maxBatch, DEFAULT_MAX_BATCH_BYTES);
            while (!closed.get() && failure == null) {
                commitWritten(done);
                try {
                    consumer.poll(Duration.ofMillis(polled.isEmpty() ? 100 : 10))
                            .forEach(polled::add);
                } catch (RetriableException e) {
                    log.warn("transient Kafka error, polling again: {}", e.getMessage());
                    continue;
                }
                // Hand over when the writer is free (or the batch is full): while it writes one
                // batch, the next one accumulates and decodes, so batches stay large.
                if (!polled.isEmpty() && (toWrite.isEmpty() || polled.full())) {
                    List<ConsumerRecord<byte[], byte[]>> batch = polled.take();
                    ForkJoinTask<Decoded> task = decoders.submit(() -> decoder.decode(batch));
                    while (!toWrite.offer(task, 100, TimeUnit.MILLISECONDS)) {
                        commitWritten(done);
                        if (closed.get() || failure != null) {
                            break;
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException | Error e) {
            // Errors too (OutOfMemoryError): whoever waits on this consumer must learn it stopped.
            failure = e;
            log.error("analytics stopped: {}", e.getMessage(), e);
        } finally {
            writerThread.interrupt();
            try {
                writerThread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                commitWritten(done);
            } catch (RuntimeException e) {
                log.warn("final offset commit to Kafka failed (DuckDB has them): {}", e.getMessage());
            }
            decoders.shutdownNow();
            consumer.close();
        }
    }

    private static final int DECODE_THREADS = 2;
    private static final int IN_FLIGHT = 1;
    /**
     * Default messages per DuckDB transaction at most (about 12 MB of messages with their headers). Up to
     * three batches are in memory at once (accumulating, decoding, writing): this bounds the heap, whatever
     * the size of the trail. 10,000 ran a 424k-record trail out of a 384 MB heap once each message carried
     * its projection header (issue 16, bench/RESULTS.md).
     */
    public static final int DEFAULT_MAX_BATCH = 5_000;
    /**
     * Bytes of messages (keys, values, headers) per DuckDB transaction at most, whichever of the two bounds
     * comes first: three batches in flight stay near 3 x 8 MiB of messages whatever their size.
     */
    static final long DEFAULT_MAX_BATCH_BYTES = 8L * 1024 * 1024;

    /** The writer thread: batches into DuckDB, in order, until interrupted or failed. */
    private void writeLoop(BlockingQueue<ForkJoinTask<Decoded>> toWrite, BlockingQueue<Decoded> done) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Decoded d = toWrite.take().join();
                EventStore.WriteResult r = writer.write(d);
                eventsWritten.addAndGet(r.inserted());
                messagesWritten.addAndGet(d.messages());
                d.commit().forEach((tp, o) -> written.put(tp, o.offset()));
                done.add(d);
            }
        } catch (InterruptedException e) {
            // shutdown: what is not written is read again from the offsets in DuckDB
        } catch (Exception | Error e) {
            failure = e;
            log.error("analytics stopped: {}", describe(e), e);
            consumer.wakeup();
        }
    }

    /** A failure's message, never "null". */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Commits to Kafka the offsets of batches DuckDB already holds (for lag monitoring only). */
    private void commitWritten(BlockingQueue<Decoded> done) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Decoded d;
        while ((d = done.poll()) != null) {
            commit.putAll(d.commit());
        }
        if (commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit);
        } catch (RetriableException e) {
            log.warn("offset commit to Kafka failed (DuckDB has them): {}", e.getMessage());
        }
    }

    /** Stops the loop from another thread; the current batch finishes or is rolled back. */
    public void shutdown() {
        closed.set(true);
        consumer.wakeup();
    }

    /** True once every partition of both topics is assigned and the positions are set. */
    public boolean assigned() {
        return assigned;
    }

    /** The fatal error that stopped the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Messages this consumer could not decode or store, published to the dead-letter topic. */
    public long deadLettered() {
        return writer.deadLettered();
    }

    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** Messages of both topics written to DuckDB so far. */
    public long messagesWritten() {
        return messagesWritten.get();
    }

    /** Messages Kafka holds that DuckDB does not yet: the sum over partitions of end offset minus position written. */
    public long lag(Map<TopicPartition, Long> endOffsets) {
        long lag = 0;
        for (var e : endOffsets.entrySet()) {
            lag += Math.max(0, e.getValue() - written.getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    /** True once DuckDB holds everything up to (excluding) each given end offset. */
    public boolean caughtUp(Map<TopicPartition, Long> endOffsets) {
        for (var e : endOffsets.entrySet()) {
            if (written.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void assignAndSeek() throws SQLException {
        Map<String, Map<Integer, Long>> stored = store.storedOffsets();
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topics.events(), topics.inventory())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + topic + " does not exist; run ingest first or check kafka settings");
            }
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        // The dead letters' headers feed the rejection metric and rule; without the topic, nothing does.
        List<PartitionInfo> dead = consumer.partitionsFor(topics.deadLetter(), Duration.ofSeconds(10));
        if (dead == null || dead.isEmpty()) {
            log.warn("topic {} does not exist: rejections are not counted", topics.deadLetter());
        } else {
            dead.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(parts);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : parts) {
            Long offset = stored.getOrDefault(tp.topic(), Map.of()).get(tp.partition());
            if (offset == null) {
                fromStart.add(tp);
                written.put(tp, 0L);
            } else {
                consumer.seek(tp, offset);
                written.put(tp, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            // An empty list would mean "every assigned partition" to seekToBeginning.
            consumer.seekToBeginning(fromStart);
        }
    }
}
