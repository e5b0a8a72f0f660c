package io.secrettrail.analytics;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import io.secrettrail.analytics.store.StorableValues;
import io.secrettrail.core.event.RejectionSource;
import io.secrettrail.core.event.ServiceSniff;
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
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

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
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong poisonLogged = new AtomicLong();
    private final DeadLetters deadLetters;
    private final boolean checkLimits;
    private volatile Throwable failure;

    public AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics) {
        this(consumer, store, topics, DEFAULT_MAX_BATCH);
    }

    /** @param maxBatch messages per DuckDB transaction at most */
    public AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics, int maxBatch) {
        this(consumer, store, topics, maxBatch, DeadLetters.NONE);
    }

    /**
     * @param deadLetters where messages that cannot be decoded or stored go (with the reason and their
     *                    offset) before the offsets that skip them are committed
     */
    public AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics, int maxBatch,
                             DeadLetters deadLetters) {
        this(consumer, store, topics, maxBatch, deadLetters, true);
    }

    /** @param checkLimits false only in tests: lets values the store refuses reach it, to exercise the halving */
    AnalyticsConsumer(Consumer<byte[], byte[]> consumer, EventStore store, KafkaSettings.Topics topics, int maxBatch,
                      DeadLetters deadLetters, boolean checkLimits) {
        this.checkLimits = checkLimits;
        this.deadLetters = deadLetters;
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

    /**
     * A decoded poll: the batch to write, the offsets to commit after it, the messages that could
     * not be decoded, and the message each event row came from.
     */
    private record Decoded(Batch batch, Map<TopicPartition, OffsetAndMetadata> commit, int messages, List<Poison> poison,
                           Map<Batch.EventRow, ConsumerRecord<byte[], byte[]>> origins) {}

    /** The writer thread: batches into DuckDB, in order, until interrupted or failed. */
    private void writeLoop(BlockingQueue<ForkJoinTask<Decoded>> toWrite, BlockingQueue<Decoded> done) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Decoded d = toWrite.take().join();
                EventStore.WriteResult r = write(d);
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

    /**
     * Writes a batch, poison messages aside. Values the store cannot hold were found while decoding;
     * if the store still refuses the batch and the failure is not its own (disk, memory, I/O: then
     * the batch is retried whole after a restart, never thinned), the batch is halved until the
     * message(s) it refuses are found; those are dead-lettered and the rest is written. Dead letters
     * are acknowledged before the offsets that skip them are committed.
     */
    private EventStore.WriteResult write(Decoded d) throws Exception {
        if (!d.poison().isEmpty()) {
            deadLetter(d.poison());
        }
        try {
            return store.write(d.batch());
        } catch (SQLException | RuntimeException e) {
            if (EventStore.isTransient(e) || d.batch().events().isEmpty()) {
                throw e;
            }
            Map<Batch.EventRow, Exception> bad = new java.util.IdentityHashMap<>();
            isolate(d.batch().events(), bad);
            if (bad.isEmpty() || bad.size() == d.batch().events().size() && bad.size() > 1) {
                throw e; // no row is the culprit, or all are: the store's problem, not the messages'
            }
            List<Poison> poison = new ArrayList<>();
            Set<ConsumerRecord<byte[], byte[]>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            bad.forEach((row, why) -> {
                ConsumerRecord<byte[], byte[]> m = d.origins().get(row);
                if (m != null && seen.add(m)) {
                    poison.add(new Poison(m, null, "the store refused it: " + describe(why)));
                }
            });
            deadLetter(poison);
            d.batch().removeEvents(bad.keySet());
            for (int i = 0; i < poison.size(); i++) {
                d.batch().undecodable();
            }
            return store.write(d.batch());
        }
    }

    /** Halves the rows until each one the store refuses on its own is found. */
    private void isolate(List<Batch.EventRow> rows, Map<Batch.EventRow, Exception> bad) throws Exception {
        Exception e = store.tryWrite(Batch.ofEvents(rows));
        if (e == null) {
            return;
        }
        if (EventStore.isTransient(e)) {
            throw e;
        }
        if (rows.size() == 1) {
            bad.put(rows.get(0), e);
            return;
        }
        int half = rows.size() / 2;
        isolate(new ArrayList<>(rows.subList(0, half)), bad);
        isolate(new ArrayList<>(rows.subList(half, rows.size())), bad);
    }

    private void deadLetter(List<Poison> poison) throws Exception {
        for (Poison p : poison) {
            if (poisonLogged.incrementAndGet() <= LOGGED_POISON) {
                log.warn("dead-lettered {}{}: {}", StorableValues.printable(p.where()),
                        p.field() == null ? "" : ", field " + StorableValues.printable(p.field()), StorableValues.printable(p.error()));
            }
        }
        deadLetters.publish(poison);
        deadLettered.addAndGet(poison.size());
    }

    /** Poison messages logged one by one per process; the rest are counted. */
    private static final int LOGGED_POISON = 20;

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

    /** Decodes a poll in parallel chunks, then assembles the batch in the records' order. */
    private Decoded decode(List<ConsumerRecord<byte[], byte[]>> all) {
        List<ForkJoinTask<List<Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<ConsumerRecord<byte[], byte[]>> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            chunks.add(ForkJoinTask.adapt(() -> {
                List<Object> out = new ArrayList<>(part.size());
                for (ConsumerRecord<byte[], byte[]> r : part) {
                    out.add(r.topic().equals(topics.inventory()) ? inventory(r)
                            : r.topic().equals(topics.deadLetter()) ? rejection(r) : event(r));
                }
                return out;
            }));
        }
        ForkJoinTask.invokeAll(chunks);
        Batch batch = new Batch();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        List<Poison> poison = new ArrayList<>();
        Map<Batch.EventRow, ConsumerRecord<byte[], byte[]>> origins = new java.util.IdentityHashMap<>();
        int i = 0;
        for (ForkJoinTask<List<Object>> chunk : chunks) {
            for (Object item : chunk.join()) {
                ConsumerRecord<byte[], byte[]> r = all.get(i++);
                batch.offset(r.topic(), r.partition(), r.offset() + 1);
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                if (item instanceof Batch.EventRow row) {
                    batch.event(row);
                    origins.put(row, r);
                } else if (item instanceof InventoryItem inv) {
                    batch.inventory(inv.arn(), inv.entry());
                } else if (item instanceof Batch.RejectionRow rej) {
                    batch.rejection(rej);
                } else if (item instanceof Poison p) {
                    poison.add(p);
                    batch.undecodable();
                }
                // null: a dead letter that cannot be recorded (logged), skipped
            }
        }
        return new Decoded(batch, commit, all.size(), poison, origins);
    }

    /** An inventory message: the entry, or null for a tombstone. */
    private record InventoryItem(String arn, InventoryEntry entry) {}


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
        return deadLettered.get();
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

    private Object inventory(ConsumerRecord<byte[], byte[]> r) {
        String arn = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return new InventoryItem(arn, null);
        }
        try {
            InventoryEntry entry = inventory.parse(JSON.readTree(r.value()));
            StorableValues.Problem p = StorableValues.check(entry);
            if (p != null) {
                return new Poison(r, p.field(), p.error());
            }
            return new InventoryItem(arn, entry);
        } catch (FieldException e) {
            return new Poison(r, e.field(), "not a list-secrets entry: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Poison(r, null, "not a list-secrets entry: " + jsonError(e));
        } catch (java.io.IOException | RuntimeException e) {
            return new Poison(r, null, "not a list-secrets entry: " + describe(e));
        }
    }

    private Object event(ConsumerRecord<byte[], byte[]> r) {
        CloudTrailEvent e;
        if (r.value() == null || r.value().length == 0) {
            return new Poison(r, null, r.value() == null ? "no value (a tombstone on the events topic)" : "empty value");
        }
        try {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(r.value())) {
                p.nextToken();
                e = parser.parse(Projection.event(JSON, p), r.value());
            }
        } catch (FieldException ex) {
            return new Poison(r, ex.field(), ex.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return new Poison(r, null, jsonError(ex));
        } catch (java.io.IOException | RuntimeException ex) {
            return new Poison(r, null, "not an event: " + describe(ex));
        }
        StorableValues.Problem problem = checkLimits ? StorableValues.check(e) : null;
        if (problem != null) {
            return new Poison(r, problem.field(), problem.error());
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

    /** A JSON error by location only: Jackson's own message quotes the offending token, which may be a secret value. */
    private static String jsonError(com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return at == null ? "invalid JSON" : "invalid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Longest header value kept in the rejections table: headers come from whoever can write to the topic. */
    private static final int MAX_HEADER_CHARS = 2_000;

    /**
     * A dead letter, from its headers (its bytes may be anything and are not read, except to tell
     * whether a record of an older ingest was a Secrets Manager one); null if it has no usable time.
     */
    private Object rejection(ConsumerRecord<byte[], byte[]> r) {
        java.time.Instant at = java.time.Instant.ofEpochMilli(r.timestamp());
        if (r.timestamp() < 0 || !StorableValues.storable(at)) {
            log.warn("dead letter {}-{}@{} has no usable timestamp ({}); not counted", r.topic(), r.partition(), r.offset(), r.timestamp());
            return null;
        }
        String file = clip(header(r, Headers.SOURCE));
        Long record = null;
        try {
            String rec = header(r, Headers.RECORD);
            record = rec == null ? null : Long.parseLong(rec);
        } catch (NumberFormatException ignored) {
            // a foreign producer's header
        }
        String sm = header(r, Headers.SECRETS_MANAGER);
        Boolean secretsManager = sm == null ? ServiceSniff.secretsManager(r.value()) : Boolean.valueOf(sm);
        String stage = header(r, Headers.STAGE);
        String key = r.key() == null ? r.topic() + "-" + r.partition() + "@" + r.offset() : new String(r.key(), StandardCharsets.UTF_8);
        return new Batch.RejectionRow(clip(key), at, RejectionSource.of(file), file, record, clip(header(r, Headers.FIELD)),
                clip(header(r, Headers.ERROR)), secretsManager, stage == null ? "ingest" : clip(stage));
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_HEADER_CHARS ? s : s.substring(0, MAX_HEADER_CHARS) + "…";
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
