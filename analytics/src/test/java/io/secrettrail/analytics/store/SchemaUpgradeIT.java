package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.ConflictingCopiesIT.batch;
import static io.secrettrail.analytics.store.ConflictingCopiesIT.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.secrettrail.core.secret.SecretRef;

/**
 * A database written by the previous release (test resource, see its SOURCE.md) opens with
 * today's store and is upgraded in place: the tables and columns issue 12 added exist, what it held
 * is kept, and the all-time dedupe knows the events stored before it existed.
 */
class SchemaUpgradeIT {
    @TempDir
    Path dir;

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_database_of_the_previous_release_opens_and_is_upgraded_in_place() throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream("/upgrade/release-61bd7f6-stratus.duckdb")) {
            Files.copy(in, db);
        }
        String storedId;
        try (EventStore store = EventStore.open(db); Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM event_ids")).as("ids of the events stored before").isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM rejections")).isZero();
            assertThat(count(r, "SELECT count(*) FROM rollup_unknown_names")).isZero();
            assertThat(count(r, "SELECT count(*) FROM rollup_clients WHERE others IS NULL OR others <> 0")).isZero();
            try (Statement s = r.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT event_id FROM events WHERE event_name = 'GetSecretValue' ORDER BY event_id LIMIT 1")) {
                rs.next();
                storedId = rs.getString(1);
            }
            // the same eventID with other content, after the upgrade: a conflict, not a second event
            SecretRef ref = new SecretRef("arn:aws:secretsmanager:us-east-1:111111111111:secret:x", false, "111111111111", "us-east-1", "x");
            EventStore.WriteResult w = store.write(batch(event(storedId, "2026-11-30T10:00:00Z", "attacker"), ref, "trail/late.json", 1));
            assertThat(w.inserted()).isZero();
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(store.counter("conflicts")).isEqualTo(1);
        }
        // and it opens again, as upgraded
        try (EventStore store = EventStore.open(db); Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
        }
    }
}
