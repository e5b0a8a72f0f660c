package io.secrettrail.analytics.snapshot;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot taken after a write does not build its relations beside index memory that write loaded: at
 * 10 million stored events event_ids' primary key held 362 MB of the store's 512 MB, which DuckDB can neither
 * spill nor evict, and the snapshot ran out of memory (issue 14, benchmark at 10 million events). Since V014
 * (issue 16) event_ids has no primary key: what a write still loads is the small tables' keys.
 */
class SnapshotIndexMemoryTest {
    static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private static long indexBytes(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void the_snapshot_frees_what_index_memory_a_write_loaded_and_still_sees_every_event(@TempDir Path dir)
            throws Exception {
        try (RuleFixture fx = new RuleFixture(dir.resolve("store.duckdb"))) {
            List<String> arns = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                arns.add(arn("us-east-1", "app/s" + i));
            }
            fx.readsOf(arns, AT);
            try (Connection c = fx.reader()) {
                Snapshot.at(c, AT.plusSeconds(60));
                assertThat(indexBytes(c)).isZero();
                assertThat(count(c, "read_refs")).isEqualTo(200);
            }
            // the next write stores its events beside the checkpointed ones
            fx.readsOf(List.of(arn("us-east-1", "app/s0")), AT.plusSeconds(1));
            try (Connection c = fx.reader()) {
                Snapshot.at(c, AT.plusSeconds(60));
                assertThat(indexBytes(c)).isZero();
                assertThat(count(c, "read_refs")).isEqualTo(201);
            }
        }
    }

    @Test
    void a_snapshot_on_a_connection_whose_transaction_wrote_is_built_and_keeps_that_write(@TempDir Path dir)
            throws Exception {
        try (RuleFixture fx = new RuleFixture(dir.resolve("store.duckdb"))) {
            fx.readsOf(List.of(arn("us-east-1", "app/a"), arn("us-east-1", "app/b")), AT);
            try (Connection c = fx.reader()) {
                // a checkpoint in a transaction that wrote fails and aborts it: the snapshot's runs on its own
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO counters VALUES ('snapshot-test', 1)");
                }
                Snapshot.at(c, AT.plusSeconds(60));
                assertThat(count(c, "read_refs")).isEqualTo(2);
                assertThat(count(c, "counters WHERE name = 'snapshot-test'")).isEqualTo(1);
                c.rollback();
            }
        }
    }

    @Test
    void a_snapshot_taken_while_another_connection_is_writing_is_built(@TempDir Path dir) throws Exception {
        // serve writes batches while a report is built: neither may fail the other
        try (RuleFixture fx = new RuleFixture(dir.resolve("store.duckdb"))) {
            fx.readsOf(List.of(arn("us-east-1", "app/a"), arn("us-east-1", "app/b")), AT);
            try (Connection writer = fx.reader();
                    Connection c = fx.reader()) {
                writer.setAutoCommit(false);
                try (Statement st = writer.createStatement()) {
                    st.execute("INSERT INTO counters VALUES ('in-flight', 1)");
                }
                Snapshot.at(c, AT.plusSeconds(60));
                assertThat(count(c, "read_refs")).isEqualTo(2);
                writer.commit();
            }
            // the write in flight went through
            try (Connection after = fx.reader()) {
                assertThat(count(after, "counters WHERE name = 'in-flight'")).isEqualTo(1);
            }
        }
    }

    @Test
    void a_snapshot_of_a_database_in_memory_is_built_as_before() throws Exception {
        try (RuleFixture fx = new RuleFixture()) {
            fx.readsOf(List.of(arn("us-east-1", "app/a"), arn("us-east-1", "app/b")), AT);
            try (Connection c = fx.reader()) {
                Snapshot.at(c, AT.plusSeconds(60));
                assertThat(count(c, "read_refs")).isEqualTo(2);
            }
        }
    }
}
