package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: V017 adds {@code digest_marks}, the once-per-period record of scheduled digests. A database file of the
 * release before it (the shipped migrations below V017, byte for byte) with stored events and a pending webhook
 * delivery opens and is upgraded in place: the table exists, empty (so each digest sends its current period at the
 * first report), the statements the digests use run on it, and what was stored is untouched.
 */
class DigestMarksMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    static final LocalDateTime PERIOD = LocalDateTime.parse("2026-11-30T09:00:00");

    @Test
    void a_database_of_the_release_before_v017_opens_and_is_upgraded_in_place(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (URLClassLoader loader = MigrationsBefore.copy(dir, 17);
                Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            Migrations.at(MigrationsBefore.FOLDER, loader, CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch) VALUES (uuid(), 'get-1', TIMESTAMP '2026-11-01 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'GetSecretValue', true, false)");
                s.execute("INSERT INTO webhook_outbox (delivery_id, webhook, message_id, kind, payload, created_at,"
                        + " status, attempts, next_attempt_at) VALUES ('d-1', 'oncall', 'm-1', 'alarm', '{}',"
                        + " TIMESTAMP '2026-11-30 08:00:00', 'pending', 0, TIMESTAMP '2026-11-30 08:00:00')");
                assertThat(count(s, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'digest_marks'"))
                        .as("the release before has no such table")
                        .isZero();
            }
        }
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM schema_version WHERE name = 'V017__digests'"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM digest_marks")).isZero();
            assertThat(marked(r)).as("no period is marked after the upgrade").isFalse();
            assertThat(count(s, "SELECT count(*) FROM events WHERE event_id = 'get-1'"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM webhook_outbox WHERE delivery_id = 'd-1' AND status = 'pending'"))
                    .as("a delivery pending before the upgrade is still due")
                    .isEqualTo(1);
            // the reader is in a transaction, as the digests' is: the mark is theirs once committed
            mark(r);
            r.commit();
            assertThat(marked(r)).isTrue();
            assertThatThrownBy(() -> mark(r)).as("a period is marked once").isInstanceOf(SQLException.class);
            r.rollback();
        }
        // and it opens again, as upgraded, with its mark
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader()) {
            assertThat(marked(r)).isTrue();
        }
    }

    /** The digests' own statement for the mark (alerts/digest-mark.sql). */
    private static void mark(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/digest-mark"))) {
            ps.setString(1, "weekly");
            ps.setString(2, "payments");
            ps.setObject(3, PERIOD);
            ps.setString(4, "scheduled-digest:weekly:payments:1796029200");
            ps.setObject(5, LocalDateTime.parse("2026-12-01T09:00:00"));
            ps.executeUpdate();
        }
    }

    /** The digests' own question (alerts/digest-marked.sql). */
    private static boolean marked(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/digest-marked"))) {
            ps.setString(1, "weekly");
            ps.setString(2, "payments");
            ps.setObject(3, PERIOD);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
