package io.secrettrail.analytics.store;

/**
 * A Bloom filter over the 64-bit hashes of stored event ids (see {@link EventIds#idHash}): "not stored" is
 * certain, "maybe stored" is asked of event_ids. Ten bits per id and seven probes give about 1% false positives
 * at capacity; past it the owner rebuilds a larger one from the table ({@link #full()}). Written here rather than
 * taken from a library: the ids are MD5 bits already, so the filter is a few lines of bit arithmetic over one
 * {@code long[]}, its memory known (10 to 20 bits per id of capacity, rounded up to a power of two).
 */
final class IdFilter {
    static final int BITS_PER_ID = 10;
    private static final int PROBES = 7;
    private static final long MAX_BITS = 1L << 36; // 8 GiB of bits: beyond any store this writer can hold

    private final long[] words;
    private final long mask;
    private final long capacity;
    private long count;

    private IdFilter(long[] words, long capacity) {
        this.words = words;
        this.mask = (long) words.length * 64 - 1;
        this.capacity = capacity;
    }

    /** An empty filter for up to {@code capacity} ids (at least 64 bits). */
    static IdFilter forCapacity(long capacity) {
        long bits = Long.highestOneBit(Math.max(64, Math.min(MAX_BITS, capacity * BITS_PER_ID)));
        if (bits < capacity * BITS_PER_ID && bits < MAX_BITS) {
            bits <<= 1;
        }
        return new IdFilter(new long[Math.toIntExact(bits / 64)], capacity);
    }

    /** A filter that holds every id and never fills: each lookup goes to the table (tests of the fallback). */
    static IdFilter everything() {
        long[] all = new long[1];
        all[0] = -1L;
        return new IdFilter(all, Long.MAX_VALUE);
    }

    boolean mightContain(long idHash) {
        long h1 = mix(idHash);
        long h2 = mix(h1) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = (h1 + i * h2) & mask;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    void add(long idHash) {
        long h1 = mix(idHash);
        long h2 = mix(h1) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = (h1 + i * h2) & mask;
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
        count++;
    }

    /** Whether more ids were added than it was sized for (its false-positive rate climbs past 1%). */
    boolean full() {
        return count > capacity;
    }

    long capacity() {
        return capacity;
    }

    /** The bytes its bits take. */
    long bytes() {
        return (long) words.length * Long.BYTES;
    }

    /** SplitMix64's finalizer: the hash's 4 fixed UUID version bits and any structure spread over all 64. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
