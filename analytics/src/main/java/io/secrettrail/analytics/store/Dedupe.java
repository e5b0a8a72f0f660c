package io.secrettrail.analytics.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * Dedupe by eventID over all time, for one batch. Within the batch the first copy of each event wins; then
 * each new event claims its id in event_ids (an in-memory filter of the stored ids sends only the possible
 * hits to the table, see {@link EventIds}), and the ids already there are copies. A
 * copy whose content differs from the winner's is a conflict: counted, logged with both files, and none of
 * its rows are stored.
 */
final class Dedupe {
    // The store's log lines keep the one logger name they have always had.
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStore.class);
    /** Conflicts logged one by one per process; the rest are counted (ingest.conflicts). */
    static final int LOGGED_CONFLICTS = 20;

    /**
     * What of a batch is new: the first copy of each event and each (event, secret) pair by key, the keys
     * already stored (of either), how many first copies the batch held and how many conflicted.
     */
    record Result(
            Map<UUID, Batch.EventRow> firstCopies,
            Map<UUID, Batch.EventRow> pairs,
            Set<UUID> stored,
            long copies,
            long conflicts) {}

    private final DuckDBConnection conn;
    private final EventIds ids;
    private int conflictsLogged;

    Dedupe(DuckDBConnection conn, EventIds ids) {
        this.conn = conn;
        this.ids = ids;
    }

    /** Conflicts logged so far (a trial write puts it back, see EventStore.tryWrite). */
    int conflictsLogged() {
        return conflictsLogged;
    }

    void conflictsLogged(int n) {
        conflictsLogged = n;
    }

    /** Claims the batch's new event ids (in the caller's transaction) and sorts its rows. */
    Result of(Batch batch) throws SQLException {
        Map<UUID, Batch.EventRow> firstCopies = new LinkedHashMap<>();
        Map<Batch.EventRow, Long> contents = new IdentityHashMap<>();
        // each row's event key (worked out by a decoder, or here once)
        Map<Batch.EventRow, UUID> keys = new IdentityHashMap<>();
        long copies = 0;
        for (Batch.EventRow row : batch.events) {
            Batch.RowKeys k = batch.keysOf(row);
            contents.put(row, k.content);
            keys.put(row, k.event);
            if (row.first()) {
                copies++;
                firstCopies.putIfAbsent(k.event, row);
            }
        }
        Map<UUID, EventIds.StoredCopy> already = ids.claim(firstCopies, contents);
        Set<UUID> orphans = new HashSet<>();
        for (Batch.EventRow row : batch.events) {
            UUID key = keys.get(row);
            if (!row.first() && !firstCopies.containsKey(key)) {
                orphans.add(key);
            }
        }
        already.putAll(ids.lookup(orphans));
        // The winning copy of each event: the stored one, else the first in this batch.
        Map<UUID, EventIds.StoredCopy> winner = new HashMap<>(already);
        firstCopies.forEach((k, row) -> winner.putIfAbsent(
                k, new EventIds.StoredCopy(contents.get(row), row.sourceFile(), row.sourceRecord())));
        Set<Batch.EventRow> losers = Collections.newSetFromMap(new IdentityHashMap<>());
        long conflicts = 0;
        for (Batch.EventRow row : batch.events) {
            EventIds.StoredCopy w = winner.get(keys.get(row));
            if (w != null && w.content() != contents.get(row)) {
                losers.add(row);
                if (row.first()) {
                    conflicts++;
                    logConflict(row, w.sourceFile(), w.sourceRecord());
                }
            }
        }
        Map<UUID, Batch.EventRow> pairs = new LinkedHashMap<>();
        for (Batch.EventRow row : batch.events) {
            if (row.secret() == null || losers.contains(row)) {
                continue; // no secret, or a (fanned-out) copy of a conflicting event
            }
            pairs.putIfAbsent(batch.keysOf(row).pair, row);
        }
        Set<UUID> stored = new HashSet<>(already.keySet());
        // Only a pair whose event was stored before (a duplicate file), is not stored now, or fans out may be stored
        // already. The pairs of an event claimed new in this batch are new unless it fans out: a BatchGetSecretValue
        // by id list is one message per secret, keyed by secret, so on other partitions; a later copy (i > 0) may
        // have come in an earlier poll, its pair stored without its event. A pair is always written with its
        // event's time, so for pairs the time-window check holds.
        Set<UUID> asked = new HashSet<>();
        Instant from = null;
        Instant to = null;
        for (var e : pairs.entrySet()) {
            UUID event = keys.get(e.getValue());
            if (firstCopies.containsKey(event)
                    && !already.containsKey(event)
                    && !fansOut(e.getValue().event())) {
                continue;
            }
            asked.add(e.getKey());
            Instant t = e.getValue().event().eventTime();
            from = from == null || t.isBefore(from) ? t : from;
            to = to == null || t.isAfter(to) ? t : to;
        }
        stored.addAll(storedKeys(Set.of(), asked, from, to));
        return new Result(firstCopies, pairs, stored, copies, conflicts);
    }

    /** Whether ingest publishes the event once per secret it names (see SecretResolver: an id list). */
    private static boolean fansOut(io.secrettrail.core.event.CloudTrailEvent e) {
        return !e.secretIds().isEmpty()
                && "requestParameters.secretIdList".equals(e.secretIds().get(0).field());
    }

    /** The keys among these that are already stored (events, event-secret pairs), within from..to. */
    private Set<UUID> storedKeys(Set<UUID> events, Set<UUID> pairs, Instant from, Instant to) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        if (events.isEmpty() && pairs.isEmpty()) {
            return stored;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/stored-keys"))) {
            ps.setArray(1, conn.createArrayOf("UUID", events.toArray()));
            ps.setArray(2, conn.createArrayOf("UUID", pairs.toArray()));
            ps.setObject(3, Cells.utc(from));
            ps.setObject(4, Cells.utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return stored;
    }

    private void logConflict(Batch.EventRow copy, String firstFile, Long firstRecord) {
        if (++conflictsLogged > LOGGED_CONFLICTS) {
            return;
        }
        log.warn(
                "conflicting copy of eventID {} ignored: {}, record {} differs (time or content) from the copy stored first, from {},"
                        + " record {}",
                StorableValues.printable(copy.event().eventId()),
                StorableValues.printable(copy.sourceFile()),
                copy.sourceRecord(),
                StorableValues.printable(firstFile),
                firstRecord);
    }
}
