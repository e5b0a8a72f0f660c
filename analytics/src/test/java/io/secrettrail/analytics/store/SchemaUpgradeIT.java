package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.ConflictingCopiesIT.batch;
import static io.secrettrail.analytics.store.ConflictingCopiesIT.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.secret.SecretRef;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the previous release (61bd7f6), and one written by main just before numbered
 * migrations (8592ca5) (test resources, see their SOURCE.md), opens with
 * today's store and is upgraded in place: the tables and columns issue 12 added exist, what it held
 * is kept, and the all-time dedupe knows the events stored before it existed.
 */
class SchemaUpgradeIT {
    @TempDir
    Path dir;

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void v003_fills_the_request_id_of_the_events_stored_before_it_from_their_raw_record() throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream("/upgrade/release-61bd7f6-stratus.duckdb")) {
            Files.copy(in, db);
        }
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(DISTINCT request_id) FROM events"))
                    .isEqualTo(26);
            assertThat(
                            count(
                                    r,
                                    "SELECT count(*) FROM events WHERE request_id IS DISTINCT FROM json_extract_string(raw, '$.requestID')"))
                    .isZero();
        }
    }

    @Test
    void v004_to_v008_bring_the_events_stored_before_them_into_the_new_columns_and_tables() throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream("/upgrade/release-61bd7f6-stratus.duckdb")) {
            Files.copy(in, db);
        }
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            // V004: the raw never held a value, so every old row reads false
            assertThat(count(r, "SELECT count(*) FROM events WHERE carried_value IS DISTINCT FROM false"))
                    .isZero();
            // V007: every old event numbered once, in insertion order
            assertThat(count(r, "SELECT count(DISTINCT arrival) FROM events WHERE arrival IS NOT NULL"))
                    .isEqualTo(26);
            // V005, V006, V007, V009, V010, V011, V012: the new tables start empty; V008: old actions keep their
            // meaning ('')
            for (String table : new String[] {
                "incidents",
                "trail_changes",
                "trail_deliveries",
                "rule_watermarks",
                "rule_incidents",
                "incident_freezes",
                "inventory_coverage",
                "kms_requests",
                "billed_lines"
            }) {
                assertThat(count(r, "SELECT count(*) FROM " + table)).as(table).isZero();
            }
            assertThat(count(r, "SELECT count(*) FROM alert_actions WHERE incident IS DISTINCT FROM ''"))
                    .isZero();
            // V010: no secret stored before it has left the listing
            assertThat(count(r, "SELECT count(*) FROM inventory WHERE gone_at IS NOT NULL"))
                    .isZero();
            // V013: KMS requests keep their sharedEventID and the caller's userIdentity.accountId, and the view that
            // counts a cross-account request once reads the (empty) table
            assertThat(count(
                            r,
                            "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'kms_requests'"
                                    + " AND column_name IN ('shared_event_id', 'identity_account')"))
                    .isEqualTo(2);
            assertThat(count(r, "SELECT count(*) FROM kms_requests_once")).isZero();
            // V014: event_ids keeps every stored id, without the primary key (and its index) it had
            assertThat(count(r, "SELECT count(*) FROM event_ids")).isEqualTo(26);
            assertThat(count(
                            r,
                            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'event_ids'"
                                    + " AND constraint_type = 'PRIMARY KEY'"))
                    .isZero();
            assertThat(count(r, "SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'event_ids'"))
                    .isZero();
        }
    }

    @Test
    void v015_fills_the_columns_that_replace_raw_from_the_raw_of_the_events_stored_before_it() throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream("/upgrade/release-61bd7f6-stratus.duckdb")) {
            Files.copy(in, db);
        }
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            // the old rows keep their raw record (the topic of that release may have deleted it)
            assertThat(count(r, "SELECT count(*) FROM events WHERE raw IS NOT NULL"))
                    .isEqualTo(26);
            assertThat(count(
                            r,
                            "SELECT count(*) FROM events WHERE"
                                    + " access_key_id IS DISTINCT FROM json_extract_string(raw, '$.userIdentity.accessKeyId')"
                                    + " OR source_identity IS DISTINCT FROM"
                                    + " json_extract_string(raw, '$.userIdentity.sessionContext.sourceIdentity')"
                                    + " OR vpc_endpoint_id IS DISTINCT FROM json_extract_string(raw, '$.vpcEndpointId')"
                                    + " OR version_id IS DISTINCT FROM"
                                    + " json_extract_string(raw, '$.responseElements.versionId')"
                                    + " OR request_filters IS DISTINCT FROM"
                                    + " json_extract(raw, '$.requestParameters.filters')::VARCHAR"
                                    + " OR resource_policy IS DISTINCT FROM"
                                    + " json_extract(raw, '$.requestParameters.resourcePolicy')::VARCHAR"
                                    + " OR kafka_offset IS NOT NULL"))
                    .isZero();
            // the trail's callers used access keys: the backfill found them
            assertThat(count(r, "SELECT count(access_key_id) FROM events")).isPositive();
            assertThat(count(
                            r,
                            "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'trail_changes'"
                                    + " AND column_name IN ('session_arn', 'requested_trail', 'trail_arn',"
                                    + " 'kafka_partition', 'kafka_offset')"))
                    .isEqualTo(5);
            assertThat(count(r, "SELECT count(*) FROM evidence_events")).isEqualTo(26);
        }
    }

    @Test
    void a_database_of_the_previous_release_opens_and_is_upgraded_in_place() throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream("/upgrade/release-61bd7f6-stratus.duckdb")) {
            Files.copy(in, db);
        }
        String storedId;
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM event_ids"))
                    .as("ids of the events stored before")
                    .isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM rejections")).isZero();
            assertThat(count(r, "SELECT count(*) FROM rollup_unknown_names")).isZero();
            assertThat(count(r, "SELECT count(*) FROM rollup_clients WHERE others IS NULL OR others <> 0"))
                    .isZero();
            try (Statement s = r.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT event_id FROM events WHERE event_name = 'GetSecretValue' ORDER BY event_id LIMIT 1")) {
                rs.next();
                storedId = rs.getString(1);
            }
            // the same eventID with other content, after the upgrade: a conflict, not a second event
            SecretRef ref = new SecretRef(
                    "arn:aws:secretsmanager:us-east-1:111111111111:secret:x", false, "111111111111", "us-east-1", "x");
            EventStore.WriteResult w =
                    store.write(batch(event(storedId, "2026-11-30T10:00:00Z", "attacker"), ref, "trail/late.json", 1));
            assertThat(w.inserted()).isZero();
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(store.counter("conflicts")).isEqualTo(1);
        }
        // and it opens again, as upgraded
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
        }
    }

    private static final Clock FIRST = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    private Path copyOf(String resource) throws Exception {
        Path db = dir.resolve("secrettrail.duckdb");
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.copy(in, db);
        }
        return db;
    }

    @Test
    void a_database_of_main_before_migrations_is_backed_up_migrated_and_recorded_then_opens_as_it_is()
            throws Exception {
        Path db = copyOf("/upgrade/main-8592ca5.duckdb");
        Migrations shipped = Migrations.shipped(FIRST);
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), FIRST);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM event_ids")).isEqualTo(26);
            assertThat(count(r, "SELECT count(*) FROM event_secrets")).isEqualTo(20);
            assertThat(count(r, "SELECT count(*) FROM secret_keys")).isEqualTo(20);
            assertThat(count(r, "SELECT count(*) FROM consumer_offsets")).isEqualTo(10);
            try (Statement s = r.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version")) {
                for (Migrations.Migration m : shipped.all()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(m.version());
                    assertThat(rs.getString(2)).isEqualTo(m.name());
                    assertThat(rs.getString(3)).isEqualTo(m.checksum());
                    assertThat(rs.getObject(4, java.time.LocalDateTime.class))
                            .isEqualTo(java.time.LocalDateTime.parse("2026-12-01T09:00:00"));
                }
                assertThat(rs.next()).isFalse();
            }
        }
        Path backup = dir.resolve("secrettrail.duckdb.bak-v0");
        assertThat(backup).as("copied aside at version 0, before migrations").exists();
        try (Connection b = DriverManager.getConnection("jdbc:duckdb:" + backup)) {
            assertThat(count(b, "SELECT count(*) FROM events")).isEqualTo(26);
            assertThat(count(b, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version'"))
                    .isZero();
        }

        // the second open is a no-op: nothing applied, no second backup
        Clock later = Clock.fixed(Instant.parse("2026-12-02T09:00:00Z"), ZoneOffset.UTC);
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), later);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM schema_version"))
                    .isEqualTo(shipped.all().size());
            assertThat(count(
                            r,
                            "SELECT count(*) FROM schema_version WHERE applied_at <> TIMESTAMP '2026-12-01 09:00:00'"))
                    .isZero();
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(26);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".bak-v")))
                    .containsExactly("secrettrail.duckdb.bak-v0");
        }
    }

    @Test
    void a_database_of_a_newer_schema_version_is_refused_naming_the_file_both_versions_and_the_way_back()
            throws Exception {
        Path db = copyOf("/upgrade/main-8592ca5.duckdb");
        EventStore.open(db, StoreLimits.defaults(), FIRST).close();
        int latest = Migrations.shipped(FIRST).latest();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (" + (latest + 1) + ", 'V" + (latest + 1)
                    + "__from_the_future', 'x', TIMESTAMP '2027-01-01 00:00:00')");
        }
        assertThatThrownBy(() -> EventStore.open(db, StoreLimits.defaults(), FIRST))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("schema version " + (latest + 1))
                .hasMessageContaining("up to " + latest)
                .hasMessageContaining("newer release")
                .hasMessageContaining(db + ".bak-v");
        // refused and released: the file is as it was and can be opened again
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            assertThat(count(c, "SELECT max(version) FROM schema_version")).isEqualTo(latest + 1);
            assertThat(count(c, "SELECT count(*) FROM events")).isEqualTo(26);
        }
    }
}
