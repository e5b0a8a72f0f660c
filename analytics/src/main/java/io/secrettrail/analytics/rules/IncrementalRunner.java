package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.analytics.store.Watermarks;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Detections evaluated incrementally, in arrival order (V007). An evaluation reads what arrived after the
 * rule's watermark: from the earliest event time among it (or the previous asOf, if earlier), {@code a}, every
 * hit can change. A hit at t depends only on the events of the window ending at t, so the hits from a time
 * {@code s} on are recomputed from the events from {@code s - window} on. {@code s} is {@code a} moved back to
 * the first hit of every stored incident a hit from {@code s} on could join (last hit within quiet hours of
 * {@code s}), until none is left: then every stored incident either begins at or after {@code s} (recomputed)
 * or ended at least quiet hours before it (kept as it is), and no hit from {@code s} on can join it.
 * Incidents are then listed from the table {@code rule_incidents}, their state judged at asOf.
 *
 * <p>Without a watermark, or with other settings than the last evaluation's, the evaluation starts from
 * scratch, and gives the same incidents and ids as the incremental ones over the same data arriving in
 * order. A rule without a window (first-seen-principal: a first read depends on all history; logging-stopped,
 * which reads the few trail changes; name-probing, which counts every name ever probed) is evaluated from
 * scratch each time, and stored. Posture rules and standing states are run as they are.
 *
 * <p>An evaluation at an asOf before the watermark's (a process restarted with an earlier fixed asOf, a clock
 * set back) starts from scratch too, and stores what it found: the stored incidents are always those of the
 * latest evaluation, and the next one at a later asOf goes on from them (it recomputes from that earlier asOf).
 */
public final class IncrementalRunner {
    private static final ObjectMapper JSON =
            io.secrettrail.core.Json.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Snapshot snapshot;
    private final Connection conn;
    private final RuleRunner runner;
    private final IgnoredCallers ignore;
    private final long upTo;

    public IncrementalRunner(Snapshot snapshot, IgnoredCallers ignore) {
        this(snapshot, ignore, Long.MAX_VALUE);
    }

    /**
     * @param upTo the last arrival the snapshot holds (read before it was built): the watermark never passes
     *     it, so what arrives while a report is built is evaluated again by the next one
     */
    public IncrementalRunner(Snapshot snapshot, IgnoredCallers ignore, long upTo) {
        this.snapshot = snapshot;
        this.conn = snapshot.connection();
        this.runner = new RuleRunner(snapshot, ignore);
        this.ignore = ignore;
        this.upTo = upTo;
    }

