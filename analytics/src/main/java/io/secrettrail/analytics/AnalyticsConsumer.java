package io.secrettrail.analytics;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.FieldException;
import io.secrettrail.core.event.Projection;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretArn;
import io.secrettrail.core.secret.SecretRef;

/**
 * Reads the events and inventory topics into the {@link EventStore}. The loop follows the
 * KafkaConsumer javadoc's manual offset control: every partition is assigned to this one consumer
 * (analytics is the single owner of its DuckDB file) and positioned at the offset stored in DuckDB
 * with the data; each poll is written in one DuckDB transaction together with its offsets, and only
 * then committed to Kafka (for lag monitoring). {@link #shutdown()} sets a flag and wakes the poll.
 */
public final class AnalyticsConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<byte[], byte[]> consumer;
    private final EventStore store;
    private final KafkaSettings.Topics topics;
    private final int maxBatch;
    private final EventParser parser = new EventParser();
    private final InventoryReader inventory = new InventoryReader();
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
    public AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("analytics.maxBatch: must be at least 1, was " + maxBatch);
        }
        this.consumer = consumer;
        this.store = store;
        this.topics = topics;
        this.maxBatch = maxBatch;
    }

    @Override
    public void run() {
        // Three stages overlap: this thread polls (the consumer is not thread-safe) and commits
        // to Kafka; a pool decodes (JSON projection, keys); one writer thread owns DuckDB. Batches
        // are written in poll order, and their offsets reach Kafka only after DuckDB has them.
        ForkJoinPool decoders = new ForkJoinPool(DECODE_THREADS);
        BlockingQueue<ForkJoinTask<Decoded>> toWrite = new ArrayBlockingQueue<>(IN_FLIGHT);
        BlockingQueue<Decoded> done = new LinkedBlockingQueue<>();
        Thread writer = new Thread(() -> writeLoop(toWrite, done), "analytics-writer");
        try {
            assignAndSeek();
            assigned = true;
            writer.start();
            List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
            while (!closed.get() && failure == null) {
                commitWritten(done);
                try {
                    consumer.poll(Duration.ofMillis(polled.isEmpty() ? 100 : 10)).forEach(polled::add);
                } catch (RetriableException e) {
                    log.warn("transient Kafka error, polling again: {}", e.getMessage());
                    continue;
                }
                // Hand over when the writer is free (or the batch is full): while it writes one
                // batch, the next one accumulates and decodes, so batches stay large.
                if (!polled.isEmpty() && (toWrite.isEmpty() || polled.size() >= maxBatch)) {
                    List<ConsumerRecord<byte[], byte[]>> batch = polled;
                    polled = new ArrayList<>();
                    ForkJoinTask<Decoded> task = decoders.submit(() -> decode(batch));
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
            writer.interrupt();
            try {
                writer.join(30_000);
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
     * Default messages per DuckDB transaction at most (about 13 MB of events). Up to three batches
     * are in memory at once (accumulating, decoding, writing): this bounds the heap, whatever the
     * size of the trail.
     */
    public static final int DEFAULT_MAX_BATCH = 10_000;
    private static final int CHUNK = 2_000;

    /** A decoded poll: the batch to write and the offsets to commit after it. */
    private record Decoded(Batch batch, Map<TopicPartition, OffsetAndMetadata> commit, int messages) {}

    /** The writer thread: batches into DuckDB, in order, until interrupted or failed. */
    private void writeLoop(BlockingQueue<ForkJoinTask<Decoded>> toWrite, BlockingQueue<Decoded> done) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Decoded d = toWrite.take().join();
                EventStore.WriteResult r = store.write(d.batch());
                eventsWritten.addAndGet(r.inserted());
                messagesWritten.addAndGet(d.messages());
                d.commit().forEach((tp, o) -> written.put(tp, o.offset()));
                done.add(d);
            }
        } catch (InterruptedException e) {
            // shutdown: what is not written is read again from the offsets in DuckDB
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            log.error("analytics stopped: {}", e.getMessage(), e);
            consumer.wakeup();
        }
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

    /** Decodes a poll in parallel chunks, then assembles the batch in the records' order. */
    private Decoded decode(List<ConsumerRecord<byte[], byte[]>> all) {
        List<ForkJoinTask<List<Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<ConsumerRecord<byte[], byte[]>> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            chunks.add(ForkJoinTask.adapt(() -> {
                List<Object> out = new ArrayList<>(part.size());
                for (ConsumerRecord<byte[], byte[]> r : part) {
                    out.add(r.topic().equals(topics.inventory()) ? inventory(r) : event(r));
                }
                return out;
            }));
        }
        ForkJoinTask.invokeAll(chunks);
        Batch batch = new Batch();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        int i = 0;
        for (ForkJoinTask<List<Object>> chunk : chunks) {
            for (Object item : chunk.join()) {
                ConsumerRecord<byte[], byte[]> r = all.get(i++);
                batch.offset(r.topic(), r.partition(), r.offset() + 1);
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                if (item instanceof Batch.EventRow row) {
                    batch.event(row);
                } else if (item instanceof InventoryItem inv) {
                    batch.inventory(inv.arn(), inv.entry());
                } else {
                    batch.undecodable();
                }
            }
        }
        return new Decoded(batch, commit, all.size());
    }

    /** An inventory message: the entry, or null for a tombstone. */
    private record InventoryItem(String arn, InventoryEntry entry) {}

    /** Marks a message that could not be decoded (logged, counted, skipped). */
    private static final Object UNDECODABLE = new Object();

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
                throw new IllegalStateException("topic " + topic + " does not exist; run ingest first or check kafka settings");
            }
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
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

    private Object inventory(ConsumerRecord<byte[], byte[]> r) {
        String arn = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return new InventoryItem(arn, null);
        }
        try {
            return new InventoryItem(arn, inventory.parse(JSON.readTree(r.value())));
        } catch (FieldException | java.io.IOException e) {
            log.warn("inventory record {}-{}@{} is not a list-secrets entry: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return UNDECODABLE;
        }
    }

    private Object event(ConsumerRecord<byte[], byte[]> r) {
        CloudTrailEvent e;
        try {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(r.value())) {
                p.nextToken();
                e = parser.parse(Projection.event(JSON, p), r.value());
            }
        } catch (FieldException ex) {
            log.warn("event record {}-{}@{}: field {}: {}", r.topic(), r.partition(), r.offset(), ex.field(), ex.getMessage());
            return UNDECODABLE;
        } catch (java.io.IOException | RuntimeException ex) {
            log.warn("event record {}-{}@{} is not JSON: {}", r.topic(), r.partition(), r.offset(), ex.getMessage());
            return UNDECODABLE;
        }
        String secret = header(r, Headers.SECRET);
        SecretRef ref = null;
        if (secret != null) {
            boolean resolved = "true".equals(header(r, Headers.RESOLVED));
            ref = SecretArn.parse(secret)
                    .map(a -> new SecretRef(secret, resolved, a.account(), a.region(),
                            resolved && a.hasSuffixShape() ? SecretArn.nameOfFull(secret) : a.resource()))
                    .orElse(new SecretRef(secret, false, e.accountId(), e.awsRegion(), secret));
        }
        String fanout = header(r, Headers.FANOUT);
        boolean first = fanout == null || fanout.startsWith("0/");
        String record = header(r, Headers.RECORD);
        Long recordIndex = null;
        if (record != null) {
            try {
                recordIndex = Long.parseLong(record);
            } catch (NumberFormatException ignored) {
                // a foreign producer's header; the event itself is fine
            }
        }
        return new Batch.EventRow(e, ref, first, header(r, Headers.SOURCE), recordIndex);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
