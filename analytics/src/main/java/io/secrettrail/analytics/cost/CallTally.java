package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.store.Sql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored events and billed API calls up to asOf, counted once for every month in five grouped queries (not one pass per
 * month): per secret (a call naming n existing secrets counting 1/n, divided here in exact decimals so that
 * sums do not depend on the order of floating-point additions), per month in total, per principal and, for the calls attributed to no secret, per region.
 *
 * <p>Scoped to some secrets (a team's, {@code analyze --team}), every call figure is theirs: the calls attributed to them (their 1/n shares, so a month's calls may be fractional), each principal's shares of
 * those calls; no call is unattributed, since a call naming no existing secret is no team's. The stored events per
 * month stay the whole trail's: they say which months the trail covers.
 */
final class CallTally {
    private static final BigDecimal[] NONE = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};

    /** month -> secret -> [calls in the month, calls in the rate window] */
    private final Map<String, Map<String, BigDecimal[]>> bySecret = new HashMap<>();
    /** month -> [calls, unattributed calls, calls in the rate window] */
    private final Map<String, BigDecimal[]> totals = new HashMap<>();
    /** month -> stored events of any type */
    private final TreeMap<String, Long> events = new TreeMap<>();
    /** month -> principal -> region the calls were made in -> calls (a scope's shares may be fractional) */
    private final Map<String, Map<String, Map<String, BigDecimal>>> principals = new HashMap<>();
    /** month -> region -> [unattributed calls made there, of them in the rate window] */
    private final Map<String, Map<String, long[]>> unattributed = new HashMap<>();

    private CallTally() {}

    static CallTally read(Connection conn, Instant asOf, Instant windowStart, boolean entriesBilled)
            throws SQLException {
        return read(conn, asOf, windowStart, entriesBilled, null);
    }

    /**
     * @param scope the ARNs of the secrets counted (see the class comment), or null for the whole data
     */
    static CallTally read(
            Connection conn, Instant asOf, Instant windowStart, boolean entriesBilled, java.util.Set<String> scope)
            throws SQLException {
        CallTally t = new CallTally();
        String scopeJson = scope == null ? null : json(scope);
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/calls-by-secret"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            ps.setTimestamp(2, CostService.ts(windowStart));
            ps.setBoolean(3, entriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal n = BigDecimal.valueOf(rs.getLong(2));
                    BigDecimal[] acc = t.bySecret
                            .computeIfAbsent(rs.getString(3), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(1), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    acc[0] = acc[0].add(BigDecimal.valueOf(rs.getLong(4)).divide(n, Prices.MC));
                    acc[1] = acc[1].add(BigDecimal.valueOf(rs.getLong(5)).divide(n, Prices.MC));
                }
            }
        }
        if (scope == null) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/calls-by-month"))) {
                ps.setTimestamp(1, CostService.ts(asOf));
                ps.setTimestamp(2, CostService.ts(windowStart));
                ps.setBoolean(3, entriesBilled);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        t.totals.put(rs.getString(1), new BigDecimal[] {
                            BigDecimal.valueOf(rs.getLong(2)),
                            BigDecimal.valueOf(rs.getLong(3)),
                            BigDecimal.valueOf(rs.getLong(4))
                        });
                    }
                }
            }
        } else {
            // the scope's calls are the shares attributed to its secrets, none unattributed
            t.bySecret.forEach((month, secrets) -> {
                BigDecimal[] sum = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
                secrets.forEach((arn, c) -> {
                    if (scope.contains(arn)) {
                        sum[0] = sum[0].add(c[0]);
                        sum[2] = sum[2].add(c[1]);
                    }
                });
                t.totals.put(month, sum);
            });
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/events-by-month"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.events.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        if (scope == null) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/principals-by-month"))) {
                ps.setTimestamp(1, CostService.ts(asOf));
                ps.setBoolean(2, entriesBilled);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        t.principal(
                                rs.getString(1), rs.getString(2), rs.getString(3), BigDecimal.valueOf(rs.getLong(4)));
                    }
                }
            }
        } else {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/principal-shares-by-month"))) {
                ps.setTimestamp(1, CostService.ts(asOf));
                ps.setBoolean(2, entriesBilled);
                ps.setString(3, scopeJson);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // rs 5: (call, scoped secret) pairs of calls naming rs 4 existing secrets, each 1/n
                        t.principal(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                BigDecimal.valueOf(rs.getLong(5)).divide(BigDecimal.valueOf(rs.getLong(4)), Prices.MC));
                    }
                }
            }
            return t;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/unattributed-by-region"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            ps.setTimestamp(2, CostService.ts(windowStart));
            ps.setBoolean(3, entriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] acc = t.unattributed
                            .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(3), k -> new long[2]);
                    acc[0] += rs.getLong(4);
                    acc[1] += rs.getLong(5);
                }
            }
        }
        return t;
    }

    private static String json(java.util.Set<String> arns) {
        try {
            return io.secrettrail.core.Json.mapper().writeValueAsString(new java.util.TreeSet<>(arns));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void principal(String month, String principal, String region, BigDecimal calls) {
        principals
                .computeIfAbsent(month, k -> new TreeMap<>())
                .computeIfAbsent(principal, k -> new HashMap<>())
                .merge(region, calls, BigDecimal::add);
    }

    /** The month of the earliest stored event ("YYYY-MM"), null when there is none. */
    String firstMonth() {
        return events.isEmpty() ? null : events.firstKey();
    }

    long events(String month) {
        return events.getOrDefault(month, 0L);
    }

    Map<String, BigDecimal[]> bySecret(String month) {
        return bySecret.getOrDefault(month, Map.of());
    }

    /** [calls, unattributed calls, calls in the rate window]: whole numbers but under a scope. */
    BigDecimal[] totals(String month) {
        return totals.getOrDefault(month, NONE);
    }

    /** principal -> region the calls were made in -> calls */
    Map<String, Map<String, BigDecimal>> principals(String month) {
        return principals.getOrDefault(month, Map.of());
    }

    /** region the calls were made in -> [unattributed calls, of them in the rate window] */
    Map<String, long[]> unattributed(String month) {
        return unattributed.getOrDefault(month, Map.of());
    }
}
