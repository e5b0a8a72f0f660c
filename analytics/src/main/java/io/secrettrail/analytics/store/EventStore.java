package io.secrettrail.analytics.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.duckdb.DuckDBConnection;

/**
 * The one writer of SecretTrail's DuckDB file. Each poll batch is deduped by eventID (in memory
 * within the batch, by 128-bit key against what is stored), appended to its tables, and committed
 * in one transaction together with the Kafka offsets it came from: after a crash the consumer resumes exactly where the
 * database stands, so nothing is lost and nothing is counted twice. Readers in this process use
 * {@link #reader()}; no other process may open the file while this one holds it.
 *
 * <p>This class owns the transactions and the data version; the work is done by {@link Database} (the
 * connection, migrated on open), {@link BatchWriter} (one batch's rows, with {@link Dedupe},
 * {@link NameTracker} and {@link RollupRows}), {@link Counters}, {@link Offsets} and {@link Rejections}.
 */
public final class EventStore implements AutoCloseable {
    private final Database db;
    private final DuckDBConnection conn;
    private final StoreLimits limits;
    private final NameTracker names;
    private final RollupRows rollupRows;
    private final EventIds ids;
    private final Dedupe dedupe;
    private final Counters counters;
    private final Offsets offsets;
    private final BatchWriter writer;
    /** The rule for SecretTrail's own calls the rollups are built with (see {@link OwnCalls}). */
    private volatile OwnCalls own = OwnCalls.NONE;

    private volatile long version;

    private EventStore(Database db, StoreLimits limits, LongFunction<IdFilter> idFilter) {
        this.db = db;
        this.conn = db.conn();
        this.limits = limits;
        this.names = new NameTracker(conn, limits);
        this.rollupRows = new RollupRows(conn, limits.topClients());
        this.ids = new EventIds(conn, idFilter);
        this.dedupe = new Dedupe(conn, ids);
        this.counters = new Counters(conn);
        this.offsets = new Offsets(conn);
        this.writer = new BatchWriter(conn, dedupe, names, rollupRows, counters, offsets);
    }

    /** Opens (creating if needed) the database file; {@code null} for an in-memory database. */
    public static EventStore open(Path file) throws SQLException {
        return open(file, StoreLimits.defaults());
    }

    /** As {@link #open(Path)}, with the bounds on unknown names and ledger clients. */
    public static EventStore open(Path file, StoreLimits limits) throws SQLException {
        return open(file, limits, Clock.systemUTC());
    }

    /**
     * As {@link #open(Path, StoreLimits)}; {@code clock} stamps the migrations applied. A file whose schema is
     * older is copied aside ({@code <file>.bak-v<N>}) and migrated; one newer than this binary is refused
     * with a {@link MigrationException} (see {@link Migrations}).
     */
    public static EventStore open(Path file, StoreLimits limits, Clock clock) throws SQLException {
        return open(file, limits, clock, EventIds.DEFAULT_SIZING);
    }

    /**
     * As {@link #open(Path, StoreLimits)}, for the process that writes the store: its rollups count SecretTrail's own
     * calls by {@code own} (from {@code self.principals}). Rollups built with another rule are rebuilt from the
     * events, once; the other {@code open}s keep the rule the rollups were built with.
     */
    public static EventStore open(Path file, StoreLimits limits, OwnCalls own) throws SQLException {
        return open(file, limits, Clock.systemUTC(), EventIds.DEFAULT_SIZING, own);
    }

    /** As {@link #open(Path, StoreLimits, Clock)}, with the in-memory id filter sized by {@code idFilter}. */
    static EventStore open(Path file, StoreLimits limits, Clock clock, LongFunction<IdFilter> idFilter)
            throws SQLException {
        return open(file, limits, clock, idFilter, null);
    }

