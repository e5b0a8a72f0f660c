package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.core.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One secret in full: its row, calls over time (by hour up to 14 days, else by day), rotations,
 * its inventory entry, who reads it, its alerts and the actions each principal needs.
 */
final class SecretDetailQuery {
    static final Set<String> ROTATION_EVENTS = Set.of(
            "RotateSecret",
            "RotationStarted",
            "RotationSucceeded",
            "RotationFailed",
            "TestRotationFailed",
            "RotationAbandoned",
            "CancelRotateSecret",
            "PutSecretValue",
            "UpdateSecret");

    private record Key(String arn, Filters filters) implements ResultCache.Key<SecretDetail> {
        @Override
        public Class<SecretDetail> type() {
            return SecretDetail.class;
        }
    }

    private final PageContext ctx;
    private final SecretIndex index;
    private final AccessQuery access;

    SecretDetailQuery(PageContext ctx, SecretIndex index, AccessQuery access) {
        this.ctx = ctx;
        this.index = index;
        this.access = access;
    }

    /** The secret, or null if nothing is known of it. */
    SecretDetail secret(String arn, Filters filters) throws SQLException {
        // one secret's page is the same whatever team the lists are narrowed to
        Filters f = ctx.present(filters).forTeam(null);
        return ctx.cache().get(new Key(arn, f), () -> compute(arn, f));
    }

    private SecretDetail compute(String arn, Filters f) throws SQLException {
        List<DayCount> series = new ArrayList<>();
        List<DayCount> rotation = new ArrayList<>();
        Map<String, Object> inventory = new LinkedHashMap<>();
        Map<String, List<String>> roles = new TreeMap<>();
        String granularity;
        SecretRow row;
        try (Connection c = ctx.store().reader()) {
            List<SecretRow> all = index.rows(c, new Filters(f.from(), f.to(), null, null), arn);
            row = all.stream().filter(r -> r.arn().equals(arn)).findFirst().orElse(null);
            if (row == null) {
                return null;
            }
            // Hours when the range spans at most 14 days, else days.
            LocalDate first;
            LocalDate last;
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("secret-hours"))) {
                ps.setString(1, arn);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    LocalDateTime a = rs.getObject(1, LocalDateTime.class);
                    LocalDateTime b = rs.getObject(2, LocalDateTime.class);
                    first = f.from() != null ? f.from() : a == null ? null : a.toLocalDate();
                    last = f.to() != null ? f.to() : b == null ? null : b.toLocalDate();
                }
            }
            boolean hourly =
                    first == null || last == null || !first.plusDays(14).isBefore(last);
            granularity = hourly ? "hour" : "day";
            try (PreparedStatement ps =
                    c.prepareStatement(Rows.sql(hourly ? "secret-calls-hourly" : "secret-calls-daily"))) {
                ps.setString(1, arn);
                Rows.bindRange(ps, 2, f);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        series.add(new DayCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("secret-rotations"))) {
                ps.setString(1, arn);
                ps.setArray(2, c.createArrayOf("VARCHAR", ROTATION_EVENTS.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rotation.add(new DayCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("secret-inventory"))) {
                ps.setString(1, arn);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        inventory.put("rotationEnabled", rs.getObject(1));
                        inventory.put("rotationDays", rs.getObject(2));
                        inventory.put("rotationLambdaArn", rs.getString(3));
                        inventory.put("createdDate", Rows.time(rs, 4));
                        inventory.put("lastRotatedDate", Rows.time(rs, 5));
                        inventory.put("nextRotationDate", Rows.time(rs, 6));
                        inventory.put("lastAccessedDate", Rows.time(rs, 7));
                        inventory.put("deletedDate", Rows.time(rs, 8));
                        inventory.put("primaryRegion", rs.getString(9));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("secret-needed-actions"))) {
                ps.setString(1, arn);
                Rows.bindRange(ps, 2, f);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        roles.put(rs.getString(1), Rows.strings(rs, 2));
                    }
                }
            }
        }
        List<Access> principals = access.access(new Filters(f.from(), f.to(), null, null), arn, null, 1, 1000)
                .items();
        List<Map<String, Object>> alerts = new ArrayList<>();
        Report r = ctx.report();
        if (r != null) {
            r.alerts().stream().filter(a -> arn.equals(a.resource())).forEach(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", a.rule());
                m.put("severity", a.severity());
                m.put("principal", a.principal());
                m.put("reason", a.reason());
                m.put("firstSeen", Times.format(a.firstSeen()));
                m.put("lastSeen", Times.format(a.lastSeen()));
                alerts.add(m);
            });
        }
        return new SecretDetail(row, series, granularity, principals, rotation, inventory, alerts, roles);
    }
}
