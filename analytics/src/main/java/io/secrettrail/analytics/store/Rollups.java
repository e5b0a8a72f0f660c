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

    /** A newly stored event; {@code secret} is its first copy's secret, or null if it names none. */
    void event(CloudTrailEvent e, SecretRef secret) {
        boolean named = secret != null;
        String key = named ? secret.key() : "";
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
                            .append(c.calls).append(c.errors).append(utc(c.first)).append(utc(c.last)).endRow();
                    rows++;
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

    /** Rewrites each rollup with its partial rows summed. */
    static void compact(DuckDBConnection conn) throws SQLException {
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
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE compacted AS
                    SELECT secret_key, principal, source_ip, user_agent, sum(calls)::BIGINT, sum(errors)::BIGINT,
                        min(first_seen), max(last_seen)
                    FROM rollup_clients GROUP BY ALL""");
            s.execute("DELETE FROM rollup_clients");
            s.execute("INSERT INTO rollup_clients SELECT * FROM compacted");
            s.execute("DROP TABLE compacted");
        }
    }

    /** Builds every rollup from the stored events (a database written before rollups existed). */
    static void rebuild(DuckDBConnection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            for (String t : new String[] {"rollup_daily", "rollup_hourly", "rollup_clients", "secret_keys"}) {
                s.execute("DELETE FROM " + t);
            }
            s.execute("""
                    INSERT INTO secret_keys
                    SELECT secret_key, bool_or(resolved), any_value(account), any_value(region), any_value(name)
                    FROM event_secrets GROUP BY secret_key""");
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE pairs AS
                    SELECT e.event_time, coalesce(s.secret_key, '') AS secret_key, coalesce(e.principal, '') AS principal,
                        e.event_name, coalesce(e.event_type = 'AwsApiCall', false) AS api_call, e.error_code IS NOT NULL AS failed,
                        coalesce(e.source_ip, '') AS source_ip, coalesce(e.user_agent, '') AS user_agent,
                        s.secret_key IS NULL OR row_number() OVER (PARTITION BY e.event_id ORDER BY s.secret_key) = 1 AS first
                    FROM events e LEFT JOIN event_secrets s USING (event_id)""");
            s.execute("""
                    INSERT INTO rollup_daily
                    SELECT CAST(event_time AS DATE), secret_key, principal, event_name, api_call, count(*),
                        count(*) FILTER (WHERE first), count(*) FILTER (WHERE failed), min(event_time), max(event_time)
                    FROM pairs GROUP BY ALL""");
            s.execute("""
                    INSERT INTO rollup_hourly
                    SELECT date_trunc('hour', event_time), secret_key, event_name, count(*), count(*) FILTER (WHERE failed)
                    FROM pairs GROUP BY ALL""");
            s.execute("""
                    INSERT INTO rollup_clients
                    SELECT secret_key, principal, source_ip, user_agent, count(*), count(*) FILTER (WHERE failed),
                        min(event_time), max(event_time)
                    FROM pairs GROUP BY ALL""");
            s.execute("DROP TABLE pairs");
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
