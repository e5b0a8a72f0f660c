package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable outbox, table {@code webhook_outbox}: one row per message and webhook, written in the
 * transaction that decided it ({@link #enqueue}), then due, attempted, delivered, failed or folded
 * into a digest. The store side of delivery only: it sends nothing and knows no HTTP.
 */
public final class Outbox {
    private final EventStore store;

    /** @param store the DuckDB store; may be null for a deliverer that only sends test messages */
    public Outbox(EventStore store) {
        this.store = store;
    }

    /** One message for one webhook, as the outbox holds it. */
    record Row(String deliveryId, String messageId, String kind, String payload, Instant createdAt, int attempts) {}

    /**
     * What one attempt came to, as recorded on its delivery.
     *
     * @param status pending, delivered or failed
     * @param next the next attempt, or null to keep the one recorded
     * @param httpStatus 0 when no answer came
     * @param deliveredAt null unless delivered
     */
    record Outcome(
            String status,
            int attempts,
            Instant next,
            int httpStatus,
            String error,
            long latencyMs,
            Instant deliveredAt) {}

    /** Writes one message for one webhook, due at once; the caller's transaction commits it. */
    static void enqueue(
            Connection c,
            WebhookConfig w,
            String messageId,
            String kind,
            String rule,
            String severity,
            String resource,
            JsonNode payload,
            Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/outbox-enqueue"))) {
            ps.setString(1, messageId + ":" + w.name());
            ps.setString(2, w.name());
            ps.setString(3, messageId);
            ps.setString(4, kind);
            ps.setString(5, rule);
            ps.setString(6, severity);
            ps.setString(7, resource);
            ps.setString(8, payload.toString());
            ps.setObject(9, utc(now));
            ps.executeUpdate();
        }
    }

    /** The webhook's deliveries due at {@code now}, oldest first. */
    List<Row> due(String webhook, Instant now) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = store.reader();
                PreparedStatement ps = c.prepareStatement(Sql.text("alerts/outbox-due"))) {
            ps.setString(1, webhook);
            ps.setObject(2, utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /**
     * Folds pending rows into one digest message in one transaction: the digest is enqueued and each
     * row marked digested, or nothing changes.
     *
     * @return the digest's delivery, due now
     */
    Row fold(WebhookConfig w, String digestId, JsonNode payload, List<Row> rows, Instant now) throws SQLException {
        String deliveryId = digestId + ":" + w.name();
        try (Connection c = store.reader()) {
            c.setAutoCommit(false);
            try {
                enqueue(c, w, digestId, "digest", null, null, null, payload, now);
                try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/outbox-digested"))) {
                    for (Row r : rows) {
                        ps.setString(1, deliveryId);
                        ps.setString(2, r.deliveryId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Row(deliveryId, digestId, "digest", payload.toString(), now, 0);
    }

    /** Records the outcome of an attempt on its delivery. */
    void record(String deliveryId, Outcome o) throws SQLException {
        try (Connection c = store.reader();
                PreparedStatement ps = c.prepareStatement(Sql.text("alerts/outbox-attempt"))) {
            ps.setString(1, o.status());
            ps.setInt(2, o.attempts());
            ps.setObject(3, o.next() == null ? null : utc(o.next()));
            ps.setObject(4, o.httpStatus() == 0 ? null : o.httpStatus());
            ps.setString(5, o.error());
            ps.setLong(6, o.latencyMs());
            ps.setObject(7, o.deliveredAt() == null ? null : utc(o.deliveredAt()));
            ps.setString(8, deliveryId);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** The delivery log of one webhook, newest first: what the API and the Webhooks page show. */
    public List<Map<String, Object>> log(String webhook, int limit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = store.reader();
                PreparedStatement ps = c.prepareStatement(Sql.text("alerts/outbox-log"))) {
            ps.setString(1, webhook);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("delivery", rs.getString(1));
                    m.put("id", rs.getString(2));
                    m.put("kind", rs.getString(3));
                    m.put("rule", rs.getString(4));
                    m.put("severity", rs.getString(5));
                    m.put("resource", rs.getString(6));
                    m.put("status", rs.getString(7));
                    m.put("attempts", rs.getInt(8));
                    m.put("lastStatus", rs.getObject(9));
                    m.put("lastError", rs.getString(10));
                    m.put("latencyMs", rs.getObject(11));
                    m.put("createdAt", time(rs, 12));
                    m.put("deliveredAt", time(rs, 13));
                    m.put("nextAttemptAt", time(rs, 14));
                    m.put("digest", rs.getString(15));
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static String time(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : Times.format(t.toInstant(ZoneOffset.UTC));
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
