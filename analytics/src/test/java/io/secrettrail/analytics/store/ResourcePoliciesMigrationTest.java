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
 * Issue 17: V016 adds {@code resource_policies}. A database file of the release before it (the shipped migrations
 * below V016, byte for byte) with stored events and inventory opens and is upgraded in place: the new table exists,
 * empty until the inventory source reads policies, and what was stored is untouched.
 */
class ResourcePoliciesMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void a_database_of_the_release_before_v016_opens_and_is_upgraded_in_place(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (URLClassLoader loader = MigrationsBefore.copy(dir, 16);
                Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            Migrations.at(MigrationsBefore.FOLDER, loader, CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch, resource_policy) VALUES (uuid(), 'put-1', TIMESTAMP '2026-11-01 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'PutResourcePolicy', true, false,"
                        + " '{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}')");
                s.execute("INSERT INTO inventory (arn, name, account, region, raw) VALUES"
                        + " ('arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf', 'db', '111122223333',"
                        + " 'us-east-1', '{\"Name\":\"db\"}')");
                assertThat(count(s, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'resource_policies'"))
                        .as("the release before has no such table")
                        .isZero();
            }
        }
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(count(s, "SELECT max(version) FROM schema_version")).isGreaterThanOrEqualTo(16);
            assertThat(count(s, "SELECT count(*) FROM schema_version WHERE name = 'V016__resource_policies'"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM resource_policies")).isZero();
            assertThat(count(s, "SELECT count(*) FROM events WHERE event_id = 'put-1' AND resource_policy LIKE '%*%'"))
                    .as("the policy set by an event is still there to judge")
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM inventory")).isEqualTo(1);
        }
        // and it opens again, as upgraded
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM schema_version WHERE version = 16"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM resource_policies")).isZero();
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
