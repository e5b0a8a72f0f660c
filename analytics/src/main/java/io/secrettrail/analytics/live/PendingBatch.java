package io.secrettrail.analytics.live;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The messages polled for the next DuckDB transaction, counted and weighed. A batch is full at a
 * number of messages OR a number of bytes: bounded by count alone, what sits in the heap grows with
 * the size of the messages (issue 16: the projection header made each one heavier).
 */
final class PendingBatch {
    private final int maxMessages;
    private final long maxBytes;
    private List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private long bytes;

    /** @param maxMessages at least 1 (the consumer checks its setting) */
    PendingBatch(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    void add(ConsumerRecord<byte[], byte[]> r) {
        records.add(r);
        bytes += weight(r);
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /** True once the batch holds its maximum of messages or of bytes. */
    boolean full() {
        return records.size() >= maxMessages || bytes >= maxBytes;
    }

    /** The messages so far; the batch starts again empty. */
    List<ConsumerRecord<byte[], byte[]>> take() {
        List<ConsumerRecord<byte[], byte[]>> out = records;
        records = new ArrayList<>();
        bytes = 0;
        return out;
    }

    /** The bytes a message holds in the heap: key, value and headers. */
    static long weight(ConsumerRecord<byte[], byte[]> r) {
        long w = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
            w += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return w;
    }
}
