package io.secrettrail.analytics.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/** The Kafka offsets stored with the data ({@code consumer_offsets}): where each partition resumes. */
final class Offsets {
    private final DuckDBConnection conn;

    Offsets(DuckDBConnection conn) {
        this.conn = conn;
    }

    /** topic → partition → next offset; ends the read transaction. */
    Map<String, Map<Integer, Long>> stored() throws SQLException {
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/offsets-stored"))) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getInt(2), rs.getLong(3));
            }
        }
        conn.commit();
        return out;
    }

    /** Writes the batch's next offsets, in its transaction. */
    void write(Map<String, Map<Integer, Long>> next) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/offsets-write"))) {
            for (var t : next.entrySet()) {
                for (var p : t.getValue().entrySet()) {
                    ps.setString(1, t.getKey());
                    ps.setInt(2, p.getKey());
                    ps.setLong(3, p.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
