package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.EventStoreIT.REF;
import static io.secrettrail.analytics.store.EventStoreIT.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import io.secrettrail.core.secret.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 4: the same eventID with another time and content, in a later file, is stored once and reported. */
class ConflictingCopiesIT {
    static final SecretRef OTHER =
            new SecretRef(REF.key().replace("app/db", "app/other"), true, "111111111111", "us-east-1", "app/other");

    static CloudTrailEvent event(String id, String time, String role) {
        return new CloudTrailEvent(
                id,
                Instant.parse(time),
                CloudTrailEvent.SECRETS_MANAGER,
                "GetSecretValue",
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                new Principal("arn:aws:iam::111111111111:role/" + role, "AssumedRole", null),
                "10.0.0.1",
                "aws-sdk-java",
                List.of(),
                false,
                ("{\"eventID\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static Batch batch(CloudTrailEvent e, SecretRef ref, String file, long record) {
        Batch b = new Batch();
        b.event(new Batch.EventRow(e, ref, true, file, record));
        return b;
    }

    static Batch keyed(CloudTrailEvent e, SecretRef ref, String file, long record) {
        Batch b = new Batch();
        b.event(Batch.keyed(new Batch.EventRow(e, ref, true, file, record)));
        return b;
    }

    /**
     * Issue 16: the consumer's decoders work out each row's dedupe keys (Batch.keyed) so that the writer does not.
     * Rows keyed there and rows keyed by the writer must be told apart, or matched, exactly alike.
     */
    @Test
    void rows_keyed_by_the_decoders_dedupe_and_conflict_exactly_as_rows_keyed_by_the_writer() throws SQLException {
        CloudTrailEvent first = event("e-1", "2026-10-01T10:00:00Z", "app");
        Batch.Keyed k = Batch.keyed(new Batch.EventRow(first, REF, true, "trail/a.json", 3L));
        assertThat(k.keys().event).isEqualTo(EventIds.eventKey("e-1"));
        assertThat(k.keys().content).isEqualTo(EventIds.content(first));
        assertThat(k.keys().pair).isEqualTo(EventIds.pairKey("e-1", REF.key()));
        assertThat(Batch.keyed(new Batch.EventRow(first, null, true, "trail/a.json", 3L))
                        .keys()
                        .pair)
                .isNull();
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            assertThat(store.write(keyed(first, REF, "trail/a.json", 3))).isEqualTo(new EventStore.WriteResult(1, 0));
            // an exact copy keyed by the writer, then a conflicting one keyed by a decoder
            assertThat(store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/b.json", 1)))
                    .isEqualTo(new EventStore.WriteResult(0, 1));
            assertThat(store.write(keyed(event("e-1", "2026-11-01T10:00:00Z", "attacker"), OTHER, "trail/c.json", 9)))
                    .isEqualTo(new EventStore.WriteResult(0, 1));
            // within one batch: a keyed row and a writer-keyed exact copy of a new event
            Batch both = keyed(event("e-2", "2026-10-02T10:00:00Z", "app"), REF, "trail/d.json", 1);
            both.event(new Batch.EventRow(event("e-2", "2026-10-02T10:00:00Z", "app"), REF, true, "trail/e.json", 1L));
            assertThat(store.write(both)).isEqualTo(new EventStore.WriteResult(1, 1));
            assertThat(store.counter("duplicates")).isEqualTo(3);
            assertThat(store.counter("conflicts")).isEqualTo(1);
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(2);
            assertThat(count(r, "SELECT count(*) FROM event_secrets")).isEqualTo(2);
            assertThat(count(r, "SELECT count(*) FROM event_secrets WHERE secret_key = '" + OTHER.key() + "'"))
                    .isZero();
        }
    }

    @Test
    void a_conflicting_copy_a_month_later_in_another_file_is_stored_once_and_counted() throws SQLException {
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/a.json", 3));
            // other batches in between, so the copy is far from the first one in time and in the table
            store.write(batch(event("e-2", "2026-10-15T10:00:00Z", "app"), REF, "trail/b.json", 1));
            EventStore.WriteResult w =
                    store.write(batch(event("e-1", "2026-11-01T10:00:00Z", "attacker"), OTHER, "trail/c.json", 9));

            assertThat(w).isEqualTo(new EventStore.WriteResult(0, 1));
            assertThat(count(r, "SELECT count(*) FROM events WHERE event_id = 'e-1'"))
                    .isEqualTo(1);
            assertThat(count(r, "SELECT count(*) FROM event_secrets WHERE event_id = 'e-1'"))
                    .isEqualTo(1);
            assertThat(count(r, "SELECT count(*) FROM event_secrets WHERE secret_key = '" + OTHER.key() + "'"))
                    .isZero();
            assertThat(store.counter("duplicates")).isEqualTo(1);
            assertThat(store.counter("conflicts")).isEqualTo(1);
            try (Statement s = r.createStatement();
                    var rs = s.executeQuery(
                            "SELECT source_file, event_time, principal FROM events WHERE event_id = 'e-1'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("trail/a.json"); // the first stored wins
                assertThat(rs.getString(2)).startsWith("2026-10-01 10:00:00");
                assertThat(rs.getString(3)).endsWith("role/app");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void an_exact_copy_is_a_duplicate_not_a_conflict_and_a_conflict_in_the_same_batch_counts() throws SQLException {
        try (EventStore store = EventStore.open(null)) {
            store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/a.json", 3));
            store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/a-again.json", 3));
            assertThat(store.counter("duplicates")).isEqualTo(1);
            assertThat(store.counter("conflicts")).isZero();

            Batch b = new Batch();
            b.event(new Batch.EventRow(event("e-9", "2026-10-02T10:00:00Z", "app"), REF, true, "trail/d.json", 1L));
            b.event(new Batch.EventRow(event("e-9", "2026-10-02T10:00:01Z", "app"), OTHER, true, "trail/e.json", 1L));
            assertThat(store.write(b)).isEqualTo(new EventStore.WriteResult(1, 1));
            assertThat(store.counter("conflicts")).isEqualTo(1);
        }
    }

    @Test
    void a_redelivery_and_a_conflicting_copy_in_one_later_batch_are_judged_against_the_stored_copy()
            throws SQLException {
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/a.json", 3));
            Batch b = new Batch();
            b.event(new Batch.EventRow(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, true, "trail/again.json", 1L));
            b.event(new Batch.EventRow(
                    event("e-1", "2026-12-01T10:00:00Z", "attacker"), OTHER, true, "trail/z.json", 1L));
            b.event(new Batch.EventRow(
                    event("e-1", "2026-10-01T10:00:00Z", "app"), OTHER, false, "trail/again.json", 1L));
            assertThat(store.write(b)).isEqualTo(new EventStore.WriteResult(0, 2));
            assertThat(store.counter("conflicts")).isEqualTo(1);
            // the fanned-out copy of the genuine event still adds the secret it names
            assertThat(count(r, "SELECT count(*) FROM event_secrets WHERE event_id = 'e-1'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void a_database_from_before_the_id_index_gets_it_built_on_open(@TempDir Path dir) throws SQLException {
        Path db = dir.resolve("old.duckdb");
        try (EventStore store = EventStore.open(db)) {
            store.write(batch(event("e-1", "2026-10-01T10:00:00Z", "app"), REF, "trail/a.json", 3));
            try (Connection c = store.reader();
                    Statement s = c.createStatement()) {
                s.execute("DELETE FROM event_ids"); // as a database written before event_ids existed
            }
        }
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT count(*) FROM event_ids")).isEqualTo(1);
            store.write(batch(event("e-1", "2026-12-01T10:00:00Z", "attacker"), OTHER, "trail/z.json", 1));
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(1);
            assertThat(store.counter("conflicts")).isEqualTo(1);
        }
    }

    @Test
    void a_value_the_store_cannot_hold_fails_a_dry_run_and_leaves_nothing_behind() throws SQLException {
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            CloudTrailEvent far = new CloudTrailEvent(
                    "far",
                    Instant.parse("+294248-01-01T00:00:00Z"),
                    CloudTrailEvent.SECRETS_MANAGER,
                    "GetSecretValue",
                    "AwsApiCall",
                    "us-east-1",
                    "111111111111",
                    null,
                    null,
                    new Principal("arn:aws:iam::111111111111:role/app", "AssumedRole", null),
                    null,
                    null,
                    List.of(),
                    false,
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(StorableValues.check(far))
                    .isNotNull()
                    .extracting(StorableValues.Problem::field)
                    .isEqualTo("eventTime");
            Exception e = store.tryWrite(batch(far, REF, "trail/x.json", 1));
            assertThat(e).isNotNull();
            assertThat(EventStore.isTransient(e)).isFalse();
            assertThat(store.tryWrite(batch(event("ok", "2026-10-01T10:00:00Z", "app"), REF, "trail/x.json", 2)))
                    .isNull();
            assertThat(count(r, "SELECT count(*) FROM events")).isZero();
            assertThat(count(r, "SELECT count(*) FROM event_ids")).isZero();
            assertThat(store.write(batch(event("ok", "2026-10-01T10:00:00Z", "app"), REF, "trail/x.json", 2)))
                    .isEqualTo(new EventStore.WriteResult(1, 0));
        }
    }

    @Test
    void only_the_stores_error_type_makes_a_failure_transient_never_a_value_quoted_in_its_detail() {
        // found by review: a value error quoting "disk" or "connection closed" stopped analytics instead of
        // dead-lettering
        assertThat(EventStore.isTransient(new java.sql.SQLException("IO Error: No space left on device")))
                .isTrue();
        assertThat(EventStore.isTransient(new java.sql.SQLException("Out of Memory Error: failed to allocate")))
                .isTrue();
        assertThat(EventStore.isTransient(new java.sql.SQLException("Connection Error: connection closed")))
                .isTrue();
        assertThat(
                        EventStore.isTransient(
                                new java.sql.SQLException(
                                        "Conversion Error: could not convert string 'disk full, connection closed, io error' to INT64")))
                .isFalse();
    }

    @Test
    void times_after_2262_up_to_the_last_storable_one_are_stored_and_their_copies_recognised() throws SQLException {
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            for (String t : List.of("2262-04-11T23:47:17Z", "2263-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
                CloudTrailEvent e = event("late-" + t, t, "app");
                assertThat(StorableValues.check(e)).isNull();
                assertThat(store.write(batch(e, REF, "trail/a.json", 1)))
                        .as(t)
                        .isEqualTo(new EventStore.WriteResult(1, 0));
                assertThat(store.write(batch(e, REF, "trail/b.json", 1)))
                        .as(t + " again")
                        .isEqualTo(new EventStore.WriteResult(0, 1));
            }
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(3);
        }
        assertThat(EventStore.content(Instant.parse("2026-10-01T10:00:00.123456789Z"), "a"))
                .isEqualTo(EventStore.content(Instant.parse("2026-10-01T10:00:00.123456Z"), "a"));
    }
}
