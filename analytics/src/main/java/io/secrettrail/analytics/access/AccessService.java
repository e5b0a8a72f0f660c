package io.secrettrail.analytics.access;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.secrettrail.analytics.report.ReportService;

/**
 * The access ledger: per (secret, principal), the API calls up to asOf, errors, first and last
 * seen, source IPs and user agents — complete, sorted by secret then principal. Principals are keyed
 * as in the report (a role for its sessions). Filters take a secret's ARN or name, or a principal.
 */
public final class AccessService {
    private final Connection conn;
    private final int topClients;

    public AccessService(Connection conn) {
        this(conn, io.secrettrail.analytics.store.StoreLimits.DEFAULT_TOP_CLIENTS);
    }

    /** @param topClients clients (source IP, user agent) listed per secret and principal, by calls; the rest are counted */
    public AccessService(Connection conn, int topClients) {
        this.conn = conn;
        this.topClients = topClients;
    }

    public List<AccessEntry> ledger(Instant asOf) throws SQLException {
        return ledger(asOf, null, null);
    }

    /**
     * @param secret a full or partial ARN or a name (matched against the secret's name), or null for all
     * @param principal a principal key (role or user ARN, ...), or null for all
     */
    public List<AccessEntry> ledger(Instant asOf, String secret, String principal) throws SQLException {
        String sql = ReportService.REFS + """
                , clients AS (
                    SELECT r.arn AS secret, coalesce(e.principal, 'unknown') AS principal, e.source_ip, e.user_agent,
                        count(*) AS calls,
                        count(*) FILTER (WHERE e.error_code IS NOT NULL) AS errors,
                        min(e.event_time) AS first_seen, max(e.event_time) AS last_seen
                    FROM refs r JOIN ev e USING (event_id)
                    WHERE e.event_type = 'AwsApiCall'
                    GROUP BY ALL
                ),
                ranked AS (
                    SELECT *, row_number() OVER (PARTITION BY secret, principal
                        ORDER BY calls DESC, coalesce(source_ip, ''), coalesce(user_agent, '')) <= ? AS top
                    FROM clients
                ),
                ledger AS (
                    SELECT secret, principal, sum(calls)::BIGINT AS calls, sum(errors)::BIGINT AS errors,
                        min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                        array_sort(list(DISTINCT source_ip) FILTER (WHERE top AND source_ip IS NOT NULL)) AS ips,
                        array_sort(list(DISTINCT user_agent) FILTER (WHERE top AND user_agent IS NOT NULL)) AS agents,
                        count(*) FILTER (WHERE NOT top) AS other_clients,
                        coalesce(sum(calls) FILTER (WHERE NOT top), 0)::BIGINT AS other_calls
                    FROM ranked GROUP BY secret, principal
                )
                SELECT * FROM ledger
                WHERE (CAST(? AS VARCHAR) IS NULL OR ? IN (secret, regexp_replace(secret, '-[A-Za-z0-9]{6}$', ''),
                       split_part(secret, ':', 7), regexp_replace(split_part(secret, ':', 7), '-[A-Za-z0-9]{6}$', '')))
                  AND (CAST(? AS VARCHAR) IS NULL OR principal = ?)
                ORDER BY secret, principal""";
        List<AccessEntry> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(asOf, ZoneOffset.UTC)));
            ps.setInt(2, topClients);
            ps.setString(3, secret);
            ps.setString(4, secret);
            ps.setString(5, principal);
            ps.setString(6, principal);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccessEntry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            instant(rs, 5), instant(rs, 6), strings(rs.getArray(7)), strings(rs.getArray(8)), rs.getLong(9), rs.getLong(10)));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
