package io.secrettrail.analytics.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a detection saw: who, when, how many, from where. Lists are bounded; {@code events} is the
 * full count.
 *
 * @param windowStart first event of the window the finding is decided on (its worst window)
 * @param windowEnd last event of that window
 * @param counts the figures the rule decided on, by name (secrets, calls, regions, denied...)
 * @param events how many events the evidence covers
 * @param sourceIps distinct source IP addresses (or AWS service names), sorted, at most {@link #MAX_VALUES}
 * @param userAgents distinct user agents, sorted, at most {@link #MAX_VALUES}
 * @param eventIds a sample of the events' eventIDs, earliest first, at most {@link #MAX_EVENT_IDS}
 * @param callerKinds the distinct kinds of the callers of all the events (caching, sdk, ...), sorted
 * @param sessions the distinct sessions of those events, at most {@link #MAX_VALUES}
 */
public record Evidence(
        String principal,
        Instant windowStart,
        Instant windowEnd,
        Map<String, Object> counts,
        long events,
        List<String> sourceIps,
        List<String> userAgents,
        List<String> eventIds,
        List<String> callerKinds,
        List<Session> sessions) {
    public static final int MAX_VALUES = 10;
    public static final int MAX_EVENT_IDS = 20;

    /** Evidence with no caller kinds and no sessions. */
    public Evidence(
            String principal,
            Instant windowStart,
            Instant windowEnd,
            Map<String, Object> counts,
            long events,
            List<String> sourceIps,
            List<String> userAgents,
            List<String> eventIds) {
        this(principal, windowStart, windowEnd, counts, events, sourceIps, userAgents, eventIds, List.of(), List.of());
    }
}
