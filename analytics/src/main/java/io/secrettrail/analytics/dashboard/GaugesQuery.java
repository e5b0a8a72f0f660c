package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.report.Report;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Figures for /metrics: stored counters, alerts of the latest report by rule and severity, webhook deliveries by status. */
final class GaugesQuery {
    private final PageContext ctx;

    GaugesQuery(PageContext ctx) {
        this.ctx = ctx;
    }

    Gauges gauges() throws SQLException {
        Map<String, Long> counters = new TreeMap<>();
        Map<List<String>, Long> deliveries = new TreeMap<>(Comparator.comparing(Object::toString));
        try (Connection c = ctx.store().reader()) {
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("counters"));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counters.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("deliveries-by-status"));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deliveries.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        Map<List<String>, Long> alerts = new TreeMap<>(Comparator.comparing(Object::toString));
        Report r = ctx.report();
        if (r != null) {
            r.alerts().forEach(a -> alerts.merge(List.of(a.rule(), a.severity()), 1L, Long::sum));
        }
        return new Gauges(counters, alerts, deliveries);
    }
}
