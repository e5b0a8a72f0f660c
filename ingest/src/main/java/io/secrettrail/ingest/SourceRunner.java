package io.secrettrail.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sources, a thread each: a pass every interval; after a failure, one log line naming the
 * source and what to do, then exponential backoff with jitter (1 s doubling, throttling from 5 s,
 * at most the larger of the interval and 5 minutes). {@link #stop} lets the current pass finish its
 * checkpoint and returns once every thread has.
 */
public final class SourceRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceRunner.class);

    /** What a failure means for the next attempt. */
    public record Failure(String message, boolean throttled) {}

    /** A source's figures, for /metrics and /health/ready. */
    public static final class Stats {
        final Source source;
        final AtomicLong records = new AtomicLong();
        final AtomicLong passes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile Instant lastSuccess;
        volatile String lastError;
        volatile boolean healthy = true;

        Stats(Source source) {
            this.source = source;
        }

        public String name() {
            return source.name();
        }

        public String kind() {
            return source.kind();
        }

        public long records() {
            return records.get();
        }

        public long passes() {
            return passes.get();
        }

        public long failures() {
            return failures.get();
        }

        public Instant lastSuccess() {
            return lastSuccess;
        }

        /** The last failure's message, or null once a pass has succeeded since. */
        public String lastError() {
            return lastError;
        }

        public boolean healthy() {
            return healthy;
        }
    }

    private final List<Stats> stats = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Function<Exception, Failure> explain;
    private final Clock clock;
    private final Object wake = new Object();
    private volatile boolean stopping;

    /** @param explain turns an exception into a message for operators (AWS errors get their own) */
    public SourceRunner(List<Source> sources, Function<Exception, Failure> explain, Clock clock) {
        this.explain = explain;
        this.clock = clock;
        for (Source s : sources) {
            stats.add(new Stats(s));
        }
    }

    public void start() {
        for (Stats s : stats) {
            Thread t = new Thread(() -> loop(s), "source-" + s.kind());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** One pass of every source, in this thread, in order; the first failure is thrown. */
    public void runOnce() throws Exception {
        for (Stats s : stats) {
            s.records.addAndGet(s.source.poll(() -> stopping));
            s.passes.incrementAndGet();
            s.lastSuccess = clock.instant();
        }
    }

    public List<Stats> stats() {
        return List.copyOf(stats);
    }

    private void loop(Stats s) {
        int failures = 0;
        while (!stopping) {
            Duration next = s.source.interval();
            try {
                s.records.addAndGet(s.source.poll(() -> stopping));
                s.passes.incrementAndGet();
                s.lastSuccess = clock.instant();
                if (failures > 0) {
                    log.info("source {}: recovered after {} failed attempts", s.name(), failures);
                }
                failures = 0;
                s.lastError = null;
                s.healthy = true;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                failures++;
                s.failures.incrementAndGet();
                Failure f = explain.apply(e);
                next = backoff(failures, f.throttled(), s.source.interval());
                s.lastError = f.message();
                s.healthy = false;
                log.warn("source {}: {}; retrying in {} s (attempt {})", s.name(), f.message(), next.toSeconds(), failures + 1);
            }
            synchronized (wake) {
                long until = System.nanoTime() + next.toNanos();
                long left;
                while (!stopping && (left = until - System.nanoTime()) > 0) {
                    try {
                        wake.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    static Duration backoff(int failures, boolean throttled, Duration interval) {
        long baseMs = throttled ? 5_000 : 1_000;
        long capMs = Math.max(interval.toMillis(), Duration.ofMinutes(5).toMillis());
        long ms = Math.min(capMs, baseMs << Math.min(20, failures - 1));
        // Full jitter on the upper half, so sources failing together do not retry together.
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    /** Stops every source after its current pass; waits up to 30 s for them. */
    public void stop() throws InterruptedException {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
