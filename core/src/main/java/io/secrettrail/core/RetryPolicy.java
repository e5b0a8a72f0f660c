package io.secrettrail.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, the one used wherever SecretTrail retries: the ingest sources
 * after a failed pass, and webhook deliveries after a refused or failed attempt.
 *
 * <p>After the n-th consecutive failure the wait is {@code min(cap, first * 2^(n-1))} times a factor
 * drawn uniformly between {@code minFactor} and {@code maxFactor}, in whole milliseconds: jitter, so
 * that many callers failing together do not retry together. The next attempt is counted from the
 * injected {@link Clock}; a policy with {@link #giveUpAfter} gives up once that attempt would fall
 * later than that long after the first try. There is no limit on attempts: neither caller has one
 * (a source retries until it recovers; a delivery until its give-up time). Immutable: each setting
 * method returns a copy.
 */
public final class RetryPolicy {
    /** Doubling stops here: 2^40 times any first delay is past every cap in use. */
    private static final int MAX_SHIFT = 40;

    private final Clock clock;
    private final Duration first;
    private final Duration cap;
    private final double minFactor;
    private final double maxFactor;
    private final Duration giveUpAfter;
    private final DoubleSupplier unit;

    /** 1 s doubling, at most an hour, no jitter, never giving up; the other settings by the methods below. */
    public RetryPolicy(Clock clock) {
        this(
                clock,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                1.0,
                1.0,
                null,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    private RetryPolicy(
            Clock clock,
            Duration first,
            Duration cap,
            double minFactor,
            double maxFactor,
            Duration giveUpAfter,
            DoubleSupplier unit) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.first = positive(first, "first");
        this.cap = positive(cap, "cap");
        if (!(minFactor > 0) || !(maxFactor >= minFactor)) {
            throw new IllegalArgumentException(
                    "jitter must satisfy 0 < min <= max, was " + minFactor + ".." + maxFactor);
        }
        this.minFactor = minFactor;
        this.maxFactor = maxFactor;
        this.giveUpAfter = giveUpAfter == null ? null : positive(giveUpAfter, "giveUpAfter");
        this.unit = Objects.requireNonNull(unit, "unit");
    }

    /** The wait after the first failure, before jitter. */
    public RetryPolicy first(Duration d) {
        return new RetryPolicy(clock, d, cap, minFactor, maxFactor, giveUpAfter, unit);
    }

    /** The longest wait before jitter, however many failures. */
    public RetryPolicy cap(Duration d) {
        return new RetryPolicy(clock, first, d, minFactor, maxFactor, giveUpAfter, unit);
    }

    /** The wait is multiplied by a factor drawn uniformly between {@code min} and {@code max}. */
    public RetryPolicy jitter(double min, double max) {
        return new RetryPolicy(clock, first, cap, min, max, giveUpAfter, unit);
    }

    /** No attempt later than this long after the first try. */
    public RetryPolicy giveUpAfter(Duration d) {
        return new RetryPolicy(clock, first, cap, minFactor, maxFactor, d, unit);
    }

    /** Where jitter comes from: uniform values in {@code [0, 1)} (a test passes fixed ones). */
    public RetryPolicy random(DoubleSupplier uniform) {
        return new RetryPolicy(clock, first, cap, minFactor, maxFactor, giveUpAfter, uniform);
    }

    /** How long to wait after {@code failures} consecutive failures (1 after the first). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        int shift = Math.min(failures - 1, MAX_SHIFT);
        long firstMs = first.toMillis();
        long capMs = cap.toMillis();
        long base = firstMs > (capMs >> shift) ? capMs : Math.min(capMs, firstMs << shift);
        double u = unit.getAsDouble();
        return Duration.ofMillis((long) (base * (minFactor + u * (maxFactor - minFactor))));
    }

    /**
     * When to try again after {@code failures} consecutive failures: now (by the clock) plus
     * {@link #delay}; empty when that is past the give-up time counted from {@code firstTry}.
     */
    public Optional<Instant> next(int failures, Instant firstTry) {
        return after(delay(failures), firstTry);
    }

    /**
     * When to try again after an explicit wait (a receiver's {@code Retry-After}): now plus
     * {@code wait}; empty when that is past the give-up time counted from {@code firstTry}.
     */
    public Optional<Instant> after(Duration wait, Instant firstTry) {
        Instant next = clock.instant().plus(wait);
        if (giveUpAfter != null && next.isAfter(firstTry.plus(giveUpAfter))) {
            return Optional.empty();
        }
        return Optional.of(next);
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "RetryPolicy[first=" + first + ", cap=" + cap + ", jitter=" + minFactor + ".." + maxFactor
                + ", giveUpAfter=" + giveUpAfter + "]";
    }
}
