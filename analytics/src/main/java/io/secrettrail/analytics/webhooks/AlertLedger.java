package io.secrettrail.analytics.webhooks;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Times;

/**
 * Alarm episodes and the webhook outbox. Each report's alarms are compared with the open
 * episodes: an alarm without one opens an episode (a new transition to alarm), an episode without
 * its alarm closes (a transition to ok). Each transition is written to the outbox once per
 * matching webhook, in the same transaction as the episode change, before anything is sent: a
 * crash loses none, and a transition is never enqueued twice.
 */
public final class AlertLedger {
    static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

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
        try (PreparedStatement ps = c.prepareStatement("SELECT rule, resource, principal, episode, payload FROM alert_state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.put(key(rs.getString(1), rs.getString(2), rs.getString(3)), new String[] {rs.getString(4), rs.getString(5)});
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
            String episode = UUID.nameUUIDFromBytes((e.getKey() + "\u0000" + now).getBytes(StandardCharsets.UTF_8)).toString();
            ObjectNode payload = payload(episode, "alarm", f, now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_state VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, f.rule());
                ps.setString(2, f.resource());
                ps.setString(3, nz(f.principal()));
                ps.setString(4, episode);
                ps.setString(5, f.severity());
                ps.setObject(6, utc(now));
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
                    enqueue(c, w, episode, "alarm", f.rule(), f.severity(), f.resource(), payload, now);
                    enqueued++;
                }
            }
        }
        for (var e : open.entrySet()) {
            if (current.containsKey(e.getKey())) {
                continue;
            }
            String[] parts = e.getKey().split("\u0000", -1);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_state WHERE rule = ? AND resource = ? AND principal = ?")) {
                ps.setString(1, parts[0]);
                ps.setString(2, parts[1]);
                ps.setString(3, parts[2]);
                ps.executeUpdate();
            }
            closed++;
            JsonNode was = parse(e.getValue()[1]);
            ObjectNode payload = (ObjectNode) was.deepCopy();
            payload.put("id", e.getValue()[0] + "-clear");
            payload.put("transition", "ok");
            payload.put("occurredAt", Times.format(now));
            payload.put("reason", "cleared: " + was.path("reason").asText());
            String severity = was.path("severity").asText();
            if (silenced(parts[0], parts[1], now, dashboard)) {
                suppressed++;
                continue;
            }
            for (WebhookConfig w : settings.webhooks()) {
                if (w.notifyClear() && w.wants(parts[0], severity)) {
                    enqueue(c, w, e.getValue()[0] + "-clear", "clear", parts[0], severity, parts[1], payload, now);
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
        try (PreparedStatement ps = c.prepareStatement("SELECT rule, resource, reason, expires FROM ("
                + io.secrettrail.analytics.dashboard.DashboardService.LATEST_ACTIONS + ") WHERE action = 'suppress'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDateTime exp = rs.getObject(4, LocalDateTime.class);
                Suppression s = new Suppression(rs.getString(1), rs.getString(2), rs.getString(3),
                        exp == null ? null : exp.toInstant(ZoneOffset.UTC));
                if (s.expires() == null || s.expires().isAfter(now)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The generic payload: what a receiver gets, and what a Slack message is drawn from. */
    static ObjectNode payload(String id, String transition, Finding f, Instant now) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", id);
        p.put("transition", transition);
        p.put("rule", f.rule());
        p.put("severity", f.severity());
        p.put("resource", f.resource());
        p.put("principal", f.principal());
        p.put("reason", f.reason());
        p.put("account", f.account());
        p.put("region", f.region());
        p.put("firstSeen", Times.format(f.firstSeen()));
        p.put("lastSeen", Times.format(f.lastSeen()));
        p.set("evidence", f.evidence() == null ? null : JSON.valueToTree(io.secrettrail.analytics.dashboard.DashboardService.evidenceJson(f.evidence())));
        p.put("occurredAt", Times.format(now));
        return p;
    }

    static void enqueue(Connection c, WebhookConfig w, String messageId, String kind, String rule, String severity, String resource,
                        JsonNode payload, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, NULL, NULL, NULL)")) {
            ps.setString(1, messageId + ":" + w.name());
            ps.setString(2, w.name());
            ps.setString(3, messageId);
            ps.setString(4, kind);
            ps.setString(5, rule);
            ps.setString(6, severity);
            ps.setString(7, resource);
            ps.setString(8, payload.toString());
            ps.setObject(9, utc(now));
            ps.setObject(10, utc(now));
            ps.executeUpdate();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable alert_state payload", e);
        }
    }

    static String key(String rule, String resource, String principal) {
        return rule + "\u0000" + resource + "\u0000" + principal;
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
