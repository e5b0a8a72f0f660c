package io.secrettrail.analytics.live;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.StorableValues;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes decoded batches into the store, poison messages aside: they are dead-lettered (and
 * acknowledged) before the batch that skips them is committed. Used by the consumer's one writer
 * thread.
 */
final class BatchWriter {
    /** Logs under the consumer's name, as before the split: operators grep for it. */
    private static final Logger log = LoggerFactory.getLogger(AnalyticsConsumer.class);
    /** Poison messages logged one by one per process; the rest are counted. */
    private static final int LOGGED_POISON = 20;

    private final EventStore store;
    private final DeadLetters deadLetters;
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong poisonLogged = new AtomicLong();

    BatchWriter(EventStore store, DeadLetters deadLetters) {
        this.store = store;
        this.deadLetters = deadLetters;
    }

    /**
     * Writes a batch, poison messages aside. Values the store cannot hold were found while decoding;
     * if the store still refuses the batch and the failure is not its own (disk, memory, I/O: then
     * the batch is retried whole after a restart, never thinned), the batch is halved until the
     * message(s) it refuses are found; those are dead-lettered and the rest is written. Dead letters
     * are acknowledged before the offsets that skip them are committed.
     */
    EventStore.WriteResult write(Decoded d) throws Exception {
        if (!d.poison().isEmpty()) {
            deadLetter(d.poison());
        }
        try {
            return store.write(d.batch());
        } catch (SQLException | RuntimeException e) {
            if (EventStore.isTransient(e) || d.batch().events().isEmpty()) {
                throw e;
            }
            Map<Batch.EventRow, Exception> bad = new IdentityHashMap<>();
            isolate(d.batch().events(), bad);
            if (bad.isEmpty()) {
                // every row can be stored (a failure of that one transaction, e.g. its commit): written again
                // once, whole; failing again, it is the store's problem
                return store.write(d.batch());
            }
            if (bad.size() == d.batch().events().size() && bad.size() > 1) {
                throw e; // every row is refused: the store's problem, not the messages'
            }
            List<Poison> poison = new ArrayList<>();
            Set<ConsumerRecord<byte[], byte[]>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            bad.forEach((row, why) -> {
                ConsumerRecord<byte[], byte[]> m = d.origins().get(row);
                if (m != null && seen.add(m)) {
                    poison.add(new Poison(m, null, "the store refused it: " + AnalyticsConsumer.describe(why)));
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
                log.warn(
                        "dead-lettered {}{}: {}",
                        StorableValues.printable(p.where()),
                        p.field() == null ? "" : ", field " + StorableValues.printable(p.field()),
                        StorableValues.printable(p.error()));
            }
        }
        deadLetters.publish(poison);
        deadLettered.addAndGet(poison.size());
    }

    /** Messages dead-lettered so far. */
    long deadLettered() {
        return deadLettered.get();
    }
}
