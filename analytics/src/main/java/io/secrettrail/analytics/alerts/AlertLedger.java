package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.Incident;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
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
 * Alarm episodes and the webhook outbox. A detection's alarm is an incident (table {@code incidents}, see
 * {@link #incidents}): one notification when it is first seen, one update when it escalates to a higher
 * severity while open, a clear when it closes. Every other alarm (posture, a standing state) is compared
 * with the open episodes: an alarm without one opens an episode (a new transition to alarm), an episode without
 * its alarm closes (a transition to ok). Each transition is written to the outbox once per
 * matching webhook, in the same transaction as the episode change, before anything is sent: a
 * crash loses none, and a transition is never enqueued twice.
 */
public final class AlertLedger {
    /** Suppressions made on the dashboard: the latest action per alert, when it is a suppression. */
    private static final String DASHBOARD_SUPPRESSIONS = "SELECT rule, resource, reason, expires, incident FROM ("
            + Sql.text("store/latest-alert-actions") + ") WHERE action = 'suppress'";

    /** The rules whose standing alarms are one episode per incident ({@code "episodes": "per-period"}). */
    private static final java.util.Set<String> PER_PERIOD = RuleCatalog.load().all().stream()
            .filter(r -> r.detection() != null && r.detection().episodePerPeriod())
            .map(Rule::id)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The suffix of a clear's message id to its alarm's. */
    private static final String CLEAR = "-clear";

    private final EventStore store;
    private final WebhookSettings settings;
    private final OcsfFile ocsfFile;
    private volatile int lastLoaded;
    /** The comparison's subjects (set at its start; a comparison runs under the store's writer, one at a time). */
    private Subjects subjects = Subjects.NONE;
    /** The comparison's team of a secret, for the payloads (set at its start as {@link #subjects}; null: none). */
    private java.util.function.Function<String, String> teams = arn -> null;

    public AlertLedger(EventStore store, WebhookSettings settings) {
        this.store = store;
        this.settings = settings;
        this.ocsfFile = settings.ocsfFile() == null ? null : new OcsfFile(settings.ocsfFile());
    }

    /** Outcome of one comparison. */
    public record Transitions(int opened, int closed, int enqueued, int suppressed) {}

    public Transitions record(List<Finding> alarms, Instant now) throws SQLException {
        return record(alarms, null, now);
    }

    /**
     * @param teamOf the team owning a secret (a report's {@link io.secrettrail.analytics.report.Report#teamOf}), for
     *     routes by team; null: read from a {@code secret_owners} table the store holds, when it holds one
     */
    public Transitions record(List<Finding> alarms, java.util.function.Function<String, String> teamOf, Instant now)
            throws SQLException {
        try (Connection c = store.reader()) {
            c.setAutoCommit(false);
            try {
                List<JsonNode> sent = new ArrayList<>();
                Transitions t = record(c, alarms, teamOf, now, sent);
                if (ocsfFile != null) {
                    // on disk before the transitions commit: a crash in between sends them again, to the same
                    // finding ids, which updates the findings downstream instead of losing one
                    ocsfFile.append(sent);
                }
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Transitions record(
            Connection c,
            List<Finding> all,
            java.util.function.Function<String, String> teamOf,
            Instant now,
            List<JsonNode> sent)
            throws SQLException {
        Silences dashboard = dashboardSuppressions(c, now);
        // routes by team and tag read the secrets' owners and tags once per comparison, and only when a route asks
        subjects = settings.webhooks().stream().allMatch(w -> w.route().any())
                ? Subjects.NONE
                : Subjects.of(c, null, teamOf);
        // a payload names the team of its secret: the report's ownership, else the store's secret_owners (if any)
        teams = teamOf != null ? teamOf : Subjects.teams(c)::get;
        List<Finding> alarms = new ArrayList<>();
        List<Finding> incidents = new ArrayList<>();
        for (Finding f : all) {
            if (f.alarm()) {
                (f.incident() != null && !f.incident().standing() ? incidents : alarms).add(f);
            }
        }
        Transitions t = incidents(c, incidents, now, dashboard, sent);
        Transitions e = episodes(c, alarms, now, dashboard, sent);
        return new Transitions(
                t.opened() + e.opened(),
                t.closed() + e.closed(),
                t.enqueued() + e.enqueued(),
                t.suppressed() + e.suppressed());
    }

    /**
     * The incidents of the detections against those recorded. An incident seen for the first time is
     * notified (even when it is already closed: it happened, and nobody was told), its severity and state
     * recorded; a recorded one that is still open sends one update per escalation to a higher severity,
     * and a clear to the {@code notifyClear} webhooks when it closes (or no longer shows, as when a threshold
     * was raised). Recording and enqueueing share the transaction, so across a restart each message goes
     * out once. A closed incident stays recorded: the rules read it so that a late event never reopens it.
     */
    private Transitions incidents(
            Connection c, List<Finding> current, Instant now, Silences dashboard, List<JsonNode> sent)
            throws SQLException {
        Map<String, String[]> known = known(c, current);
        int opened = 0;
        int closed = 0;
        int enqueued = 0;
        int suppressed = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Finding f : current) {
            Incident i = f.incident();
            seen.add(i.id());
            String[] was = known.get(i.id());
            ObjectNode payload = Payloads.of(i.id(), "alarm", f, teams.apply(f.resource()), now);
            boolean silenced = silenced(f.rule(), f.resource(), i.id(), now, dashboard);
            if (was == null) {
                try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/incident-insert"))) {
                    ps.setString(1, i.id());
                    ps.setString(2, f.rule());
                    ps.setString(3, i.subject());
                    ps.setString(4, f.resource());
                    ps.setString(5, nz(f.principal()));
                    ps.setObject(6, Outbox.utc(i.firstHit()));
                    ps.setObject(7, Outbox.utc(i.lastHit()));
                    ps.setString(8, f.severity());
                    ps.setString(9, i.state());
                    ps.setObject(10, Outbox.utc(now));
                    ps.setObject(11, i.open() ? null : Outbox.utc(now));
                    ps.setString(12, payload.toString());
                    ps.executeUpdate();
                }
                if (!i.open()) {
                    freeze(c, i.id(), f.rule());
                }
                opened++;
                if (silenced) {
                    suppressed++;
                    continue;
                }
                enqueued += notify(
                        c,
                        sent,
                        i.id(),
                        "alarm",
                        f.rule(),
                        f.severity(),
                        f.resource(),
                        f.account(),
                        payload,
                        now,
                        false);
                continue;
            }
            boolean wasOpen = "open".equals(was[1]);
            boolean escalates = wasOpen && WebhookConfig.rank(f.severity()) > WebhookConfig.rank(was[0]);
            String severity = escalates ? f.severity() : was[0];
            update(c, i.id(), i.lastHit(), severity, wasOpen ? i.state() : was[1], now, payload);
            if (escalates && i.open()) {
                ObjectNode update =
                        Payloads.of(i.id() + "-" + f.severity(), "escalation", f, teams.apply(f.resource()), now);
                if (silenced) {
                    suppressed++;
                } else {
                    enqueued += notify(
                            c,
                            sent,
                            i.id() + "-" + f.severity(),
                            "escalation",
                            f.rule(),
                            f.severity(),
                            f.resource(),
                            f.account(),
                            update,
                            now,
                            false);
                }
            }
            if (wasOpen && !i.open()) {
                freeze(c, i.id(), f.rule());
                closed++;
                ObjectNode clear = Payloads.clear(payload, i.id() + CLEAR, now);
                if (silenced) {
                    suppressed++;
                } else {
                    enqueued += notify(
                            c,
                            sent,
                            i.id() + CLEAR,
                            "clear",
                            f.rule(),
                            severity,
                            f.resource(),
                            f.account(),
                            clear,
                            now,
                            true);
                }
            }
        }
        for (var e : known.entrySet()) {
            if (seen.contains(e.getKey()) || !"open".equals(e.getValue()[1])) {
                continue;
            }
            // an open incident that no longer shows (its rule's threshold raised, its events gone): cleared
            JsonNode was = Payloads.read(e.getValue()[2], "incidents");
            Instant lastHit = Instant.parse(was.path("lastHit").asText());
            update(c, e.getKey(), lastHit, e.getValue()[0], "closed", now, (ObjectNode) was);
            closed++;
            String rule = was.path("rule").asText();
            freeze(c, e.getKey(), rule);
            String resource = was.path("resource").asText();
            if (silenced(rule, resource, e.getKey(), now, dashboard)) {
                suppressed++;
                continue;
            }
            ObjectNode clear = Payloads.clear(was, e.getKey() + CLEAR, now);
            enqueued += notify(
                    c,
                    sent,
                    e.getKey() + CLEAR,
                    "clear",
                    rule,
                    e.getValue()[0],
                    resource,
                    was.path("account").asText(null),
                    clear,
                    now,
                    true);
        }
        return new Transitions(opened, closed, enqueued, suppressed);
    }

    /**
     * The recorded incidents this comparison needs (see incidents-known.sql): the open ones and those the
     * findings name, by id: {severity, state, payload (of an open one only)}.
     */
    private Map<String, String[]> known(Connection c, List<Finding> current) throws SQLException {
        var ids = io.secrettrail.core.Json.mapper().createArrayNode();
        current.forEach(f -> ids.add(f.incident().id()));
        Map<String, String[]> known = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/incidents-known"))) {
            ps.setString(1, ids.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        lastLoaded = known.size();
        return known;
    }

    /** How many recorded incidents the last comparison read: what it needed, not the table's history. */
    int lastLoaded() {
        return lastLoaded;
    }

    /**
     * Records what had arrived when an incident was recorded closed (V009): hits arriving later within its
     * bounds form incidents of their own instead of changing it.
     */
    private static void freeze(Connection c, String id, String rule) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/incident-freeze"))) {
            ps.setString(1, id);
            ps.setString(2, rule);
            ps.executeUpdate();
        }
    }

    private static void update(
            Connection c, String id, Instant lastHit, String severity, String state, Instant now, ObjectNode payload)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/incident-update"))) {
            ps.setString(1, id);
            ps.setObject(2, Outbox.utc(lastHit));
            ps.setString(3, severity);
            ps.setString(4, state);
            ps.setObject(5, "closed".equals(state) ? Outbox.utc(now) : null);
            ps.setString(6, payload.toString());
            ps.executeUpdate();
        }
    }

    /**
     * One transition: kept in {@code sent} (for the OCSF file, which takes every one), and enqueued to every
     * webhook that wants it. A clear goes only to those with notifyClear, and of those to the ones its alarm went
     * to (a retag in between must not move it); when none holds the alarm, to those its route takes now.
     * @return deliveries enqueued
     */
    private int notify(
            Connection c,
            List<JsonNode> sent,
            String id,
            String kind,
            String rule,
            String severity,
            String resource,
            String account,
            JsonNode payload,
            Instant now,
            boolean clear)
            throws SQLException {
        sent.add(payload);
        java.util.Set<String> alarmed = clear ? alarmWebhooks(c, id.substring(0, id.length() - CLEAR.length())) : null;
        int n = 0;
        for (WebhookConfig w : settings.webhooks()) {
            boolean take = clear && !alarmed.isEmpty()
                    ? w.notifyClear() && alarmed.contains(w.name())
                    : (!clear || w.notifyClear()) && w.wants(rule, severity, subject(resource, account));
            if (take) {
                Outbox.enqueue(c, w, id, kind, rule, severity, resource, payload, now);
                n++;
            }
        }
        return n;
    }

    /** A stored payload's time, null when it has none or it does not parse (the episode then stays as it is). */
    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Posture alarms and standing states: one episode per (rule, resource, principal), as before incidents. */
    private Transitions episodes(
            Connection c, List<Finding> alarms, Instant now, Silences dashboard, List<JsonNode> sent)
            throws SQLException {
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
        int opened = 0;
        int closed = 0;
        int enqueued = 0;
        int suppressed = 0;
        // a standing line of a rule judged per period ("episodes": "per-period", the budget's next month: one
        // incident per line and month) whose incident began again later is a new episode: the old one closes
        // first, then the new one opens and is notified. An incident that only moved earlier (a late file) stays
        // the episode it was, and so does every other rule's: a public policy put again is still one exposure.
        for (var e : current.entrySet()) {
            String[] was = open.get(e.getKey());
            Incident incident = e.getValue().incident();
            if (was != null
                    && incident != null
                    && PER_PERIOD.contains(e.getValue().rule())) {
                JsonNode before = Payloads.read(was[1], "alert_state");
                String id = before.path("incident").asText(null);
                Instant firstHit = instant(before.path("firstHit").asText(null));
                if (id != null
                        && !id.equals(incident.id())
                        && firstHit != null
                        && incident.firstHit().isAfter(firstHit)) {
                    int[] n = closeEpisode(c, e.getKey(), was, now, dashboard, sent);
                    closed++;
                    enqueued += n[0];
                    suppressed += n[1];
                    open.remove(e.getKey());
                }
            }
        }
        for (var e : current.entrySet()) {
            if (open.containsKey(e.getKey())) {
                continue;
            }
            Finding f = e.getValue();
            String episode = UUID.nameUUIDFromBytes((e.getKey() + "\u0000" + now).getBytes(StandardCharsets.UTF_8))
                    .toString();
            ObjectNode payload = Payloads.of(episode, "alarm", f, teams.apply(f.resource()), now);
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
            if (silenced(
                    f.rule(),
                    f.resource(),
                    f.incident() == null ? null : f.incident().id(),
                    now,
                    dashboard)) {
                suppressed++;
                continue;
            }
            enqueued += notify(
                    c, sent, episode, "alarm", f.rule(), f.severity(), f.resource(), f.account(), payload, now, false);
        }
        for (var e : open.entrySet()) {
            if (current.containsKey(e.getKey())) {
                continue;
            }
            int[] n = closeEpisode(c, e.getKey(), e.getValue(), now, dashboard, sent);
            closed++;
            enqueued += n[0];
            suppressed += n[1];
        }
        return new Transitions(opened, closed, enqueued, suppressed);
    }

    /**
     * Closes an open episode ({episode, payload} under its key) and enqueues its clear to the notifyClear webhooks.
     *
     * @return {messages enqueued, 1 when the clear was suppressed}
     */
    private int[] closeEpisode(
            Connection c, String key, String[] episode, Instant now, Silences dashboard, List<JsonNode> sent)
            throws SQLException {
        String[] parts = key.split("\u0000", -1);
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/episode-close"))) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            ps.setString(3, parts[2]);
            ps.executeUpdate();
        }
        JsonNode was = Payloads.read(episode[1], "alert_state");
        ObjectNode payload = Payloads.clear(was, episode[0] + CLEAR, now);
        String severity = was.path("severity").asText();
        if (silenced(parts[0], parts[1], null, now, dashboard)) {
            return new int[] {0, 1};
        }
        int enqueued = notify(
                c,
                sent,
                episode[0] + CLEAR,
                "clear",
                parts[0],
                severity,
                parts[1],
                was.path("account").asText(null),
                payload,
                now,
                true);
        return new int[] {enqueued, 0};
    }

    /** The webhooks holding a message of the alarm {@code alarmId} (the alarm or an escalation of it). */
    private static java.util.Set<String> alarmWebhooks(Connection c, String alarmId) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/alarm-webhooks"))) {
            ps.setString(1, alarmId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private Route.Subject subject(String resource, String account) {
        return subjects.of(resource, account);
    }

    private boolean silenced(String rule, String resource, String incident, Instant now, Silences dashboard) {
        return settings.suppressions().stream().anyMatch(s -> s.matches(rule, resource, now))
                || dashboard.alerts().stream().anyMatch(s -> s.matches(rule, resource, now))
                || (incident != null && dashboard.incidents().contains(incident));
    }

    /** Suppressions made on the dashboard: of alerts (rule, resource), and of single incidents (by id). */
    private record Silences(List<Suppression> alerts, java.util.Set<String> incidents) {}

    /** Suppressions made on the dashboard: the latest action per alert, when it is a suppression not yet expired. */
    private static Silences dashboardSuppressions(Connection c, Instant now) throws SQLException {
        List<Suppression> out = new ArrayList<>();
        java.util.Set<String> incidents = new java.util.HashSet<>();
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
                    if (rs.getString(5).isEmpty()) {
                        out.add(s);
                    } else {
                        incidents.add(rs.getString(5));
                    }
                }
            }
        }
        return new Silences(out, incidents);
    }

    static String key(String rule, String resource, String principal) {
        return rule + "\u0000" + resource + "\u0000" + principal;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
