package io.secrettrail.analytics.rules;

import java.math.BigDecimal;
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
import java.util.Map;

/**
 * Runs rules over {@code secret_facts} with "now" and every threshold bound as parameters (never
 * {@code current_date}): the rule's query sees a one-row {@code params} table.
 */
public final class RuleRunner {
    private final Connection conn;

    /** @param conn a reader connection on which {@link SecretFacts#build} has run */
    public RuleRunner(Connection conn) {
        this.conn = conn;
    }

    public List<Finding> run(Rule rule, Instant asOf, Map<String, Object> values) throws SQLException {
        StringBuilder params = new StringBuilder("SELECT ?::TIMESTAMP AS as_of");
        for (Parameter p : rule.parameters()) {
            params.append(", ?::").append(p.type().equals("DECIMAL") ? "DECIMAL(18,6)" : p.type()).append(" AS ").append(p.sql());
        }
        String sql = "WITH params AS (" + params + "), findings AS (" + rule.sql() + "\n)"
                + " SELECT resource, status, reason, account, region, first_seen, last_seen FROM findings ORDER BY resource";
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(asOf, ZoneOffset.UTC)));
            int i = 2;
            for (Parameter p : rule.parameters()) {
                Object v = values.getOrDefault(p.name(), p.defaultValue());
                if (v instanceof BigDecimal d) {
                    ps.setBigDecimal(i++, d);
                } else {
                    ps.setObject(i++, v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Finding(rule.id(), rule.severity(), rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), instant(rs, 6), instant(rs, 7)));
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
