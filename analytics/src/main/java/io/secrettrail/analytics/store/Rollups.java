package io.secrettrail.analytics.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.SecretRef;

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
 */
final class Rollups {
    static final long COMPACT_AFTER = 200_000;

    private record DayKey(LocalDate day, String key, String principal, String name, boolean apiCall) {}

    private record HourKey(LocalDateTime hour, String key, String name) {}

    private record ClientKey(String key, String principal, String ip, String agent) {}

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
    private final Map<String, SecretRef> newKeys = new HashMap<>();
    private final Map<UnknownKey, Counts> unknown = new HashMap<>();
    private final Set<String> unknownCounted = new HashSet<>();

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
        String key = named && !untracked ? secret.key() : "";
        // An event naming secrets counts its calls by pair (see pair); here only the event itself.
        daily.computeIfAbsent(dayKey(e, key), k -> new Counts()).add(e.eventTime(), named ? 0 : 1, 1, e.failed());
        if (!named) {
            hourly.computeIfAbsent(new HourKey(hour(e.eventTime()), "", e.eventName()), k -> new Counts())
                    .add(e.eventTime(), 1, 0, e.failed());
            clients.computeIfAbsent(clientKey(e, ""), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
        }
    }

    /** A newly stored (event, secret) pair. */
    void pair(CloudTrailEvent e, SecretRef secret) {
        daily.computeIfAbsent(dayKey(e, secret.key()), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
        hourly.computeIfAbsent(new HourKey(hour(e.eventTime()), secret.key(), e.eventName()), k -> new Counts())
                .add(e.eventTime(), 1, 0, e.failed());
        clients.computeIfAbsent(clientKey(e, secret.key()), k -> new Counts()).add(e.eventTime(), 1, 0, e.failed());
        newKeys.putIfAbsent(secret.key(), secret);
    }

    /**
     * A newly stored pair whose name is past the cap of never-confirmed names: counted per day,
     * account, region and principal only. {@code newName}: no pair of this name was stored before.
     */
    void unknown(CloudTrailEvent e, SecretRef secret, boolean newName) {
        boolean first = newName && unknownCounted.add(secret.key());
        Counts c = unknown.computeIfAbsent(new UnknownKey(LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC), nz(secret.account()),
                nz(secret.region()), nz(e.principal().key())), k -> new Counts());
        c.add(e.eventTime(), 1, first ? 1 : 0, false);
    }

