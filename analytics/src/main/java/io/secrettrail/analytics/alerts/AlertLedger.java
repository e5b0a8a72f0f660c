package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Alarm episodes and the webhook outbox. Each report's alarms are compared with the open
 * episodes: an alarm without one opens an episode (a new transition to alarm), an episode without
 * its alarm closes (a transition to ok). Each transition is written to the outbox once per
 * matching webhook, in the same transaction as the episode change, before anything is sent: a
 * crash loses none, and a transition is never enqueued twice.
 */
public final class AlertLedger {
    /** Suppressions made on the dashboard: the latest action per alert, when it is a suppression. */
    private static final String DASHBOARD_SUPPRESSIONS = "SELECT rule, resource, reason, expires FROM ("
            + Sql.text("store/latest-alert-actions") + ") WHERE action = 'suppress'";

    private final EventStore store;
    private final WebhookSettings settings;

    public AlertLedger(EventStore store, WebhookSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** Outcome of one comparison. */
    public record Transitions(int opened, int closed, int enqueued, int suppressed) {}

    public Transitions record(List<Finding> alarms, Instant now) throws SQLException {
        try (Connection c = store.reader()) {
            c.setAutoCommit(false);
            try {
                Transitions t = record(c, alarms, now);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Transitions record(Connection c, List<Finding> alarms, Instant now) throws SQLException {
        Map<String, String[]> open = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/episodes-open"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.put(
                        key(rs.getString(1), rs.getString(2), rs.getString(3)),
                        new String[] {rs.getString(4), rs.getString(5)});
            }
        }
        Map<String, Finding> current = new LinkedHashMap<>();
        for (Finding f : alarms) {
            if (f.alarm()) {
                current.put(key(f.rule(), f.resource(), nz(f.principal())), f);
            }
        }
        List<Suppression> dashboard = dashboardSuppressions(c, now);
        int opened = 0;
        int closed = 0;
        int enqueued = 0;
        int suppressed = 0;
        for (var e : current.entrySet()) {
            if (open.containsKey(e.getKey())) {
                continue;
            }
            Finding f = e.getValue();
            String episode = UUID.nameUUIDFromBytes((e.getKey() + "\u0000" + now).getBytes(StandardCharsets.UTF_8))
                    .toString();
            ObjectNode payload = Payloads.of(episode, "alarm", f, now);
            try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/episode-open"))) {
                ps.setString(1, f.rule());
                ps.setString(2, f.resource());
                ps.setString(3, nz(f.principal()));
                ps.setString(4, episode);
                ps.setString(5, f.severity());
                ps.setObject(6, Outbox.utc(now));
                ps.setString(7, payload.toString());
                ps.executeUpdate();
            }
            opened++;
            if (silenced(f.rule(), f.resource(), now, dashboard)) {
                suppressed++;
                continue;
            }
            for (WebhookConfig w : settings.webhooks()) {
                if (w.wants(f.rule(), f.severity())) {
                    Outbox.enqueue(c, w, episode, "alarm", f.rule(), f.severity(), f.resource(), payload, now);
                    enqueued++;
                }
            }
        }
        for (var e : open.entrySet()) {
            if (current.containsKey(e.getKey())) {
                continue;
            }
            String[] parts = e.getKey().split("\u0000", -1);
            try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/episode-close"))) {
                ps.setString(1, parts[0]);
                ps.setString(2, parts[1]);
                ps.setString(3, parts[2]);
                ps.executeUpdate();
            }
            closed++;
            JsonNode was = Payloads.read(e.getValue()[1], "alert_state");
            ObjectNode payload = Payloads.clear(was, e.getValue()[0] + "-clear", now);
            String severity = was.path("severity").asText();
            if (silenced(parts[0], parts[1], now, dashboard)) {
                suppressed++;
                continue;
            }
            for (WebhookConfig w : settings.webhooks()) {
                if (w.notifyClear() && w.wants(parts[0], severity)) {
                    Outbox.enqueue(
                            c, w, e.getValue()[0] + "-clear", "clear", parts[0], severity, parts[1], payload, now);
                    enqueued++;
                }
            }
        }
        return new Transitions(opened, closed, enqueued, suppressed);
    }

    private boolean silenced(String rule, String resource, Instant now, List<Suppression> dashboard) {
        return settings.suppressions().stream().anyMatch(s -> s.matches(rule, resource, now))
                || dashboard.stream().anyMatch(s -> s.matches(rule, resource, now));
    }

    /** Suppressions made on the dashboard: the latest action per alert, when it is a suppression not yet expired. */
    private static List<Suppression> dashboardSuppressions(Connection c, Instant now) throws SQLException {
        List<Suppression> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DASHBOARD_SUPPRESSIONS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDateTime exp = rs.getObject(4, LocalDateTime.class);
                Suppression s = new Suppression(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        exp == null ? null : exp.toInstant(ZoneOffset.UTC));
                if (s.expires() == null || s.expires().isAfter(now)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    static String key(String rule, String resource, String principal) {
        return rule + "\u0000" + resource + "\u0000" + principal;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
