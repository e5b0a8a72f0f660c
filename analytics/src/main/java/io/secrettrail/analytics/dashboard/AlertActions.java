package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Times;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * The dashboard's only writes: acknowledging or suppressing an alert, kept as audit rows (who, when,
 * why, until when) in {@code alert_actions}. They go through the store's writer connection, never a
 * reader's.
 */
public final class AlertActions {
    static final int MAX_REASON_CHARS = 1000;

    /** An incident id: a UUID, as {@code Incident.id} makes them. */
    public static final Pattern INCIDENT_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final EventStore store;

    public AlertActions(EventStore store) {
        this.store = store;
    }

    /**
     * Records an acknowledgement or suppression.
     *
     * @param action ack or suppress
     * @param incident the one incident it is about, or null for every alert of the rule, resource and principal
     * @param expires until when it holds, or null for good
     * @param now when it is recorded (expiries must be after it)
     */
    public void act(
            String action,
            String rule,
            String resource,
            String principal,
            String incident,
            String reason,
            Instant expires,
            String actor,
            Instant now)
            throws SQLException {
        if (!action.equals("ack") && !action.equals("suppress")) {
            throw new IllegalArgumentException("action: must be ack or suppress, was " + action);
        }
        if (rule == null || rule.isBlank() || resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("rule and resource are required");
        }
        if (incident != null
                && !incident.isEmpty()
                && !INCIDENT_ID.matcher(incident).matches()) {
            throw new IllegalArgumentException("incident: not an incident id");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: required");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("reason: at most 1000 characters");
        }
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires: must be in the future, was " + Times.format(expires));
        }
        store.writeTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("insert-alert-action"))) {
                ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setString(2, rule);
                ps.setString(3, resource);
                ps.setString(4, principal == null ? "" : principal);
                ps.setString(5, action);
                ps.setString(6, reason);
                ps.setObject(7, expires == null ? null : LocalDateTime.ofInstant(expires, ZoneOffset.UTC));
                ps.setString(8, actor);
                ps.setString(9, incident == null ? "" : incident);
                return ps.executeUpdate();
            }
        });
    }
}