    /** @param own the rule for SecretTrail's own calls; null keeps the one the rollups were built with */
    private static EventStore open(
            Path file, StoreLimits limits, Clock clock, LongFunction<IdFilter> idFilter, OwnCalls own)
            throws SQLException {
        Database db = Database.open(file, clock, limits.memoryMb());
        try {
            EventStore store = new EventStore(db, limits, idFilter);
            store.loadRollupState(own);
            store.ids.load();
            store.ids.backfill();
            // the reads above opened a transaction on the writer (it does not autocommit): left open until the first
            // write, it pins old versions, and after an update by a reader (a webhook delivery recorded) no checkpoint
            // could run, so the next report failed on an idle store (ScheduledDigestIT's restart)
            store.conn.commit();
            return store;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Reads what the rollups hold; builds them first if events were stored before rollups existed, or with another
     * rule for SecretTrail's own calls than {@code wanted} (null: keep the stored one).
     */
    private void loadRollupState(OwnCalls wanted) throws SQLException {
        boolean stale;
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/rollups-missing"))) {
            rs.next();
            stale = rs.getBoolean(1);
        }
        OwnCalls built = Rollups.readBasis(conn);
        own = wanted == null ? built : wanted;
        if (stale || !own.equals(built)) {
            Rollups.rebuild(conn, limits, own);
        }
        names.load();
        rollupRows.load();
        conn.commit();
    }

    /**
     * Rewrites the rollups summed (the dashboard's benchmark loads events with SQL and calls
     * {@link #rebuildRollups()} instead).
     */
    public void compactRollups() throws SQLException {
        synchronized (this) {
            try {
                Rollups.compact(conn, limits.topClients());
                conn.commit();
                rollupRows.compacted();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
    }

    /** Builds every rollup from the stored events. */
    public void rebuildRollups() throws SQLException {
        synchronized (this) {
            try {
                Rollups.rebuild(conn, limits, own);
                conn.commit();
                loadRollupState(own);
                version++;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
    }

    /** The rule for SecretTrail's own calls its rollups are built with. */
    public OwnCalls ownCalls() {
        return own;
    }

    /** The bounds this store keeps (unknown names, ledger clients). */
    public StoreLimits limits() {
        return limits;
    }

    /**
     * Grows with every committed write: readers cache what they computed under a version and
     * recompute when it moves.
     */
    public long version() {
        return version;
    }

    /** A connection for reading, sharing this process's database instance. */
    public Connection reader() throws SQLException {
        return db.reader();
    }

    /** Offsets stored with the data: where to resume each partition. */
    public Map<String, Map<Integer, Long>> storedOffsets() throws SQLException {
        return offsets.stored();
    }

    /** Stores offsets without data: where a run starts reading (see the analyze command). */
    public void seedOffsets(Map<String, Map<Integer, Long>> offsets) throws SQLException {
        Batch b = new Batch();
        offsets.forEach((topic, parts) -> parts.forEach((p, o) -> b.offset(topic, p, o)));
        write(b);
    }

    /** Work done on the writer connection (see {@link #writeTransaction}). */
    @FunctionalInterface
    public interface WriterWork<T> {
        T apply(Connection writer) throws SQLException;
    }

    /**
     * Runs a small write that is not a batch of messages (an alert acknowledged on the dashboard) on
     * the writer connection, under the lock batches take, committed on its own or rolled back. Reader
     * connections are for reading; the data version does not move, as no event changed.
     */
    public synchronized <T> T writeTransaction(WriterWork<T> work) throws SQLException {
        try {
            T r = work.apply(conn);
            conn.commit();
            return r;
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    /**
     * Rolls the failed transaction back. A commit that fails has already ended its transaction (DuckDB rolls it
     * back), so the rollback's own failure ("no transaction is active") is kept beside the failure, never in its
     * place: the caller sees why the write failed.
     */
    private void rollback(Exception failure) {
        try {
            conn.rollback();
        } catch (SQLException r) {
            failure.addSuppressed(r);
        }
    }

    /** The result of one write: new unique events, and repeats of events already stored. */
    public record WriteResult(long inserted, long duplicates) {}

    /** Writes the batch and its offsets in one transaction; on failure nothing of it is stored. */
    public synchronized WriteResult write(Batch batch) throws SQLException {
        try {
            WriteResult r = writer.write(batch, own);
            conn.commit();
            version++;
            return r;
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            names.reload(e);
            throw e;
        }
    }

    /**
     * Writes the batch and rolls it back, whatever happens: whether these rows can be stored. The
     * consumer uses it to find, by halving, the message(s) of a failed batch that cannot be.
     *
     * @return the failure, or null when the batch would have been stored
     */
    public synchronized Exception tryWrite(Batch batch) throws SQLException {
        RollupRows.Mark rows = rollupRows.mark();
        int logged = dedupe.conflictsLogged();
        try {
            writer.write(batch, own);
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        } finally {
            rollupRows.reset(rows);
            dedupe.conflictsLogged(logged);
            conn.rollback();
            names.reload(null);
        }
    }

    /**
     * Whether a failure is the store's own (disk full, out of memory, I/O, a broken connection) rather
     * than a value it cannot hold: such a batch must be retried as it is, never thinned out.
     */
    public static boolean isTransient(Throwable e) {
        return TransientFailures.isTransient(e);
    }

    /**
     * Rejected records by source and whether they were Secrets Manager records ("true", "false",
     * "unknown"), each dead letter once: the rejection metric.
     */
    public Map<List<String>, Long> rejectionsBySource() throws SQLException {
        try (Connection c = reader()) {
            return Rejections.bySource(c);
        }
    }

    /** An ingest counter: duplicates, conflicts or undecodable (0 if never counted). */
    public long counter(String name) throws SQLException {
        return counters.read(name);
    }

    /** See {@link EventIds#content(Instant, String...)}. */
    static long content(Instant time, String... fields) {
        return EventIds.content(time, fields);
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
