package io.secrettrail.analytics.store;

import io.secrettrail.core.Json;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.SecretRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Pre-aggregates what the dashboard shows, so its pages never scan raw events: per day, secret
 * key, principal and event name ({@code rollup_daily}); per hour, secret key and event name
 * ({@code rollup_hourly}); per secret key, principal, source IP and user agent
 * ({@code rollup_clients}); and every secret key once ({@code secret_keys}).
 *
 * <p>Each batch appends its own partial rows in the batch's transaction (readers sum them), so
 * rollups are exactly as current as the events. When the partial rows appended since the last
 * compaction outnumber the compacted ones (and at least {@link #COMPACT_AFTER}), the tables are
 * rewritten summed, in the same transaction.
 *
 * <p>SecretTrail's own calls ({@link OwnCalls}) count once each on the row of no secret in {@code rollup_daily} and
 * {@code rollup_hourly}, as the report counts them among the unattributed calls; {@code rollup_clients} keeps them
 * per secret, under their principal, for the access ledger, and {@code rollup_own_calls} per day, secret, principal and
 * action, for what that principal needs (its least-privilege policy).
 */
final class Rollups {
    static final long COMPACT_AFTER = 200_000;

    private record DayKey(LocalDate day, String key, String principal, String name, boolean apiCall) {}

    private record HourKey(LocalDateTime hour, String key, String name) {}

    private record ClientKey(String key, String principal, String ip, String agent) {}

    private record OwnKey(LocalDate day, String key, String principal, String name) {}

    private record UnknownKey(LocalDate day, String account, String region, String principal) {}

    private static final class Counts {
        long calls;
        long events;
        long errors;
        Instant first;
        Instant last;

        void add(Instant t, long calls, long events, boolean error) {
            this.calls += calls;
            this.events += events;
            this.errors += error ? calls : 0;
            first = first == null || t.isBefore(first) ? t : first;
            last = last == null || t.isAfter(last) ? t : last;
        }
    }

    private final Map<DayKey, Counts> daily = new HashMap<>();
    private final Map<HourKey, Counts> hourly = new HashMap<>();
    private final Map<ClientKey, Counts> clients = new HashMap<>();
    private final Map<OwnKey, Counts> ownCalls = new HashMap<>();
    private final Map<String, SecretRef> newKeys = new HashMap<>();
    private final Map<UnknownKey, Counts> unknown = new HashMap<>();
    private final Set<String> unknownCounted = new HashSet<>();
    private final OwnCalls own;

    Rollups(OwnCalls own) {
        this.own = own;
    }

    /** A newly stored event; {@code secret} is its first copy's secret, or null if it names none. */
    void event(CloudTrailEvent e, SecretRef secret) {
        event(e, secret, false);
    }

    /**
     * @param untracked the first copy's secret is an unknown name past the cap: the event counts
     *     (events) on the row of no secret, its call only in {@code rollup_unknown_names}
     */
    void event(CloudTrailEvent e, SecretRef secret, boolean untracked) {
        boolean named = secret != null;
        // SecretTrail's own call naming a tracked secret: one call of no secret (its pairs count only as clients)
        boolean ownNamed = named && !untracked && own.owns(e);
        String key = named && !untracked && !ownNamed ? secret.key() : "";
        // An event naming secrets counts its calls by pair (see pair); here only the event itself.
        boolean callHere = !named || ownNamed;
        daily.computeIfAbsent(dayKey(e, key), k -> new Counts()).add(e.eventTime(), callHere ? 1 : 0, 1, e.failed());
        if (callHere) {
            hourly.computeIfAbsent(new HourKey(hour(e.eventTime()), "", e.eventName()), k -> new Counts())
                    .add(e.eventTime(), 1, 0, e.failed());
        }
        if (!named) {
            clients.computeIfAbsent(clientKey(e, ""), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
        }
    }

    /** A newly stored (event, secret) pair. */
    void pair(CloudTrailEvent e, SecretRef secret) {
        if (own.owns(e)) {
            ownCalls.computeIfAbsent(
                            new OwnKey(
                                    LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC),
                                    secret.key(),
                                    nz(e.principal().key()),
                                    e.eventName()),
                            k -> new Counts())
                    .add(e.eventTime(), 1, 0, e.failed());
        } else {
            daily.computeIfAbsent(dayKey(e, secret.key()), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
            hourly.computeIfAbsent(new HourKey(hour(e.eventTime()), secret.key(), e.eventName()), k -> new Counts())
                    .add(e.eventTime(), 1, 0, e.failed());
        }
        clients.computeIfAbsent(clientKey(e, secret.key()), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
        newKeys.putIfAbsent(secret.key(), secret);
    }

    /**
     * A newly stored pair whose name is past the cap of never-confirmed names: counted per day,
     * account, region and principal only. {@code newName}: no pair of this name was stored before.
     */
    void unknown(CloudTrailEvent e, SecretRef secret, boolean newName) {
        boolean first = newName && unknownCounted.add(secret.key());
        Counts c = unknown.computeIfAbsent(
                new UnknownKey(
                        LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC),
                        nz(secret.account()),
                        nz(secret.region()),
                        nz(e.principal().key())),
                k -> new Counts());
        c.add(e.eventTime(), 1, first ? 1 : 0, false);
    }

    private static DayKey dayKey(CloudTrailEvent e, String key) {
        return new DayKey(
                LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC),
                key,
                nz(e.principal().key()),
                e.eventName(),
                e.isApiCall());
    }

    private static ClientKey clientKey(CloudTrailEvent e, String key) {
        return new ClientKey(key, nz(e.principal().key()), nz(e.sourceIp()), nz(e.userAgent()));
    }

    /**
     * Appends the partial rows; adds the secret keys not yet in {@code known} to it and the table.
     *
     * @return rows appended
     */
    long append(DuckDBConnection conn, Set<String> known) throws SQLException {
        long rows = 0;
        if (!daily.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_daily")) {
                for (var e : daily.entrySet()) {
                    DayKey k = e.getKey();
                    Counts c = e.getValue();
                    a.beginRow()
                            .append(k.day())
                            .append(k.key())
                            .append(k.principal())
                            .append(k.name())
                            .append(k.apiCall())
                            .append(c.calls)
                            .append(c.events)
                            .append(c.errors)
                            .append(utc(c.first))
                            .append(utc(c.last))
                            .endRow();
                    rows++;
                }
            }
        }
        if (!hourly.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_hourly")) {
                for (var e : hourly.entrySet()) {
                    a.beginRow()
                            .append(e.getKey().hour())
                            .append(e.getKey().key())
                            .append(e.getKey().name())
                            .append(e.getValue().calls)
                            .append(e.getValue().errors)
                            .endRow();
                    rows++;
                }
            }
        }
        if (!clients.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_clients")) {
                for (var e : clients.entrySet()) {
                    ClientKey k = e.getKey();
                    Counts c = e.getValue();
                    a.beginRow()
                            .append(k.key())
                            .append(k.principal())
                            .append(k.ip())
                            .append(k.agent())
                            .append(c.calls)
                            .append(c.errors)
                            .append(utc(c.first))
                            .append(utc(c.last))
                            .append(0L)
                            .endRow();
                    rows++;
                }
            }
        }
        if (!ownCalls.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_own_calls")) {
                for (var e : ownCalls.entrySet()) {
                    OwnKey k = e.getKey();
                    a.beginRow()
                            .append(k.day())
                            .append(k.key())
                            .append(k.principal())
                            .append(k.name())
                            .append(e.getValue().calls)
                            .append(e.getValue().errors)
                            .endRow();
                    rows++;
                }
            }
        }
        if (!unknown.isEmpty()) {
            // names: Counts.events holds the names first stored by this batch
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_unknown_names")) {
                for (var e : unknown.entrySet()) {
                    UnknownKey k = e.getKey();
                    Counts c = e.getValue();
                    a.beginRow()
                            .append(k.day())
                            .append(k.account())
                            .append(k.region())
                            .append(k.principal())
                            .append(c.calls)
                            .append(c.events)
                            .append(utc(c.first))
                            .append(utc(c.last))
                            .endRow();
                }
            }
        }
        Set<String> added = new HashSet<>();
        try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "secret_keys")) {
            for (SecretRef r : newKeys.values()) {
                if (known.contains(r.key())) {
                    continue;
                }
                a.beginRow().append(r.key()).append(r.resolved());
                for (String v : new String[] {r.account(), r.region(), r.name()}) {
                    if (v == null) {
                        a.appendNull();
                    } else {
                        a.append(v);
                    }
                }
                a.endRow();
                added.add(r.key());
            }
        }
        known.addAll(added);
        return rows;
    }

    /**
     * Rewrites each rollup with its partial rows summed; per (secret, principal), only the
     * {@code topClients} clients with the most calls keep a row of their own, the others are folded
     * into one row (source IP and user agent '', {@code others} = how many clients it holds).
     */
    static void compact(DuckDBConnection conn, int topClients) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/rollups-compact"));
        }
        foldClients(conn, topClients);
    }

    /** Sums rollup_clients and keeps the top clients per (secret, principal), the rest in one others row. */
    private static void foldClients(DuckDBConnection conn, int topClients) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/rollup-clients-fold"))) {
            ps.setInt(1, topClients);
            ps.execute();
        }
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/rollup-clients-replace"));
        }
    }

    /**
     * Builds every rollup from the stored events (a database written before rollups existed, or rollups built with
     * another rule for SecretTrail's own calls), with the same bounds as the incremental rollups: keys never
     * confirmed beyond the cap per account and region (the earliest seen kept) are not tracked. Records {@code own}'s
     * basis beside them.
     */
    static void rebuild(DuckDBConnection conn, StoreLimits limits, OwnCalls own) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/rollups-clear"));
        }
        ownCalls(conn, own);
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/rollups-tracked"))) {
            ps.setInt(1, limits.unconfirmedNames());
            ps.execute();
        }
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/rollups-rebuild"));
        }
        foldClients(conn, limits.topClients());
        writeBasis(conn, own);
    }

    /**
     * The temp table {@code own_calls (event_id)}: the stored events {@code own} owns, from one pass over the events.
     * The marker is Java's regular expression, tried here on each distinct candidate user agent, not translated to SQL: DuckDB's {@code \s} is
     * not Java's.
     */
    private static void ownCalls(DuckDBConnection conn, OwnCalls own) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/own-agents-create"));
        }
        if (own.isEmpty()) {
            try (Statement s = conn.createStatement()) {
                s.execute(Sql.text("store/own-calls-none"));
            }
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/own-agents-candidates"))) {
            ps.setString(1, Json.array(own.principals()));
            ps.setString(2, Json.array(own.actions()));
            ps.execute();
        }
        List<String> marked = new ArrayList<>();
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/own-agents-distinct"))) {
            while (rs.next()) {
                if (own.marked(rs.getString(1))) {
                    marked.add(rs.getString(1));
                }
            }
        }
        try (DuckDBAppender a = conn.createAppender("temp", "main", "own_agents")) {
            for (String agent : marked) {
                a.beginRow().append(agent).endRow();
            }
        }
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/own-calls"));
        }
    }

    /** The rule the stored rollups were built with; {@link OwnCalls#NONE} when none was recorded (before V018). */
    static OwnCalls readBasis(DuckDBConnection conn) throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/rollup-basis-read"))) {
            return rs.next() ? OwnCalls.ofBasis(rs.getString(1)) : OwnCalls.NONE;
        }
    }

    private static void writeBasis(DuckDBConnection conn, OwnCalls own) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/rollup-basis-clear"));
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/rollup-basis-write"))) {
            ps.setString(1, own.basis());
            ps.execute();
        }
    }

    private static LocalDateTime hour(Instant t) {
        return LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.HOURS), ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
