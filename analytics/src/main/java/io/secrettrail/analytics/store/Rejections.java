package io.secrettrail.analytics.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Dead letters' headers (never their bytes), in {@code rejections}: for the rejection metric and rule. */
final class Rejections {
    private final DuckDBConnection conn;

    Rejections(DuckDBConnection conn) {
        this.conn = conn;
    }

    void write(List<Batch.RejectionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rejections")) {
            for (Batch.RejectionRow r : rows) {
                a.beginRow().append(r.key()).append(Cells.utc(r.at())).append(r.source());
                Cells.text(a, r.file());
                Cells.whole(a, r.record());
                Cells.text(a, r.field());
                Cells.text(a, r.error());
                Cells.flag(a, r.secretsManager());
                a.append(r.stage()).endRow();
            }
        }
    }

    /** See {@link EventStore#rejectionsBySource()}; read through {@code reader}. */
    static Map<List<String>, Long> bySource(Connection reader) throws SQLException {
        Map<List<String>, Long> out =
                new TreeMap<>(Comparator.comparing((List<String> l) -> l.get(0)).thenComparing(l -> l.get(1)));
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/rejections-by-source"))) {
            while (rs.next()) {
                out.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
        }
        return out;
    }
}
