package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: V004 adds events.carried_value. Rows stored before it cannot tell (their raw never held the
 * value) and read false, so their UpdateSecret counts as a version only by responseElements.versionId.
 */
class CarriedValueMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void rows_stored_before_v004_read_false_and_new_rows_keep_what_the_reader_saw(@TempDir Path dir) throws Exception {
        // The shipped V001 and V002, byte for byte, as a database before V004 was written by them.
        try (URLClassLoader loader = MigrationsBefore.copy(dir, 3);
                Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            Migrations.at(MigrationsBefore.FOLDER, loader, CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch, raw) VALUES (uuid(), 'old', TIMESTAMP '2026-01-01 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'UpdateSecret', true, false, '{}')");
            }
            Migrations.shipped(CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch, raw, carried_value) VALUES (uuid(), 'new', TIMESTAMP '2026-12-01 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'UpdateSecret', true, false, '{}', true)");
                try (ResultSet rs = s.executeQuery("SELECT event_id, carried_value FROM events ORDER BY event_time")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("old");
                    assertThat(rs.getObject(2)).isEqualTo(false);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(2)).isTrue();
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }
}
