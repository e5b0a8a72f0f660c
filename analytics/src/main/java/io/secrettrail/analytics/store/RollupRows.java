package io.secrettrail.analytics.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * How many rollup rows the tables hold and how many were appended since the last compaction: the
 * rollups are compacted, in the batch's transaction, once the partial rows appended since outnumber
 * the compacted ones (and at least {@link Rollups#COMPACT_AFTER}).
 */
final class RollupRows {
    /** The two counts, to put back after a trial write. */
    record Mark(long rows, long sinceCompaction) {}

    private final DuckDBConnection conn;
    private final int topClients;
    private long rows;
    private long sinceCompaction;

    RollupRows(DuckDBConnection conn, int topClients) {
        this.conn = conn;
        this.topClients = topClients;
    }

    /** Counts the stored rows (on open and after a rebuild). */
    void load() throws SQLException {
        rows = count();
    }

    /** After a batch appended rows: compacts when they are due. */
    void appended(long n) throws SQLException {
        rows += n;
        sinceCompaction += n;
        if (sinceCompaction >= Rollups.COMPACT_AFTER && sinceCompaction * 2 >= rows) {
            Rollups.compact(conn, topClients);
            rows = count();
            sinceCompaction = 0;
        }
    }

    /** After a compaction the caller committed. */
    void compacted() {
        sinceCompaction = 0;
    }

    Mark mark() {
        return new Mark(rows, sinceCompaction);
    }

    void reset(Mark m) {
        rows = m.rows();
        sinceCompaction = m.sinceCompaction();
    }

    private long count() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/rollup-rows"))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
