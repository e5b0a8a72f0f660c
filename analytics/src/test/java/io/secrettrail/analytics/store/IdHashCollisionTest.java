package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.ConflictingCopiesIT.event;
import static io.secrettrail.analytics.store.EventStoreIT.REF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two events whose keys share their 64-bit id hash (the filter's and event_ids' hash; a trail file can be made to
 * hold such a pair: MD5's version bits leave about 2^30 work) are both claimed, by their full keys, so a later
 * copy of either is a copy and nothing is stored twice (found by review: the second used to be stored unclaimed,
 * and every redelivery of it again).
 */
class IdHashCollisionTest {
    @TempDir
    Path dir;

    @Test
    void both_events_of_a_64_bit_collision_are_claimed_and_their_copies_known() throws Exception {
        try (Database db = Database.open(dir.resolve("c.duckdb"), Clock.systemUTC(), 256)) {
            EventIds ids = new EventIds(db.conn(), EventIds.DEFAULT_SIZING);
            ids.load();
            UUID a = new UUID(0x1234_5678_9abc_3defL, 0x8000_0000_0000_0001L);
            UUID b = new UUID(0x1234_5678_9abc_3defL, 0x8000_0000_0000_0002L);
            assertThat(EventIds.idHash(a)).isEqualTo(EventIds.idHash(b));
            Batch.EventRow ra = new Batch.EventRow(event("a", "2026-10-01T10:00:00Z", "app"), REF, true, "f", 1L);
            Batch.EventRow rb = new Batch.EventRow(event("b", "2026-10-01T10:00:00Z", "app"), REF, true, "f", 2L);
            Map<Batch.EventRow, Long> contents = Map.of(ra, 11L, rb, 22L);
            Map<UUID, Batch.EventRow> first = new LinkedHashMap<>();
            first.put(a, ra);
            assertThat(ids.claim(first, contents)).isEmpty();
            Map<UUID, Batch.EventRow> second = new LinkedHashMap<>();
            second.put(b, rb);
            assertThat(ids.claim(second, contents))
                    .as("b is new although its hash is a's")
                    .isEmpty();
            Map<UUID, Batch.EventRow> again = new LinkedHashMap<>();
            again.put(a, ra);
            again.put(b, rb);
            Map<UUID, EventIds.StoredCopy> copies = ids.claim(again, contents);
            assertThat(copies).containsOnlyKeys(a, b);
            assertThat(copies.get(a).content()).isEqualTo(11L);
            assertThat(copies.get(b).content()).isEqualTo(22L);
            assertThat(ids.lookup(java.util.List.of(a, b))).containsOnlyKeys(a, b);
        }
    }
}
