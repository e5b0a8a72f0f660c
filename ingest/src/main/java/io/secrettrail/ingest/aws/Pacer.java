package io.secrettrail.ingest.aws;

import java.util.concurrent.TimeUnit;

/**
 * Spaces requests to one API in one account and region at most {@code perSecond} per second (AWS
 * documents LookupEvents at 2 per second per account and region). Shared by every thread calling
 * that API there; measures with the monotonic clock.
 */
public final class Pacer {
    private final long gapNanos;
    private long next;

    public Pacer(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive");
        }
        this.gapNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.next = System.nanoTime();
    }

    /** Blocks until the next request may go. */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = Math.max(now, next);
            next = at + gapNanos;
            wait = at - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
