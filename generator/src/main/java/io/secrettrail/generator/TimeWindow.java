package io.secrettrail.generator;

import java.time.Instant;

/**
 * The whole seconds an event may carry: CloudTrail prints seconds, and every eventTime must be
 * strictly before {@code end}, so a fractional end still admits its own whole second.
 */
record TimeWindow(long firstSecond, long lastSecond) {
    static final long DAY = 86_400L;
    static final long BUCKET = 300L;

    static TimeWindow of(Instant end, int days) {
        long last = end.getNano() > 0 ? end.getEpochSecond() : end.getEpochSecond() - 1;
        Instant start = end.minusSeconds(days * DAY);
        long first = start.getNano() > 0 ? start.getEpochSecond() + 1 : start.getEpochSecond();
        return new TimeWindow(first, last);
    }

    long seconds() {
        return lastSecond - firstSecond + 1;
    }

    long firstBucket() {
        return Math.floorDiv(firstSecond, BUCKET);
    }

    long lastBucket() {
        return Math.floorDiv(lastSecond, BUCKET);
    }

    /** A uniformly random second in [from, to], both clamped into the window. */
    long pick(java.util.SplittableRandom rng, long from, long to) {
        long a = Math.max(from, firstSecond);
        long b = Math.min(to, lastSecond);
        if (b <= a) {
            return a;
        }
        return a + rng.nextLong(b - a + 1);
    }

    /** A second at the given fraction of the window, so planned events scale with its length. */
    long at(double fraction) {
        return firstSecond + (long) (fraction * (seconds() - 1));
    }
}
