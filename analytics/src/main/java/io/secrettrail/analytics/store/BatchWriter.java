package io.secrettrail.analytics.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Writes one batch inside the caller's transaction, in the order the tables depend on each other:
 * dedupe (claiming new ids), the names past the cap, events and pairs with their rollups, inventory,
 * counters, rejections, trail changes, deliveries and KMS requests, and last the Kafka offsets the batch came from. Commit and rollback are the
 * caller's ({@link EventStore#write}).
 */
final class BatchWriter {
    private final DuckDBConnection conn;
    private final Dedupe dedupe;
    private final NameTracker names;
    private final RollupRows rollupRows;
    private final EventAppender events;
    private final InventoryWriter inventory;
    private final Counters counters;
    private final Rejections rejections;
    private final TrailRecords trail;
    private final Offsets offsets;

    BatchWriter(
            DuckDBConnection conn,
            Dedupe dedupe,
            NameTracker names,
            RollupRows rollupRows,
            Counters counters,
            Offsets offsets) {
        this.conn = conn;
        this.dedupe = dedupe;
        this.names = names;
        this.rollupRows = rollupRows;
        this.events = new EventAppender(conn);
        this.inventory = new InventoryWriter(conn);
        this.counters = counters;
        this.rejections = new Rejections(conn);
        this.trail = new TrailRecords(conn);
        this.offsets = offsets;
    }

    /** @param own the rule for SecretTrail's own calls the store's rollups are built with */
    EventStore.WriteResult write(Batch batch, OwnCalls own) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Sql.text("store/transaction-open"));
        }
        Dedupe.Result d = dedupe.of(batch);
        Map<String, Boolean> untracked = names.untracked(d.pairs(), d.stored(), batch);
        Rollups rollups = new Rollups(own);
        long inserted = events.append(d, untracked, rollups);
        rollupRows.appended(rollups.append(conn, names.knownKeys()));
        inventory.write(batch.inventory, batch.gone, batch.coverage);
        inventory.policies(batch.policies.values());
        long duplicates = d.copies() - inserted;
        counters.add("duplicates", duplicates);
        counters.add("conflicts", d.conflicts());
        counters.add("undecodable", batch.undecodable);
        rejections.write(batch.rejections);
        trail.write(batch.trailChanges, batch.deliveries);
        trail.writeKms(batch.kmsRequests);
        offsets.write(batch.nextOffsets);
        return new EventStore.WriteResult(inserted, duplicates);
    }
}
