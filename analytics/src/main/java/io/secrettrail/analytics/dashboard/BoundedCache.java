package io.secrettrail.analytics.dashboard;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cache bounded in entries and in (estimated) bytes, least recently used out first. A value
 * larger than the whole byte budget is not kept. The dashboard's keys carry the data version, so an
 * entry of an older version is never read again and ages out.
 */
final class BoundedCache<K, V> {
    private record Entry<V>(V value, long bytes) {}

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    BoundedCache(int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a cache needs room for at least one entry and one byte");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    synchronized V get(K key) {
        Entry<V> e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** Keeps the value if it fits the budget, evicting the least recently used until both bounds hold. */
    synchronized void put(K key, V value, long size) {
        Entry<V> old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes();
        }
        if (size > maxBytes) {
            return;
        }
        entries.put(key, new Entry<>(value, size));
        bytes += size;
        Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<K, Entry<V>> eldest = it.next();
            bytes -= eldest.getValue().bytes();
            it.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    int maxEntries() {
        return maxEntries;
    }

    long maxBytes() {
        return maxBytes;
    }
}
