package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import io.secrettrail.core.secret.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreIT {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbC123";
    static final SecretRef REF = new SecretRef(ARN, true, "111111111111", "us-east-1", "app/db");

    static CloudTrailEvent event(String id) {
        return new CloudTrailEvent(
                id,
                Instant.parse("2026-11-01T10:00:00Z"),
                CloudTrailEvent.SECRETS_MANAGER,
                "GetSecretValue",
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                new Principal(
                        "arn:aws:iam::111111111111:role/app",
                        "AssumedRole",
                        "arn:aws:sts::111111111111:assumed-role/app/s"),
                "10.0.0.1",
                "aws-sdk-java",
                List.of(),
                false,
                ("{\"eventID\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void duplicates_within_a_batch_and_across_batches_are_stored_once_and_counted() throws SQLException {
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            Batch b1 = new Batch();
            b1.event(new Batch.EventRow(event("a"), REF, true, "f1", 1L));
            b1.event(new Batch.EventRow(event("b"), REF, true, "f1", 2L));
            b1.event(new Batch.EventRow(event("a"), REF, true, "f2", 9L));
            assertThat(store.write(b1)).isEqualTo(new EventStore.WriteResult(2, 1));
            Batch b2 = new Batch();
            b2.event(new Batch.EventRow(event("b"), REF, true, "f3", 1L));
            b2.event(new Batch.EventRow(event("c"), null, true, "f3", 2L));
            assertThat(store.write(b2)).isEqualTo(new EventStore.WriteResult(1, 1));
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(3);
            assertThat(count(r, "SELECT count(*) FROM event_secrets")).isEqualTo(2);
            assertThat(store.counter("duplicates")).isEqualTo(2);
            try (Statement s = r.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT event_id, source_file, names_secret FROM events ORDER BY event_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("a");
                assertThat(rs.getString(2)).isEqualTo("f1"); // the first copy wins
                assertThat(rs.getBoolean(3)).isTrue();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("b");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("c");
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void a_fanned_out_batch_read_is_one_event_naming_each_secret_and_no_duplicate() throws SQLException {
        SecretRef other =
                new SecretRef(ARN.replace("app/db", "app/cache"), true, "111111111111", "us-east-1", "app/cache");
        try (EventStore store = EventStore.open(null);
                Connection r = store.reader()) {
            Batch b = new Batch();
            b.event(new Batch.EventRow(event("x"), REF, true, "f", 1L));
            b.event(new Batch.EventRow(event("x"), other, false, "f", 1L));
            assertThat(store.write(b)).isEqualTo(new EventStore.WriteResult(1, 0));
            assertThat(count(r, "SELECT count(*) FROM event_secrets WHERE event_id = 'x'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void offsets_are_stored_with_the_data_and_survive_reopening(@TempDir Path dir) throws SQLException {
        Path db = dir.resolve("st.duckdb");
        try (EventStore store = EventStore.open(db)) {
            Batch b = new Batch();
            b.event(new Batch.EventRow(event("a"), REF, true, "f", 1L));
            b.offset("secrettrail.events", 3, 41);
            b.offset("secrettrail.events", 3, 42);
            store.write(b);
        }
        try (EventStore store = EventStore.open(db);
                Connection r = store.reader()) {
            assertThat(store.storedOffsets()).isEqualTo(Map.of("secrettrail.events", Map.of(3, 42L)));
            assertThat(count(r, "SELECT count(*) FROM events")).isEqualTo(1);
        }
    }
}
