package io.secrettrail.ingest;

import io.secrettrail.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sources on small pools, one per kind of source (at most {@value #MAX_THREADS} threads each): a pass every interval; after a failure, one log line naming the
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
        volatile int consecutiveFailures;

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

    /** Threads for all sources: an organisation has hundreds of account and region pairs, not hundreds of cores. */
    static final int MAX_THREADS = 16;

    private final List<Stats> stats = new ArrayList<>();
    private final Function<Exception, Failure> explain;
    private final Clock clock;
    /** One pool per kind of source: hours of paced LookupEvents backfills must not hold the S3 source's threads. */
    private final Map<String, java.util.concurrent.ScheduledThreadPoolExecutor> pools = new java.util.LinkedHashMap<>();

    private volatile boolean stopping;
    private volatile Exception fatal;

    /** @param explain turns an exception into a message for operators (AWS errors get their own) */
    public SourceRunner(List<Source> sources, Function<Exception, Failure> explain, Clock clock) {
        this.explain = explain;
        this.clock = clock;
        for (Source s : sources) {
            stats.add(new Stats(s));
        }
        Map<String, Integer> perKind = new java.util.HashMap<>();
        sources.forEach(src -> perKind.merge(src.kind(), 1, Integer::sum));
        perKind.forEach((kind, count) -> {
            AtomicLong n = new AtomicLong();
            var pool = new java.util.concurrent.ScheduledThreadPoolExecutor(Math.min(MAX_THREADS, count), r -> {
                Thread t = new Thread(r, "source-" + kind + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            pools.put(kind, pool);
        });
    }

    /** Every source makes its first pass now, then one every interval (or after its backoff). */
    public void start() {
        for (Stats s : stats) {
            pools.get(s.kind()).execute(() -> pass(s));
        }
    }

    /** Kafka's failure that stopped the sources, or null. */
    public Exception fatal() {
        return fatal;
    }

    public List<Stats> stats() {
        return List.copyOf(stats);
    }

    private void pass(Stats s) {
        if (stopping) {
            return;
        }
        Duration next = s.source.interval();
        try {
            s.records.addAndGet(s.source.poll(() -> stopping));
            s.passes.incrementAndGet();
            s.lastSuccess = clock.instant();
            if (s.consecutiveFailures > 0) {
                log.info("source {}: recovered after {} failed attempts", s.name(), s.consecutiveFailures);
            }
            s.consecutiveFailures = 0;
            s.lastError = null;
            s.healthy = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            if (e instanceof EventPublisher.PublishException) {
                // Kafka refused records after its own retries: the producer cannot be trusted any more,
                // so the process stops (exit 1) and a restart resumes from the checkpoints.
                fatal = e;
                s.healthy = false;
                s.lastError = e.getMessage();
                log.error("source {}: {}; stopping (a restart resumes from the checkpoints)", s.name(), e.getMessage());
                return;
            }
            s.consecutiveFailures++;
            s.failures.incrementAndGet();
            Failure f = explain.apply(e);
            next = retryPolicy(clock, f.throttled(), s.source.interval()).delay(s.consecutiveFailures);
            s.lastError = f.message();
            s.healthy = false;
            log.warn(
                    "source {}: {}; retrying in {} s (attempt {})",
                    s.name(),
                    f.message(),
                    next.toSeconds(),
                    s.consecutiveFailures + 1);
        } catch (Error e) {
            s.consecutiveFailures++;
            s.failures.incrementAndGet();
            next = retryPolicy(clock, false, s.source.interval()).delay(s.consecutiveFailures);
            s.lastError = e.toString();
            s.healthy = false;
            log.error("source {}: {}; retrying in {} s", s.name(), e, next.toSeconds());
        }
        if (!stopping) {
            try {
                pools.get(s.kind())
                        .schedule(() -> pass(s), next.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stop() shut the pool down meanwhile
            }
        }
    }

    /**
     * A source's backoff: 1 s doubling (5 s when throttled: the API asked us to slow down), at most the
     * larger of its interval and 5 minutes, with jitter on the upper half so that sources failing
     * together do not retry together.
     */
    static RetryPolicy retryPolicy(Clock clock, boolean throttled, Duration interval) {
        Duration cap = interval.compareTo(Duration.ofMinutes(5)) > 0 ? interval : Duration.ofMinutes(5);
        return new RetryPolicy(clock)
                .first(Duration.ofSeconds(throttled ? 5 : 1))
                .cap(cap)
                .jitter(0.5, 1.0);
    }

    /** Stops every source after its current pass (or page, or batch); waits up to 30 s for them. */
    public void stop() throws InterruptedException {
        stopping = true;
        // Drops the waiting passes; a running one is not interrupted (its checkpoint write must
        // complete) but sees stopping and returns at its next page or batch.
        pools.values().forEach(java.util.concurrent.ExecutorService::shutdown);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        for (var pool : pools.values()) {
            if (!pool.awaitTermination(
                    Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                log.warn("a source did not stop within 30 s");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
