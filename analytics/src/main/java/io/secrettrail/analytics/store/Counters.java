package io.secrettrail.analytics.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/** The ingest counters ({@code counters}: duplicates, conflicts, undecodable), added to in each batch's transaction. */
final class Counters {
    private final DuckDBConnection conn;

    Counters(DuckDBConnection conn) {
        this.conn = conn;
    }

    void add(String counter, long by) throws SQLException {
        if (by == 0) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/counter-add"))) {
            ps.setString(1, counter);
            ps.setLong(2, by);
            ps.executeUpdate();
        }
    }

    /** The counter's value (0 if never added to); ends the read transaction. */
    long read(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/counter-read"))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                long v = rs.next() ? rs.getLong(1) : 0;
                conn.commit();
                return v;
            }
        }
    }
}