    private static DayKey dayKey(CloudTrailEvent e, String key) {
        return new DayKey(LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC), key, nz(e.principal().key()), e.eventName(),
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
                    a.beginRow().append(k.day()).append(k.key()).append(k.principal()).append(k.name()).append(k.apiCall())
                            .append(c.calls).append(c.events).append(c.errors).append(utc(c.first)).append(utc(c.last)).endRow();
                    rows++;
                }
            }
        }
        if (!hourly.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_hourly")) {
                for (var e : hourly.entrySet()) {
                    a.beginRow().append(e.getKey().hour()).append(e.getKey().key()).append(e.getKey().name())
                            .append(e.getValue().calls).append(e.getValue().errors).endRow();
                    rows++;
                }
            }
        }
        if (!clients.isEmpty()) {
            try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rollup_clients")) {
                for (var e : clients.entrySet()) {
                    ClientKey k = e.getKey();
                    Counts c = e.getValue();
                    a.beginRow().append(k.key()).append(k.principal()).append(k.ip()).append(k.agent())
                            .append(c.calls).append(c.errors).append(utc(c.first)).append(utc(c.last)).append(0L).endRow();
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
                    a.beginRow().append(k.day()).append(k.account()).append(k.region()).append(k.principal())
                            .append(c.calls).append(c.events).append(utc(c.first)).append(utc(c.last)).endRow();
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
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE compacted AS
                    SELECT day, secret_key, principal, event_name, api_call, sum(calls)::BIGINT, sum(events)::BIGINT,
                        sum(errors)::BIGINT, min(first_seen), max(last_seen)
                    FROM rollup_daily GROUP BY ALL""");
            s.execute("DELETE FROM rollup_daily");
            s.execute("INSERT INTO rollup_daily SELECT * FROM compacted");
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE compacted AS
                    SELECT hour, secret_key, event_name, sum(calls)::BIGINT, sum(errors)::BIGINT FROM rollup_hourly GROUP BY ALL""");
            s.execute("DELETE FROM rollup_hourly");
            s.execute("INSERT INTO rollup_hourly SELECT * FROM compacted");
            foldClients(s, topClients);
            s.execute("DROP TABLE compacted");
        }
    }

    /** Sums rollup_clients and keeps the top clients per (secret, principal), the rest in one others row. */
    private static void foldClients(Statement s, int topClients) throws SQLException {
        s.execute("""
                CREATE OR REPLACE TEMP TABLE compacted AS
                WITH summed AS (
                    SELECT secret_key, principal, source_ip, user_agent, coalesce(others, 0) > 0 AS folded,
                        sum(calls)::BIGINT AS calls, sum(errors)::BIGINT AS errors, min(first_seen) AS first_seen,
                        max(last_seen) AS last_seen, sum(coalesce(others, 0))::BIGINT AS others
                    FROM rollup_clients GROUP BY secret_key, principal, source_ip, user_agent, folded
                ),
                ranked AS (
                    SELECT *, row_number() OVER (PARTITION BY secret_key, principal
                                                 ORDER BY folded, calls DESC, source_ip, user_agent) AS rank
                    FROM summed
                )
                SELECT secret_key, principal, source_ip, user_agent, calls, errors, first_seen, last_seen, 0::BIGINT AS others
                FROM ranked WHERE NOT folded AND rank <= %1$d
                UNION ALL
                SELECT secret_key, principal, '', '', sum(calls)::BIGINT, sum(errors)::BIGINT, min(first_seen), max(last_seen),
                    sum(CASE WHEN folded THEN others ELSE 1 END)::BIGINT
                FROM ranked WHERE folded OR rank > %1$d GROUP BY secret_key, principal""".formatted(topClients));
        s.execute("DELETE FROM rollup_clients");
        s.execute("INSERT INTO rollup_clients SELECT * FROM compacted");
    }

    /**
     * Successful events that show a secret exists: any successful call but a BatchGetSecretValue
     * (which succeeds while naming ids that do not exist), and every service event.
     */
    static final String CONFIRMS = "((e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall')";

    /**
     * Builds every rollup from the stored events (a database written before rollups existed),
     * with the same bounds as the incremental rollups.
     */
    static void rebuild(DuckDBConnection conn, StoreLimits limits) throws SQLException {
        try (Statement s = conn.createStatement()) {
            for (String t : new String[] {"rollup_daily", "rollup_hourly", "rollup_clients", "secret_keys", "rollup_unknown_names"}) {
                s.execute("DELETE FROM " + t);
            }
            // Keys never confirmed beyond the cap per account and region (the earliest seen kept)
            // are not tracked.
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE tracked AS
                    WITH keys AS (
                        SELECT secret_key, bool_or(resolved) AS resolved, any_value(account) AS account,
                            any_value(region) AS region, any_value(name) AS name, min(event_time) AS first
                        FROM event_secrets GROUP BY secret_key
                    ),
                    confirming AS (
                        SELECT DISTINCT s.secret_key FROM event_secrets s JOIN events e USING (event_id) WHERE %s
                    ),
                    judged AS (
                        SELECT k.*, k.secret_key IN (SELECT secret_key FROM confirming) OR k.secret_key IN (SELECT arn FROM inventory)
                            OR EXISTS (SELECT 1 FROM inventory i WHERE i.account = k.account AND i.region = k.region AND i.name = k.name)
                            AS confirmed
                        FROM keys k
                    )
                    SELECT *, confirmed OR row_number() OVER (PARTITION BY confirmed, coalesce(account, ''), coalesce(region, '')
                                                              ORDER BY first, secret_key) <= %d AS kept
                    FROM judged""".formatted(CONFIRMS, limits.unconfirmedNames()));
            s.execute("""
                    INSERT INTO secret_keys
                    SELECT secret_key, resolved, account, region, name FROM tracked WHERE kept""");
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE pairs AS
                    SELECT e.event_time, e.event_id, CASE WHEN t.kept THEN s.secret_key ELSE '' END AS secret_key,
                        coalesce(NOT t.kept, false) AS untracked, s.secret_key AS name_key,
                        coalesce(s.account, '') AS account, coalesce(s.region, '') AS region,
                        coalesce(e.principal, '') AS principal,
                        e.event_name, coalesce(e.event_type = 'AwsApiCall', false) AS api_call, e.error_code IS NOT NULL AS failed,
                        coalesce(e.source_ip, '') AS source_ip, coalesce(e.user_agent, '') AS user_agent,
                        s.secret_key IS NULL OR row_number() OVER (PARTITION BY e.event_id ORDER BY s.secret_key) = 1 AS first
                    FROM events e LEFT JOIN event_secrets s USING (event_id) LEFT JOIN tracked t ON t.secret_key = s.secret_key""");
            s.execute("""
                    INSERT INTO rollup_daily
                    SELECT CAST(event_time AS DATE), secret_key, principal, event_name, api_call, count(*) FILTER (WHERE NOT untracked),
                        count(*) FILTER (WHERE first), count(*) FILTER (WHERE failed AND NOT untracked), min(event_time), max(event_time)
                    FROM pairs WHERE first OR NOT untracked GROUP BY ALL""");
            s.execute("""
                    INSERT INTO rollup_hourly
                    SELECT date_trunc('hour', event_time), secret_key, event_name, count(*), count(*) FILTER (WHERE failed)
                    FROM pairs WHERE NOT untracked GROUP BY ALL""");
            s.execute("""
                    INSERT INTO rollup_clients
                    SELECT secret_key, principal, source_ip, user_agent, count(*), count(*) FILTER (WHERE failed),
                        min(event_time), max(event_time), 0
                    FROM pairs WHERE NOT untracked GROUP BY secret_key, principal, source_ip, user_agent""");
            s.execute("""
                    INSERT INTO rollup_unknown_names
                    SELECT CAST(event_time AS DATE), account, region, principal, count(*), count(*) FILTER (WHERE first_of_name),
                        min(event_time), max(event_time)
                    FROM (SELECT *, row_number() OVER (PARTITION BY name_key ORDER BY event_time, event_id) = 1 AS first_of_name
                          FROM pairs WHERE untracked)
                    GROUP BY ALL""");
            foldClients(s, limits.topClients());
            s.execute("DROP TABLE IF EXISTS compacted");
            s.execute("DROP TABLE pairs");
            s.execute("DROP TABLE tracked");
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
