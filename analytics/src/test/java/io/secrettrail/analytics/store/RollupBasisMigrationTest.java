package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: V018 adds {@code rollup_basis}, the rule for SecretTrail's own calls the rollups were built with. Every
 * database before it was built without one, so its rollups count SecretTrail's calls on their secrets: opened by a
 * writer with {@code self.principals} set, it is upgraded and its rollups rebuilt from the events; opened by anyone
 * else (export, access), it keeps them.
 */
class RollupBasisMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    static final String SELF = "arn:aws:iam::111122223333:role/secrettrail-reader";
    static final String KEY = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-a1b2c3";
    static final OwnCalls OWN = new OwnCalls(List.of(SELF), List.of("DescribeSecret"), "(^|\\s)secrettrail/\\S");

    @Test
    void a_database_before_v018_is_rebuilt_by_a_writer_with_self_principals_and_kept_by_the_others(@TempDir Path dir)
            throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (URLClassLoader loader = MigrationsBefore.copy(dir, 18);
                Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            Migrations.at(MigrationsBefore.FOLDER, loader, CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                // SecretTrail's DescribeSecret and an application's read, each naming prod/db, and the rollups the
                // release before built from them: two calls on the secret
                for (String[] e : new String[][] {
                    {"ours-1", "DescribeSecret", SELF, "aws-sdk-java/2.57.8 secrettrail/0.1.0"},
                    {"app-1", "GetSecretValue", "arn:aws:iam::111122223333:role/app", "aws-sdk-java/2.25.0"}
                }) {
                    s.execute(
                            "INSERT INTO events (event_key, event_id, event_time, event_source, event_name, event_type,"
                                    + " principal, principal_type, user_agent, names_secret, filter_batch) VALUES (uuid(), '"
                                    + e[0] + "', TIMESTAMP '2026-11-01 10:00:00', 'secretsmanager.amazonaws.com', '"
                                    + e[1]
                                    + "', 'AwsApiCall', '" + e[2] + "', 'AssumedRole', '" + e[3] + "', true, false)");
                    s.execute("INSERT INTO event_secrets VALUES (uuid(), TIMESTAMP '2026-11-01 10:00:00', '" + e[0]
                            + "', '" + KEY + "', true, '111122223333', 'us-east-1', 'prod/db')");
                    s.execute("INSERT INTO rollup_daily VALUES (DATE '2026-11-01', '" + KEY + "', '" + e[2] + "', '"
                            + e[1] + "', true, 1, 1, 0, TIMESTAMP '2026-11-01 10:00:00',"
                            + " TIMESTAMP '2026-11-01 10:00:00')");
                }
                assertThat(count(s, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rollup_basis'"))
                        .as("the release before has no such table")
                        .isZero();
            }
        }
        // a reader's open: upgraded, the rollups as they were
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM schema_version WHERE name = 'V018__rollup_basis'"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT count(*) FROM rollup_basis")).isZero();
            assertThat(secretCalls(s)).isEqualTo(2);
            assertThat(store.ownCalls()).isEqualTo(OwnCalls.NONE);
        }
        // the writer with self.principals: rebuilt, SecretTrail's call names no secret, the basis recorded
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), OWN);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(secretCalls(s)).isEqualTo(1);
            assertThat(count(
                            s,
                            "SELECT sum(calls) FROM rollup_daily WHERE secret_key = '' AND principal = '" + SELF + "'"))
                    .isEqualTo(1);
            assertThat(count(s, "SELECT sum(events) FROM rollup_daily")).isEqualTo(2);
            assertThat(count(s, "SELECT count(*) FROM rollup_basis")).isEqualTo(1);
            assertThat(count(s, "SELECT sum(calls) FROM rollup_own_calls WHERE secret_key = '" + KEY + "'"))
                    .as("the upgraded file holds V018's other table, filled by the rebuild")
                    .isEqualTo(1);
        }
        // and a reader's open after it keeps that rule
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader();
                Statement s = r.createStatement()) {
            assertThat(secretCalls(s)).isEqualTo(1);
            assertThat(store.ownCalls()).isEqualTo(OWN);
        }
    }

    private static long secretCalls(Statement s) throws SQLException {
        return count(s, "SELECT coalesce(sum(calls), 0) FROM rollup_daily WHERE secret_key = '" + KEY + "'");
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
