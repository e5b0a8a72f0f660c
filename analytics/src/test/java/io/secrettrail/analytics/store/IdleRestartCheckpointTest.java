package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store read on its writer, which does not autocommit, and left that transaction open until the first
 * write. On a store that got no events after a restart, a reader's update (a webhook delivery recorded) then kept
 * every checkpoint from running, and the next report, which checkpoints first, failed.
 */
class IdleRestartCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void a_reopened_idle_store_checkpoints_after_an_update_made_by_a_reader() throws Exception {
        Path file = dir.resolve("secrettrail.duckdb");
        try (EventStore first = EventStore.open(file);
                Connection c = first.reader();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marks (id INTEGER, state VARCHAR)");
            st.execute("INSERT INTO marks VALUES (1, 'pending')");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        try (EventStore again = EventStore.open(file)) {
            try (Connection c = again.reader();
                    Statement st = c.createStatement()) {
                st.execute("UPDATE marks SET state = 'delivered' WHERE id = 1");
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            try (Connection c = again.reader();
                    Statement st = c.createStatement()) {
                assertThatCode(() -> st.execute("CHECKPOINT")).doesNotThrowAnyException();
            }
        }
    }
}
