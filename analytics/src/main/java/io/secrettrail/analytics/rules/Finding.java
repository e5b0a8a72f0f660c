package io.secrettrail.analytics.rules;

import java.time.Instant;

/**
 * What a rule says of one resource; every rule returns these same columns. A finding is
 * identified by (rule, resource, principal).
 *
 * @param severity the rule's severity, or the one the rule chose for this finding
 * @param status ok, alarm or skip
 * @param reason a sentence that carries the number it was decided on
 * @param principal the caller a detection is about (for a principal's own detections it is also
 *                  the resource), or null
 * @param evidence what a detection saw, or null for rules over secrets' state
 * @param incident the incident the alarm stands for (detections and standing states), or null
 */
public record Finding(
        String rule,
        String severity,
        String resource,
        String status,
        String reason,
        String account,
        String region,
        Instant firstSeen,
        Instant lastSeen,
        String principal,
        Evidence evidence,
        Incident incident) {

    /** A finding that is no incident. */
    public Finding(
            String rule,
            String severity,
            String resource,
            String status,
            String reason,
            String account,
            String region,
            Instant firstSeen,
            Instant lastSeen,
            String principal,
            Evidence evidence) {
        this(rule, severity, resource, status, reason, account, region, firstSeen, lastSeen, principal, evidence, null);
    }

    public boolean alarm() {
        return "alarm".equals(status);
    }
}
