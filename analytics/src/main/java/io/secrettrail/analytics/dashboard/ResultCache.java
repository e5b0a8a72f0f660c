package io.secrettrail.analytics.dashboard;

import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * The dashboard's results by page and parameters, computed once per change of the data and shared
 * by every request until the next commit. Each page has its own key type, naming the type of its
 * result, so a hit is checked by {@link Class#cast}, never cast unchecked. Bounded in entries and
 * estimated bytes ({@link Footprint}), least recently used out: each distinct filter is an entry,
 * and anyone can send many.
 */
final class ResultCache {
    /** Default bounds: entries, and estimated bytes. */
    static final int ENTRIES = 256;

    static final long BYTES = 128L << 20;
    /**
     * At most this many results are computed at once (the rest wait, then usually find the result
     * cached): what one computation holds, in the heap and in DuckDB's memory limit, is bounded, so
     * many requests with distinct filters cannot add up to an out-of-memory.
     */
    static final int CONCURRENT_COMPUTATIONS = 2;

    /** A page's key: its parameters, and the type of what it caches. */
    interface Key<V> {
        Class<V> type();
    }

    @FunctionalInterface
    interface Computation<V> {
        V get() throws SQLException;
    }

    /** A page's key under the versions of the data and of the report it was computed from. */
    private record Versioned(Key<?> key, long data, long report) {}

    private final BoundedCache<Versioned, Object> cache;
    private final LongSupplier dataVersion;
    private final LongSupplier reportVersion;
    private final Semaphore computing = new Semaphore(CONCURRENT_COMPUTATIONS, true);
    /** Whether this thread holds a permit already (a result computed inside another's computation). */
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);

    ResultCache(int maxEntries, long maxBytes, LongSupplier dataVersion, LongSupplier reportVersion) {
        this.cache = new BoundedCache<>(maxEntries, maxBytes);
        this.dataVersion = dataVersion;
        this.reportVersion = reportVersion;
    }

    /** The result under the current versions, computed (one computation at a time per permit) if absent. */
    <V> V get(Key<V> key, Computation<V> compute) throws SQLException {
        Versioned k = new Versioned(key, dataVersion.getAsLong(), reportVersion.getAsLong());
        Object hit = cache.get(k);
        if (hit != null) {
            return key.type().cast(hit);
        }
        boolean outer = !holding.get();
        if (outer) {
            try {
                computing.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(
                        "interrupted while waiting to compute " + key.type().getSimpleName(), e);
            }
            holding.set(true);
        }
        try {
            hit = cache.get(k);
            if (hit != null) {
                return key.type().cast(hit);
            }
            V v = compute.get();
            cache.put(k, v, Footprint.of(k) + Footprint.of(v));
            return v;
        } finally {
            if (outer) {
                holding.set(false);
                computing.release();
            }
        }
    }

    CacheStats stats() {
        return new CacheStats(cache.size(), cache.bytes(), cache.maxEntries(), cache.maxBytes());
    }
}
