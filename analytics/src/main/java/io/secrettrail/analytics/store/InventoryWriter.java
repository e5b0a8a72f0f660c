package io.secrettrail.analytics.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.core.secret.InventoryEntry;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Replaces inventory rows by ARN: the latest entry per secret wins, a tombstone (null) deletes it. */
final class InventoryWriter {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private final DuckDBConnection conn;

    InventoryWriter(DuckDBConnection conn) {
        this.conn = conn;
    }

    void write(Map<String, InventoryEntry> entries) throws SQLException {
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
                if (i == null) {
                    continue; // a tombstone: the delete above was all
                }
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
                put.append(new String(i.raw(), StandardCharsets.UTF_8)).endRow();
            }
        }
    }
}
