package io.secrettrail.analytics.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.core.secret.InventoryEntry;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Replaces inventory rows by ARN (the latest entry per secret wins), marks the rows a tombstone names as gone
 * (never deletes them: a closed month still bills a purged secret), and records the accounts and regions an
 * inventory covers, and keeps each secret's current resource policy.
 */
final class InventoryWriter {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private final DuckDBConnection conn;

    InventoryWriter(DuckDBConnection conn) {
        this.conn = conn;
    }

    void write(Map<String, InventoryEntry> entries, Map<String, Instant> gone, Map<List<String>, String> coverage)
            throws SQLException {
        write(entries);
        if (!gone.isEmpty()) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/inventory-gone"))) {
                for (Map.Entry<String, Instant> g : gone.entrySet()) {
                    ps.setObject(1, Cells.utc(g.getValue()));
                    ps.setString(2, g.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!coverage.isEmpty()) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/inventory-coverage"))) {
                for (Map.Entry<List<String>, String> c : coverage.entrySet()) {
                    ps.setString(1, c.getKey().get(0));
                    ps.setString(2, c.getKey().get(1));
                    ps.setString(3, c.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Replaces the current resource policy of each secret named. */
    void policies(java.util.Collection<io.secrettrail.core.secret.ResourcePolicy> policies) throws SQLException {
        if (policies.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/resource-policy-upsert"))) {
            for (io.secrettrail.core.secret.ResourcePolicy p : policies) {
                ps.setString(1, p.arn());
                ps.setString(2, p.name());
                ps.setString(3, p.policy());
                ps.setObject(4, p.readAt() == null ? null : Cells.utc(p.readAt()));
                ps.setString(5, p.origin());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void write(Map<String, InventoryEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement del = conn.prepareStatement(Sql.text("store/inventory-delete"))) {
            for (String arn : entries.keySet()) {
                del.setString(1, arn);
                del.addBatch();
            }
            del.executeBatch();
        }
        try (DuckDBAppender put = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "inventory")) {
            for (InventoryEntry i : entries.values()) {
                put.beginRow()
                        .append(i.arn())
                        .append(i.name())
                        .append(i.account())
                        .append(i.region());
                Cells.text(put, i.primaryRegion());
                Cells.flag(put, i.rotationEnabled());
                Cells.text(put, i.rotationLambdaArn());
                Cells.whole(put, i.rotationDays());
                for (Instant t : new Instant[] {
                    i.createdDate(),
                    i.lastRotatedDate(),
                    i.lastChangedDate(),
                    i.lastAccessedDate(),
                    i.deletedDate(),
                    i.nextRotationDate()
                }) {
                    Cells.time(put, t);
                }
                try {
                    put.append(JSON.writeValueAsString(i.tags()));
                } catch (JsonProcessingException ex) {
                    throw new SQLException("cannot serialise tags of " + i.arn(), ex);
                }
                put.append(new String(i.raw(), StandardCharsets.UTF_8));
                Cells.time(put, null); // gone_at: listed now
                put.endRow();
            }
        }
    }
}