    /** The rule's findings at the snapshot's asOf; a detection's are evaluated incrementally and stored. */
    public List<Finding> run(Rule rule, Map<String, Object> values) throws SQLException {
        if (!rule.hits()) {
            return runner.run(rule, values);
        }
        Instant asOf = snapshot.asOf();
        String settings = settings(rule, values);
        Optional<Watermarks.Mark> mark = Watermarks.read(conn, rule.id())
                .filter(m -> m.settings().equals(settings) && !m.asOf().isAfter(asOf));
        Watermarks.Arrivals arrived =
                Watermarks.after(conn, mark.map(Watermarks.Mark::arrival).orElse(0L), upTo);
        Duration quiet = Duration.ofHours(((Number) value(rule, values, "quiet_hours")).longValue());
        Duration window = window(rule, values);
        Instant from = null; // null: from scratch
        if (mark.isPresent() && window != null) {
            Instant a = mark.get().asOf();
            if (arrived.earliest() != null && arrived.earliest().isBefore(a)) {
                a = arrived.earliest();
            }
            from = reach(rule.id(), a, quiet);
        }
        Instant since = from == null || window == null ? null : from.minus(window);
        List<Finding> found = runner.run(rule, values, since);
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("rules/incidents-drop"))) {
                ps.setString(1, rule.id());
                ps.setTimestamp(2, timestamp(from));
                ps.executeUpdate();
            }
            // The Appender: a JDBC batch runs one statement per row, and a detection can store thousands.
            try (DuckDBAppender put = conn.unwrap(DuckDBConnection.class)
                    .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rule_incidents")) {
                for (Finding f : found) {
                    Incident i = f.incident();
                    if (i == null || (from != null && i.firstHit().isBefore(from))) {
                        continue; // before from: stored already, and unchanged
                    }
                    put.beginRow()
                            .append(rule.id())
                            .append(i.id())
                            .append(f.resource())
                            .append(f.principal())
                            .append(utc(i.firstHit()))
                            .append(utc(i.lastHit()))
                            .append(write(f))
                            .endRow();
                }
            }
            Watermarks.write(conn, rule.id(), new Watermarks.Mark(arrived.last(), asOf, settings));
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(auto);
        }
        return list(rule, asOf, quiet);
    }

    /**
     * The earliest instant hits must be recomputed from when hits from {@code a} on can change: {@code a}
     * moved back to the first hit of every stored incident whose last hit is within quiet hours of it.
     */
    private Instant reach(String rule, Instant a, Duration quiet) throws SQLException {
        Instant s = a;
        while (true) {
            Instant first;
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("rules/incidents-reach"))) {
                ps.setString(1, rule);
                ps.setTimestamp(2, timestamp(s.minus(quiet)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    LocalDateTime t = rs.getObject(1, LocalDateTime.class);
                    first = t == null ? null : t.toInstant(ZoneOffset.UTC);
                }
            }
            if (first == null || !first.isBefore(s)) {
                return s;
            }
            s = first;
        }
    }

    private List<Finding> list(Rule rule, Instant asOf, Duration quiet) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("rules/incidents-list"))) {
            ps.setString(1, rule.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Finding f = read(rs.getString(1));
                    Incident i = f.incident();
                    String state = Duration.between(i.lastHit(), asOf).compareTo(quiet) >= 0 ? "closed" : "open";
                    out.add(new Finding(
                            f.rule(),
                            f.severity(),
                            f.resource(),
                            f.status(),
                            f.reason(),
                            f.account(),
                            f.region(),
                            f.firstSeen(),
                            f.lastSeen(),
                            f.principal(),
                            f.evidence(),
                            new Incident(
                                    i.id(),
                                    state,
                                    i.subject(),
                                    i.firstHit(),
                                    i.lastHit(),
                                    i.hits(),
                                    i.mitreId(),
                                    i.mitreName(),
                                    i.runbook(),
                                    i.standing())));
                }
            }
        }
        return out;
    }

    /**
     * How far before a hit the events that decide it reach: the rule's window parameter ({@code *_window_minutes}
     * or {@code *_window_hours}), or the detection's fixed window; null when the rule has none (it reads all
     * history).
     */
    static Duration window(Rule rule, Map<String, Object> values) {
        if (rule.detection().allHistory()) {
            return null;
        }
        for (Parameter p : rule.parameters()) {
            Object v = values.getOrDefault(p.name(), p.defaultValue());
            if (p.sql().endsWith("_window_minutes")) {
                return Duration.ofMinutes(((Number) v).longValue());
            }
            if (p.sql().endsWith("_window_hours")) {
                return Duration.ofHours(((Number) v).longValue());
            }
        }
        Integer fixed = rule.detection().windowMinutes();
        return fixed == null ? null : Duration.ofMinutes(fixed);
    }

    private static Object value(Rule rule, Map<String, Object> values, String sql) {
        for (Parameter p : rule.parameters()) {
            if (p.sql().equals(sql)) {
                return values.getOrDefault(p.name(), p.defaultValue());
            }
        }
        throw new IllegalStateException(rule.id() + " has no parameter bound to " + sql);
    }

    /** The settings an evaluation ran with: its parameters and the callers it ignores. */
    private String settings(Rule rule, Map<String, Object> values) {
        Map<String, String> m = new TreeMap<>();
        for (Parameter p : rule.parameters()) {
            m.put(p.name(), String.valueOf(values.getOrDefault(p.name(), p.defaultValue())));
        }
        return m + " ignore " + ignore.principals() + " " + ignore.kinds();
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    private static String write(Finding f) {
        try {
            return JSON.writeValueAsString(f);
        } catch (IOException e) {
            throw new IllegalStateException("a finding is always JSON", e);
        }
    }

    private static Finding read(String json) {
        try {
            return JSON.readValue(json, Finding.class);
        } catch (IOException e) {
            throw new IllegalStateException("a stored incident is not a finding: " + json, e);
        }
    }
}
