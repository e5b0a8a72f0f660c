package io.secrettrail.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Messages sent before the broker is up, held in a bounded buffer and passed on in the order they
 * were sent once it is ({@link #open}): reading and projecting trail files need no broker, so a
 * one-shot run reads while its embedded broker starts. A sender that would pass the bound waits
 * for {@link #open} (or {@link #fail}); so does {@link #flush}. Thread-safe; each sender's
 * messages keep their order, so one secret's events of a file stay in order.
 */
public final class HeldOutbox implements Outbox {
    /** What a held message costs beside its key and value (object, headers, callback), for the bound. */
    private static final int OVERHEAD_BYTES = 256;

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long heldBytes;
    private Outbox target;
    private RuntimeException failure;
    private int flushesWaiting;

    private record Held(ProducerRecord<byte[], byte[]> record, Callback onSent) {}

    /** @param maxBytes the most bytes of keys, values and headers held (one message is held whatever its size) */
    public HeldOutbox(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> record, Callback onSent) {
        long size = size(record);
        Outbox to;
        lock.lock();
        try {
            while (target == null && failure == null && !held.isEmpty() && heldBytes + size > maxBytes) {
                changed.awaitUninterruptibly(); // released by open or fail, which the owner always calls
            }
            if (failure != null) {
                throw failure;
            }
            if (target == null) {
                held.addLast(new Held(record, onSent));
                heldBytes += size;
                return;
            }
            to = target;
        } finally {
            lock.unlock();
        }
        to.send(record, onSent);
    }

    /**
     * Passes what is held on to {@code to}, in order, and from then on every message straight to it.
     * Senders wait while the held messages are passed on, so none overtakes them.
     */
    public void open(Outbox to) {
        lock.lock();
        try {
            if (target != null || failure != null) {
                throw new IllegalStateException("already " + (target != null ? "open" : "failed"));
            }
            for (Held h : held) {
                to.send(h.record(), h.onSent());
            }
            held.clear();
            heldBytes = 0;
            target = to;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The broker will not come: held messages are dropped and every sender and flush throws {@code why}. No-op once open. */
    public void fail(RuntimeException why) {
        lock.lock();
        try {
            if (target != null || failure != null) {
                return;
            }
            failure = why;
            held.clear();
            heldBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        Outbox to;
        lock.lock();
        try {
            flushesWaiting++;
            try {
                while (target == null && failure == null) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                flushesWaiting--;
            }
            if (failure != null) {
                throw failure;
            }
            to = target;
        } finally {
            lock.unlock();
        }
        to.flush();
    }

    /** Messages held now. */
    public int heldMessages() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a flush waits for {@link #open}: its sender has sent everything it had. */
    public boolean flushWaiting() {
        lock.lock();
        try {
            return flushesWaiting > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Key, value and headers (the projection header repeats an event's columns on every fanned-out copy). */
    private static long size(ProducerRecord<byte[], byte[]> r) {
        long headers = 0;
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return OVERHEAD_BYTES
                + (r.key() == null ? 0 : r.key().length)
                + (r.value() == null ? 0 : r.value().length)
                + headers;
    }
}
