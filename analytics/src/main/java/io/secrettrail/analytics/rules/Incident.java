package io.secrettrail.analytics.rules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The incident a detection's alarm stands for: a run of hits on one subject, consecutive hits less than
 * the rule's quiet hours apart.
 *
 * @param id derived from rule, subject and first hit: the same on every run over the same data
 * @param state open, or closed once asOf - lastHit reaches the quiet hours (a standing state: open while it lasts)
 * @param subject what the incident is about (a principal, a secret, a principal and a secret)
 * @param firstHit the end of its first threshold-crossing window
 * @param lastHit the end of its last
 * @param hits how many distinct hit times (ends of threshold-crossing windows) it holds
 * @param standing a standing state's (a public policy): it closes when the state ends, not on a timer
 */
public record Incident(
        String id,
        String state,
        String subject,
        Instant firstHit,
        Instant lastHit,
        long hits,
        String mitreId,
        String mitreName,
        String runbook,
        boolean standing) {

    public boolean open() {
        return "open".equals(state);
    }

    /** The stable id of the incident of {@code rule} on {@code subject} that began with {@code firstHit}. */
    public static String id(String rule, String subject, Instant firstHit) {
        return UUID.nameUUIDFromBytes(
                        (rule + "\u0000" + subject + "\u0000" + firstHit).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
