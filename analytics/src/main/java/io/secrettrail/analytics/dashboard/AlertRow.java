package io.secrettrail.analytics.dashboard;

import java.util.Map;

/**
 * An alert of the latest report with its state (open, acknowledged or suppressed) and who set it, why, until when.
 * {@code incident} holds a detection's incident fields (id, state, first and last hit, MITRE, runbook), or null.
 * {@code team} is the report's team of the secret the alert is on, or null when its resource is no secret.
 */
public record AlertRow(
        String rule,
        String severity,
        String resource,
        String principal,
        String status,
        String reason,
        String account,
        String region,
        String firstSeen,
        String lastSeen,
        String state,
        String stateReason,
        String stateExpires,
        String stateBy,
        String stateAt,
        Map<String, Object> evidence,
        Map<String, Object> incident,
        String team) {

    /** The incident id, or null for an alert that is not an incident. */
    public String incidentId() {
        return incident == null ? null : (String) incident.get("incident");
    }

    /** Whether the incident is open; an alert without an incident (a posture finding) is as long as it shows. */
    public boolean open() {
        return incident == null || "open".equals(incident.get("state"));
    }
}
