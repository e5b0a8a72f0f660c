package io.secrettrail.analytics.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Each webhook's attempts in the last minute, by the deliverer's clock: how many more may go now.
 * Kept in memory, so a restart starts each webhook with a full minute's room.
 */
final class RateWindow {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private final Map<String, ArrayDeque<Instant>> sent = new HashMap<>();

    /** Attempts the webhook may still make in the minute up to {@code now}. */
    int room(String webhook, int perMinute, Instant now) {
        ArrayDeque<Instant> times = sent.computeIfAbsent(webhook, k -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
            times.pollFirst();
        }
        return Math.max(0, perMinute - times.size());
    }

    /** Counts an attempt made at {@code at}. */
    void sent(String webhook, Instant at) {
        sent.computeIfAbsent(webhook, k -> new ArrayDeque<>()).addLast(at);
    }
}
