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
 */
final class CallTally {
    private static final long[] NONE = {0, 0, 0};

    /** month -> secret -> [calls in the month, calls in the rate window] */
    private final Map<String, Map<String, BigDecimal[]>> bySecret = new HashMap<>();
    /** month -> [calls, unattributed calls, calls in the rate window] */
    private final Map<String, long[]> totals = new HashMap<>();
    /** month -> stored events of any type */
    private final TreeMap<String, Long> events = new TreeMap<>();
    /** month -> principal -> region the calls were made in -> calls */
    private final Map<String, Map<String, Map<String, Long>>> principals = new HashMap<>();
    /** month -> region -> [unattributed calls made there, of them in the rate window] */
    private final Map<String, Map<String, long[]>> unattributed = new HashMap<>();

    private CallTally() {}

    static CallTally read(Connection conn, Instant asOf, Instant windowStart, boolean entriesBilled)
            throws SQLException {
        CallTally t = new CallTally();
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
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/calls-by-month"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            ps.setTimestamp(2, CostService.ts(windowStart));
            ps.setBoolean(3, entriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.totals.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/events-by-month"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.events.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/principals-by-month"))) {
            ps.setTimestamp(1, CostService.ts(asOf));
            ps.setBoolean(2, entriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.principals
                            .computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new HashMap<>())
                            .merge(rs.getString(3), rs.getLong(4), Long::sum);
                }
            }
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

    long[] totals(String month) {
        return totals.getOrDefault(month, NONE);
    }

    /** principal -> region the calls were made in -> calls */
    Map<String, Map<String, Long>> principals(String month) {
        return principals.getOrDefault(month, Map.of());
    }

    /** region the calls were made in -> [unattributed calls, of them in the rate window] */
    Map<String, long[]> unattributed(String month) {
        return unattributed.getOrDefault(month, Map.of());
    }
}
