package io.secrettrail.analytics.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Arrival order (V007): every stored event has an {@code arrival} number, increasing in the order the store
 * appended it, and every rule evaluated incrementally a watermark, the last arrival it has looked at.
 */
public final class Watermarks {
    private Watermarks() {}

    /**
     * What arrived after a watermark.
     *
     * @param events how many events
     * @param last the highest arrival among them (the watermark to store once they are evaluated), or the
     *     watermark itself when nothing arrived
     * @param earliest the earliest event time among them, null when nothing arrived
     * @param latest the latest event time among them, null when nothing arrived
     */
    public record Arrivals(long events, long last, Instant earliest, Instant latest) {
        public boolean none() {
            return events == 0;
        }
    }

    /**
     * A rule's watermark.
     *
     * @param arrival the last arrival its latest evaluation looked at
     * @param asOf the instant that evaluation judged at
     * @param settings the settings it ran with
     */
    public record Mark(long arrival, Instant asOf, String settings) {}

    /** The rule's watermark; empty when it was never evaluated (an evaluation from scratch). */
    public static Optional<Mark> read(Connection c, String rule) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("store/watermark-read"))) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Mark(rs.getLong(1), instant(rs, 2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** Records that the rule, run with {@code settings} at {@code asOf}, has looked at every event up to {@code arrival}. */
    public static void write(Connection c, String rule, Mark mark) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("store/watermark-write"))) {
            ps.setString(1, rule);
            ps.setLong(2, mark.arrival());
            ps.setTimestamp(3, Timestamp.valueOf(LocalDateTime.ofInstant(mark.asOf(), ZoneOffset.UTC)));
            ps.setString(4, mark.settings());
            ps.executeUpdate();
        }
    }

    /** The highest arrival stored (0: no event). */
    public static long latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("store/arrival-next"));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) - 1;
        }
    }

    /** The events that arrived after {@code watermark} (0: every event). */
    public static Arrivals after(Connection c, long watermark) throws SQLException {
        return after(c, watermark, Long.MAX_VALUE);
    }

    /** The events that arrived after {@code watermark} up to {@code upTo} (inclusive). */
    public static Arrivals after(Connection c, long watermark, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("store/arrived-after"))) {
            ps.setLong(1, watermark);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                if (n == 0) {
                    return new Arrivals(0, watermark, null, null);
                }
                return new Arrivals(n, rs.getLong(2), instant(rs, 3), instant(rs, 4));
            }
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
