package io.secrettrail.analytics.dashboard;

/**
 * What the store and the background report hold, for the footer, /api/v1/status and /metrics.
 *
 * @param lastEventTime the latest event not dated in the future
 * @param futureEvents events dated more than a day after "now" (accepted, flagged, kept out of the last event and the charts)
 * @param latestFutureEvent the latest of those, or null
 */
public record Status(
        long version,
        long events,
        long secrets,
        String lastEventTime,
        long reportVersion,
        String reportBuiltAt,
        double reportBuildSeconds,
        String reportAsOf,
        UnknownNames unknownNames,
        long futureEvents,
        String latestFutureEvent) {}
