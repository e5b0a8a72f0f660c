package io.secrettrail.analytics.store;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;

/** Nullable values into an Appender row, and instants as the UTC timestamps the tables hold. */
final class Cells {
    private Cells() {}

    static void text(DuckDBAppender a, String v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else {
            a.append(v);
        }
    }

    static void whole(DuckDBAppender a, Long v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else {
            a.append(v.longValue());
        }
    }

    static void whole(DuckDBAppender a, Integer v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else {
            a.append(v.intValue());
        }
    }

    static void flag(DuckDBAppender a, Boolean v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else {
            a.append(v.booleanValue());
        }
    }

    static void time(DuckDBAppender a, Instant t) throws SQLException {
        if (t == null) {
            a.appendNull();
        } else {
            a.append(utc(t));
        }
    }

    static LocalDateTime utc(Instant t) {
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
