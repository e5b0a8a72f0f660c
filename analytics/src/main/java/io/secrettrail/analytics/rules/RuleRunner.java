package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs rules with "now" and every threshold bound as parameters (never {@code current_date}): the
 * rule's query sees a one-row {@code params} table beside the relations of the {@link Snapshot} it runs on.
 * The statement is assembled here from the rule's own parameters and columns; its fixed part, the
 * evidence, is {@code sql/rules/evidence.sql}.
 *
 * <p>Every rule returns resource, status, reason, account, region, first_seen, last_seen. A
 * detection may also return {@code severity} (overriding the rule's), {@code principal},
 * {@code window_start}, {@code window_end}, {@code counts} (a STRUCT of the figures it decided on)
 * and {@code event_ids} (every event it decided on); from those the runner builds the finding's
 * {@link Evidence}, looking up source IPs, user agents and sessions in one pass. A detection's rows are
 * incidents (see {@link Rule}); the runner gives each its {@link Incident} with a stable id.
 */
public final class RuleRunner {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    /** Optional columns and the type of their NULL when a rule does not return them. */
    private static final Map<String, String> OPTIONAL = optional();

    private final Snapshot snapshot;
    private final Connection conn;
    private final IgnoredCallers ignore;

    /** @param snapshot what the rules read, and the instant they judge at */
    public RuleRunner(Snapshot snapshot) {
        this(snapshot, IgnoredCallers.NONE);
    }

    /** @param ignore the (principal, caller kind) pairs whose events caller detections leave out */
    public RuleRunner(Snapshot snapshot, IgnoredCallers ignore) {
        this.snapshot = snapshot;
        this.conn = snapshot.connection();
        this.ignore = ignore;
    }

    /** The rule's findings at the snapshot's asOf, with {@code values} for its parameters (defaults otherwise). */
    public List<Finding> run(Rule rule, Map<String, Object> values) throws SQLException {
        return run(rule, values, null);
    }

    /**
     * The rule's findings with its query reading only the events from {@code since} on (null: all): what an
     * incremental evaluation recomputes (see {@link IncrementalRunner}).
     */
    List<Finding> run(Rule rule, Map<String, Object> values, Instant since) throws SQLException {
        StringBuilder params =
                new StringBuilder("SELECT ?::TIMESTAMP AS as_of, ?::VARCHAR AS rule_id, ?::TIMESTAMP AS events_from");
        for (Parameter p : rule.parameters()) {
            params.append(", ?::")
                    .append(p.type().equals("DECIMAL") ? "DECIMAL(18,6)" : p.type())
                    .append(" AS ")
                    .append(p.sql());
        }
        boolean ignoring = rule.callerDetection() && !ignore.isEmpty();
        if (ignoring) {
            params.append(", ?::JSON::VARCHAR[] AS ignore_principals, ?::JSON::VARCHAR[] AS ignore_kinds");
        }
        List<String> where = new ArrayList<>();
        if (since != null) {
            where.add("event_time >= (SELECT events_from FROM params)");
        }
        if (rule.callerDetection() && !snapshot.self().isEmpty()) {
            // SecretTrail's own calls (self.principals, see SelfCalls) are no caller's doing
            where.add("event_id NOT IN (SELECT event_id FROM self_calls)");
        }
        String head = "WITH params AS (" + params + "), "
                + (ignoring || !where.isEmpty()
                        ? "events AS (SELECT * FROM "
                                + (ignoring ? "(" + Sql.text("rules/ignore") + ")" : "main.events")
                                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + "), "
                        : "")
                + "findings AS (" + rule.sql() + "\n)";
        Set<String> has = columns(head);
        StringBuilder select = new StringBuilder(
                "SELECT n.resource, n.status, n.reason, n.account, n.region, n.first_seen, n.last_seen");
        OPTIONAL.forEach((c, type) -> select.append(", ")
                .append(
                        has.contains(c)
                                ? (c.equals("counts") ? "to_json(n.counts)::VARCHAR" : "n." + c)
                                : "NULL::" + type));
        String order = " ORDER BY n.resource, " + (has.contains("principal") ? "n.principal" : "1")
                + (has.contains("first_hit") ? ", n.first_hit" : "");
        String sql;
        if (has.contains("event_ids")) {
            // the limits are bound after the rule's parameters, in the order they appear
            sql = head + "\n" + Sql.text("rules/evidence") + "\n" + select
                    + ", i.events, i.ips[1:?::BIGINT], i.agents[1:?::BIGINT], i.ids[1:?::BIGINT],"
                    + " i.sessions[1:?::BIGINT], i.kinds FROM n LEFT JOIN info i USING (fid)" + order;
        } else {
            sql = head + ", n AS (SELECT * FROM findings) " + select
                    + ", 0, NULL::VARCHAR[], NULL::VARCHAR[], NULL::VARCHAR[], NULL::VARCHAR[], NULL::VARCHAR[] FROM n"
                    + order;
        }
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int next = bind(ps, rule, snapshot.asOfTimestamp(), since, values);
            if (ignoring) {
                ps.setString(next++, io.secrettrail.core.Json.array(ignore.principals()));
                ps.setString(next++, io.secrettrail.core.Json.array(ignore.kinds()));
            }
            if (has.contains("event_ids")) {
                ps.setInt(next++, Evidence.MAX_VALUES);
                ps.setInt(next++, Evidence.MAX_VALUES);
                ps.setInt(next++, Evidence.MAX_EVENT_IDS);
                ps.setInt(next, Evidence.MAX_VALUES);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String severity = rs.getString(8);
                    String principal = rs.getString(9);
                    Evidence evidence = null;
                    if (has.contains("event_ids") || has.contains("counts") || has.contains("window_start")) {
                        evidence = new Evidence(
                                principal,
                                instant(rs, 10),
                                instant(rs, 11),
                                counts(rs.getString(12)),
                                rs.getLong(18),
                                strings(rs.getArray(19)),
                                strings(rs.getArray(20)),
                                strings(rs.getArray(21)),
                                strings(rs.getArray(23)),
                                sessions(rs.getArray(22)));
                    }
                    String resource = rs.getString(1);
                    Instant firstSeen = instant(rs, 6);
                    out.add(new Finding(
                            rule.id(),
                            severity != null ? severity.toLowerCase(Locale.ROOT) : rule.severity(),
                            resource,
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            firstSeen,
                            instant(rs, 7),
                            principal,
                            evidence,
                            incident(rule, rs, resource, principal, firstSeen)));
                }
            }
        }
        return out;
    }

    /**
     * The incident of a detection's row (from the incident pass), or of a standing state's alarm: keyed on
     * (resource, principal) and the time the state began, open while it lasts.
     */
    private static Incident incident(Rule rule, ResultSet rs, String resource, String principal, Instant firstSeen)
            throws SQLException {
        Detection d = rule.detection();
        if (d == null || !"alarm".equals(rs.getString(2))) {
            return null;
        }
        if (d.standing()) {
            String subject = principal == null ? resource : resource + " " + principal;
            return new Incident(
                    Incident.id(rule.id(), subject, firstSeen),
                    "open",
                    subject,
                    firstSeen,
                    instant(rs, 7),
                    1,
                    d.mitreId(),
                    d.mitreName(),
                    rule.runbook(),
                    true);
        }
        String subject = rs.getString(13);
        Instant firstHit = instant(rs, 14);
        return new Incident(
                Incident.id(rule.id(), subject, firstHit),
                rs.getString(17),
                subject,
                firstHit,
                instant(rs, 15),
                rs.getLong(16),
                d.mitreId(),
                d.mitreName(),
                rule.runbook(),
                false);
    }

    private static Map<String, String> optional() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("severity", "VARCHAR");
        m.put("principal", "VARCHAR");
        m.put("window_start", "TIMESTAMP");
        m.put("window_end", "TIMESTAMP");
        m.put("counts", "VARCHAR");
        // a detection's incident (sql/rules/incidents.sql)
        m.put("subject", "VARCHAR");
        m.put("first_hit", "TIMESTAMP");
        m.put("last_hit", "TIMESTAMP");
        m.put("hit_count", "BIGINT");
        m.put("state", "VARCHAR");
        return m;
    }

    /** Which optional columns the rule returns, read from the prepared query's metadata. */
    private Set<String> columns(String head) throws SQLException {
        Set<String> out = new HashSet<>();
        // Prepared, not run: the statement knows its result columns before execution. Bound only: the names
        // are known once bound, and optimising a detection's plan costs more than binding it, for nothing.
        optimizer(false);
        try (PreparedStatement ps = conn.prepareStatement(head + " SELECT * FROM findings")) {
            ResultSetMetaData md = ps.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        } finally {
            optimizer(true);
        }
        return out;
    }

    private void optimizer(boolean on) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text(on ? "rules/optimizer-on" : "rules/optimizer-off"));
        }
    }

    /** Binds asOf and the rule's parameters; returns the next parameter index. */
    private static int bind(PreparedStatement ps, Rule rule, Timestamp asOf, Instant since, Map<String, Object> values)
            throws SQLException {
        ps.setTimestamp(1, asOf);
        ps.setString(2, rule.id());
        ps.setTimestamp(3, since == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(since, ZoneOffset.UTC)));
        int i = 4;
        for (Parameter p : rule.parameters()) {
            Object v = values.getOrDefault(p.name(), p.defaultValue());
            if (v instanceof BigDecimal d) {
                ps.setBigDecimal(i++, d);
            } else {
                ps.setObject(i++, v);
            }
        }
        return i;
    }

    private static Map<String, Object> counts(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("a rule's counts are not a JSON object: " + json, e);
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            if (o != null) {
                out.add(o.toString());
            }
        }
        return out;
    }

    /** Sessions stored as JSON objects, one per distinct session. */
    private static List<Session> sessions(Array a) throws SQLException {
        List<Session> out = new ArrayList<>();
        for (String json : strings(a)) {
            try {
                var n = JSON.readTree(json);
                out.add(new Session(
                        n.path("sessionName").asText(null),
                        n.path("sourceIdentity").asText(null),
                        n.path("accessKeyId").asText(null),
                        n.path("vpcEndpointId").asText(null)));
            } catch (IOException e) {
                throw new IllegalStateException("a session is not a JSON object: " + json, e);
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
