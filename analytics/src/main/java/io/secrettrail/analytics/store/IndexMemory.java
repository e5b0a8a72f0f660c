package io.secrettrail.analytics.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * Frees the memory DuckDB's ART indexes hold before a read that needs it (see store/release-index-memory.sql):
 * an index loaded whole by a write can be neither spilled nor evicted until a checkpoint writes it out. (event_ids'
 * primary key, about 36 bytes per stored event, was the large one; V014 dropped it.)
 */
public final class IndexMemory {
    private IndexMemory() {}

    /**
     * Checkpoints the database of {@code c} on a connection of its own: a checkpoint fails in a transaction that
     * wrote, and would abort it. Does nothing on a read-only connection, which cannot checkpoint.
     */
    public static void release(Connection c) throws SQLException {
        if (c.isReadOnly() || !c.isWrapperFor(DuckDBConnection.class)) {
            return;
        }
        try (Connection own = c.unwrap(DuckDBConnection.class).duplicate();
                Statement st = own.createStatement()) {
            st.execute(Sql.text("store/release-index-memory"));
        }
    }
}
