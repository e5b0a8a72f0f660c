package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.ConflictingCopiesIT.OTHER;
import static io.secrettrail.analytics.store.ConflictingCopiesIT.event;
import static io.secrettrail.analytics.store.EventStoreIT.REF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the in-memory id filter only decides what is looked up, never what is stored. A filter that calls
 * every id a possible hit, and one far too small that is rebuilt over and over, store exactly what the default
 * one stores: duplicates within and across batches and across a restart, conflicts, fanned-out copies later.
 */
class IdFilterFallbackIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void every_id_a_possible_hit_or_a_filter_rebuilt_each_batch_stores_what_the_default_filter_stores()
            throws SQLException {
        List<String> expected = run("default", EventIds.DEFAULT_SIZING);
        assertThat(expected).isNotEmpty();
        assertThat(run("everything", n -> IdFilter.everything())).isEqualTo(expected);
        assertThat(run("tiny", n -> IdFilter.forCapacity(Math.max(1, n + 1)))).isEqualTo(expected);
    }

    @Test
    void the_default_filter_sends_no_new_id_to_the_table_and_knows_each_stored_one_after_a_restart()
            throws SQLException {
        Path db = dir.resolve("restart.duckdb");
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK, EventIds.DEFAULT_SIZING)) {
            assertThat(store.write(events(0, 500, "trail/a.json"))).isEqualTo(new EventStore.WriteResult(500, 0));
        }
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK, EventIds.DEFAULT_SIZING);
                Connection r = store.reader()) {
            // 250 stored before the restart, 250 new
            assertThat(store.write(events(250, 750, "trail/b.json"))).isEqualTo(new EventStore.WriteResult(250, 250));
            assertThat(EventStoreIT.count(r, "SELECT count(*) FROM events")).isEqualTo(750);
            assertThat(EventStoreIT.count(r, "SELECT count(DISTINCT id_hash) FROM event_ids"))
                    .isEqualTo(750);
            assertThat(EventStoreIT.count(r, "SELECT count(*) FROM event_ids")).isEqualTo(750);
        }
    }

    private static Batch events(int from, int to, String file) {
        Batch b = new Batch();
        for (int i = from; i < to; i++) {
            b.event(new Batch.EventRow(event("e-" + i, "2026-10-01T10:00:00Z", "app"), REF, true, file, (long) i));
        }
        return b;
    }

    /** The same batches, a restart between them; what the store then holds, row by row. */
    private List<String> run(String name, LongFunction<IdFilter> sizing) throws SQLException {
        Path db = dir.resolve(name + ".duckdb");
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK, sizing)) {
            Batch b1 = events(0, 40, "trail/1.json");
            b1.event(new Batch.EventRow(event("e-3", "2026-10-01T10:00:00Z", "app"), REF, true, "trail/1b.json", 1L));
            b1.event(new Batch.EventRow(event("e-4", "2026-10-01T11:00:00Z", "x"), REF, true, "trail/1b.json", 2L));
            store.write(b1);
            Batch b2 = events(30, 60, "trail/2.json"); // 10 redelivered
            // a fanned-out copy of e-5 naming another secret, in a later batch
            b2.event(new Batch.EventRow(event("e-5", "2026-10-01T10:00:00Z", "app"), OTHER, true, "trail/2b.json", 1L));
            b2.event(new Batch.EventRow(event("e-6", "2026-10-02T10:00:00Z", "attacker"), OTHER, true, "t.json", 1L));
            store.write(b2);
        }
        try (EventStore store = EventStore.open(db, StoreLimits.defaults(), CLOCK, sizing)) {
            Batch b3 = events(50, 80, "trail/3.json");
            b3.event(new Batch.EventRow(event("e-5", "2026-10-01T10:00:00Z", "app"), OTHER, true, "trail/3b.json", 1L));
            b3.event(new Batch.EventRow(event("e-7", "2026-10-01T10:00:00Z", "app"), OTHER, false, "trail/3.json", 7L));
            store.write(b3);
            try (Connection r = store.reader()) {
                List<String> rows = new ArrayList<>(RollupsTest.rows(
                        r,
                        "SELECT event_key, event_id, source_file, source_record, arrival FROM events ORDER BY ALL",
                        "SELECT pair_key, event_id, secret_key, event_time FROM event_secrets ORDER BY ALL",
                        "SELECT * FROM event_ids ORDER BY ALL"));
                rows.add("duplicates " + store.counter("duplicates"));
                rows.add("conflicts " + store.counter("conflicts"));
                return rows;
            }
        }
    }
}
