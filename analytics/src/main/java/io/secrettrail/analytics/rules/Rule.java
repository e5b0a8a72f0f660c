package io.secrettrail.analytics.rules;

import java.util.List;

/**
 * One detection, self-describing: metadata from {@code rules/<id>.json}, its query from
 * {@code rules/<id>.sql}. The query reads the snapshot ({@code secret_facts}, {@code event_refs}, ...) and a one-row {@code params} table
 * holding {@code as_of} and the parameters' SQL names, and returns resource, status, reason,
 * account, region, first_seen, last_seen. A detection ({@link #detection()}, not standing) returns one row
 * per incident: its query's {@code hits} go through the shared incident pass ({@code sql/rules/incidents.sql},
 * put where the query says {@code --@incidents}), and it adds subject, first_hit, last_hit, hit_count, state.
 *
 * @param callerDetection whether the rule judges what callers did ({@code "callerDetection": true}), so that
 *     {@code detections.ignore} applies to it; rules about a secret's or a policy's state read every event
 */
public record Rule(
        String id,
        String title,
        String severity,
        String description,
        String runbook,
        String reference,
        List<Parameter> parameters,
        String sql,
        boolean callerDetection,
        Detection detection) {

    /** A rule without incidents (posture). */
    public Rule(
            String id,
            String title,
            String severity,
            String description,
            String runbook,
            String reference,
            List<Parameter> parameters,
            String sql) {
        this(id, title, severity, description, runbook, reference, parameters, sql, false, null);
    }

    /** Whether the query returns hits grouped into incidents (a detection, not a standing state). */
    public boolean hits() {
        return detection != null && !detection.standing();
    }
}
