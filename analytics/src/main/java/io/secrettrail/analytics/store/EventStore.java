package io.secrettrail.analytics.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.Properties;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretRef;

/**
 * The one writer of SecretTrail's DuckDB file. Each poll batch is deduped by eventID (in memory
 * within the batch, by 128-bit key against what is stored), appended to its tables, and committed
 * in one transaction together with the Kafka offsets it came from: after a crash the consumer resumes exactly where the
 * database stands, so nothing is lost and nothing is counted twice. Readers in this process use
 * {@link #reader()}; no other process may open the file while this one holds it.
 */
public final class EventStore implements AutoCloseable {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStore.class);

    private final DuckDBConnection conn;
    private final StoreLimits limits;
    /** Secret keys already in secret_keys. */
    private final Set<String> knownKeys = new HashSet<>();
    /** Of those, the keys never confirmed to exist, with their account and region (bounded by the cap). */
    private final Map<String, String> unconfirmed = new HashMap<>();
    private final Map<String, Integer> unconfirmedPerScope = new HashMap<>();
    private long rollupRows;
    private long rollupRowsSinceCompaction;
    private volatile long version;

    private EventStore(DuckDBConnection conn, StoreLimits limits) {
        this.conn = conn;
        this.limits = limits;
    }

    /** Opens (creating if needed) the database file; {@code null} for an in-memory database. */
    public static EventStore open(Path file) throws SQLException {
        return open(file, StoreLimits.defaults());
    }

    /** As {@link #open(Path)}, with the bounds on unknown names and ledger clients. */
    public static EventStore open(Path file, StoreLimits limits) throws SQLException {
        Properties p = new Properties();
        // Offline machines: never try to download an extension.
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // Raw events make the WAL grow fast; checkpointing every 16 MB (the default) rewrote row
        // groups over and over and doubled the load time. A crash replays at most this much WAL.
        p.setProperty("checkpoint_threshold", "256MB");
        // DuckDB takes 80% of RAM by default; SecretTrail shares the machine with Kafka and the JVM.
        p.setProperty("memory_limit", "512MB");
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
            }
        }
        String url = file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath();
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection(url, p);
        Schema.create(c);
        c.setAutoCommit(false);
        c.commit();
        EventStore store = new EventStore(c, limits);
        store.loadRollupState();
        store.backfillEventIds();
        return store;
    }

    /** Reads what the rollups hold; builds them first if events were stored before rollups existed. */
    private void loadRollupState() throws SQLException {
        try (Statement s = conn.createStatement()) {
            boolean stale;
            try (ResultSet rs = s.executeQuery("""
                    SELECT (SELECT count(*) FROM rollup_daily) = 0 AND (SELECT count(*) FROM events) > 0""")) {
                rs.next();
                stale = rs.getBoolean(1);
            }
            if (stale) {
                Rollups.rebuild(conn, limits);
            }
            try (ResultSet rs = s.executeQuery("SELECT secret_key FROM secret_keys")) {
                while (rs.next()) {
                    knownKeys.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT (SELECT count(*) FROM rollup_daily) + (SELECT count(*) FROM rollup_hourly)
                        + (SELECT count(*) FROM rollup_clients)""")) {
                rs.next();
                rollupRows = rs.getLong(1);
            }
        }
        loadUnconfirmed();
        conn.commit();
    }

    /** The tracked keys that no inventory entry and no successful event confirm. */
    private void loadUnconfirmed() throws SQLException {
        unconfirmed.clear();
        unconfirmedPerScope.clear();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT k.secret_key, coalesce(k.account, ''), coalesce(k.region, '') FROM secret_keys k
                WHERE k.secret_key NOT IN (SELECT arn FROM inventory)
                  AND NOT EXISTS (SELECT 1 FROM inventory i WHERE i.account = k.account AND i.region = k.region AND i.name = k.name)
                  AND k.secret_key NOT IN (SELECT s.secret_key FROM event_secrets s JOIN events e USING (event_id) WHERE %s)"""
                .formatted(Rollups.CONFIRMS))) {
            while (rs.next()) {
                trackUnconfirmed(rs.getString(1), scope(rs.getString(2), rs.getString(3)));
            }
        }
    }

    private void trackUnconfirmed(String key, String scope) {
        unconfirmed.put(key, scope);
        unconfirmedPerScope.merge(scope, 1, Integer::sum);
    }

    private static String scope(String account, String region) {
        return (account == null ? "" : account) + '\u0000' + (region == null ? "" : region);
    }

    /** Whether this event shows that the secrets it names exist (see Rollups.CONFIRMS). */
    private static boolean confirms(CloudTrailEvent e) {
        return (!e.failed() && !"BatchGetSecretValue".equals(e.eventName())) || !e.isApiCall();
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
                rollupRowsSinceCompaction = 0;
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
                Rollups.rebuild(conn, limits);
                conn.commit();
                knownKeys.clear();
                loadRollupState();
                version++;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
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
        return conn.duplicate();
    }

    /** Offsets stored with the data: where to resume each partition. */
    public Map<String, Map<Integer, Long>> storedOffsets() throws SQLException {
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT topic, kafka_partition, next_offset FROM consumer_offsets")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getInt(2), rs.getLong(3));
            }
        }
        conn.commit();
        return out;
    }

    /** Stores offsets without data: where a run starts reading (see the analyze command). */
    public void seedOffsets(Map<String, Map<Integer, Long>> offsets) throws SQLException {
        Batch b = new Batch();
        offsets.forEach((topic, parts) -> parts.forEach((p, o) -> b.offset(topic, p, o)));
        write(b);
    }

    /** The result of one write: new unique events, and repeats of events already stored. */
    public record WriteResult(long inserted, long duplicates) {}

    public synchronized WriteResult write(Batch batch) throws SQLException {
        try {
            WriteResult r = writeInTransaction(batch);
            conn.commit();
            version++;
            return r;
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            reloadKnownKeys(e);
            throw e;
        }
    }

    /** After a rollback: the in-memory views of secret_keys and of the unconfirmed names may hold keys of the rolled-back batch. */
    private void reloadKnownKeys(Exception cause) throws SQLException {
        knownKeys.clear();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT secret_key FROM secret_keys")) {
            while (rs.next()) {
                knownKeys.add(rs.getString(1));
            }
        } catch (SQLException reload) {
            if (cause == null) {
                throw reload;
            }
            cause.addSuppressed(reload);
        }
        try {
            loadUnconfirmed();
        } catch (SQLException reload) {
            if (cause == null) {
                throw reload;
            }
            cause.addSuppressed(reload);
        }
        conn.rollback();
    }

    /**
     * Writes the batch and rolls it back, whatever happens: whether these rows can be stored. The
     * consumer uses it to find, by halving, the message(s) of a failed batch that cannot be.
     *
     * @return the failure, or null when the batch would have been stored
     */
    public synchronized Exception tryWrite(Batch batch) throws SQLException {
        long rows = rollupRows;
        long since = rollupRowsSinceCompaction;
        int logged = conflictsLogged;
        try {
            writeInTransaction(batch);
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        } finally {
            rollupRows = rows;
            rollupRowsSinceCompaction = since;
            conflictsLogged = logged;
            conn.rollback();
            reloadKnownKeys(null);
        }
    }

    /**
     * Whether a failure is the store's own (disk full, out of memory, I/O, a broken connection) rather
     * than a value it cannot hold: such a batch must be retried as it is, never thinned out.
     */
    public static boolean isTransient(Throwable e) {
        if (e instanceof Error) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            // Only the error's type ("IO Error: …", "Out of Memory Error: …"), never its detail: DuckDB's
            // detail may quote a stored value, and an attacker's value must not pass for a broken disk.
            int colon = m.indexOf(':');
            String head = colon >= 0 ? m.substring(0, colon) : m.length() <= 80 ? m : "";
            for (String sign : TRANSIENT_SIGNS) {
                if (head.contains(sign)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final List<String> TRANSIENT_SIGNS = List.of("io error", "out of memory", "no space", "disk", "could not write",
            "fatal", "internal error", "connection", "closed", "interrupt", "database has been invalidated");

    private WriteResult writeInTransaction(Batch batch) throws SQLException {
        // Dedupe by eventID over all time. Within the batch the first copy of each event wins; then
        // each new event claims its id in event_ids (one INSERT ... ON CONFLICT DO NOTHING
        // RETURNING, through the primary key's index, so the cost does not grow with the table),
        // and the ids already there are copies. A copy whose content differs from the winner's is a
        // conflict: counted, logged with both files, and none of its rows are stored.
        Map<UUID, Batch.EventRow> firstCopies = new LinkedHashMap<>();
        Map<Batch.EventRow, Long> contents = new java.util.IdentityHashMap<>();
        long copies = 0;
        for (Batch.EventRow row : batch.events) {
            contents.put(row, content(row.event()));
            if (row.first()) {
                copies++;
                firstCopies.putIfAbsent(eventKey(row.event().eventId()), row);
            }
        }
        Map<UUID, StoredCopy> already = claim(firstCopies, contents);
        Set<UUID> orphans = new HashSet<>();
        for (Batch.EventRow row : batch.events) {
            UUID key = eventKey(row.event().eventId());
            if (!row.first() && !firstCopies.containsKey(key)) {
                orphans.add(key);
            }
        }
        already.putAll(lookup(orphans));
        // The winning copy of each event: the stored one, else the first in this batch.
        Map<UUID, StoredCopy> winner = new HashMap<>(already);
        firstCopies.forEach((k, row) -> winner.putIfAbsent(k, new StoredCopy(contents.get(row), row.sourceFile(), row.sourceRecord())));
        Set<Batch.EventRow> losers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long conflicts = 0;
        for (Batch.EventRow row : batch.events) {
            StoredCopy w = winner.get(eventKey(row.event().eventId()));
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
            pairs.putIfAbsent(pairKey(row.event().eventId(), row.secret().key()), row);
        }
        Set<UUID> stored = new HashSet<>(already.keySet());
        // A pair is always written with its event's time, so for pairs the time-window check holds.
        Instant from = null;
        Instant to = null;
        for (Batch.EventRow row : pairs.values()) {
            Instant t = row.event().eventTime();
            from = from == null || t.isBefore(from) ? t : from;
            to = to == null || t.isAfter(to) ? t : to;
        }
        stored.addAll(storedKeys(Set.of(), pairs.keySet(), from, to));
        Map<String, Boolean> untracked = untracked(pairs, stored, batch);
        Rollups rollups = new Rollups();
        long inserted = 0;
        if (!firstCopies.isEmpty()) {
            try (DuckDBAppender ev = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (var entry : firstCopies.entrySet()) {
                    if (stored.contains(entry.getKey())) {
                        continue;
                    }
                    inserted++;
                    Batch.EventRow row = entry.getValue();
                    CloudTrailEvent e = row.event();
                    rollups.event(e, row.secret(), row.secret() != null && untracked.containsKey(row.secret().key()));
                    ev.beginRow().append(entry.getKey()).append(e.eventId()).append(utc(e.eventTime()))
                            .append(e.eventSource()).append(e.eventName());
                    text(ev, e.eventType());
                    text(ev, e.awsRegion());
                    text(ev, e.accountId());
                    text(ev, e.errorCode());
                    text(ev, e.errorMessage());
                    text(ev, e.principal().key());
                    text(ev, e.principal().type());
                    text(ev, e.principal().sessionArn());
                    text(ev, e.sourceIp());
                    text(ev, e.userAgent());
                    ev.append(row.secret() != null).append(e.filterBatch());
                    text(ev, row.sourceFile());
                    if (row.sourceRecord() == null) {
                        ev.appendNull();
                    } else {
                        ev.append(row.sourceRecord().longValue());
                    }
                    ev.append(new String(e.raw(), StandardCharsets.UTF_8)).endRow();
                }
            }
        }
        if (!pairs.isEmpty()) {
            try (DuckDBAppender sec = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_secrets")) {
                for (var entry : pairs.entrySet()) {
                    if (stored.contains(entry.getKey())) {
                        continue;
                    }
                    SecretRef ref = entry.getValue().secret();
                    Boolean newName = untracked.get(ref.key());
                    if (newName == null) {
                        rollups.pair(entry.getValue().event(), ref);
                    } else {
                        rollups.unknown(entry.getValue().event(), ref, newName);
                    }
                    sec.beginRow().append(entry.getKey()).append(utc(entry.getValue().event().eventTime()))
                            .append(entry.getValue().event().eventId()).append(ref.key()).append(ref.resolved());
                    text(sec, ref.account());
                    text(sec, ref.region());
                    text(sec, ref.name());
                    sec.endRow();
                }
            }
        }
        long appended = rollups.append(conn, knownKeys);
        rollupRows += appended;
        rollupRowsSinceCompaction += appended;
        if (rollupRowsSinceCompaction >= Rollups.COMPACT_AFTER && rollupRowsSinceCompaction * 2 >= rollupRows) {
            Rollups.compact(conn, limits.topClients());
            rollupRows = countRollupRows();
            rollupRowsSinceCompaction = 0;
        }
        writeInventory(batch);
        long duplicates = copies - inserted;
        bump("duplicates", duplicates);
        bump("conflicts", conflicts);
        bump("undecodable", batch.undecodable);
        writeRejections(batch);
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT OR REPLACE INTO consumer_offsets VALUES (?, ?, ?)")) {
            for (var t : batch.nextOffsets.entrySet()) {
                for (var p : t.getValue().entrySet()) {
                    ps.setString(1, t.getKey());
                    ps.setInt(2, p.getKey());
                    ps.setLong(3, p.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        return new WriteResult(inserted, duplicates);
    }

    /**
     * The names of this batch's new pairs that are not tracked one by one: never confirmed (not in
     * the inventory, no successful event naming them, in this batch or before) and past the cap of
     * their account and region. Each maps to whether no pair of it was stored before.
     */
    private Map<String, Boolean> untracked(Map<UUID, Batch.EventRow> pairs, Set<UUID> stored, Batch batch) throws SQLException {
        Set<String> confirmedNow = new HashSet<>();
        Map<String, SecretRef> candidates = new LinkedHashMap<>();
        for (var entry : pairs.entrySet()) {
            if (stored.contains(entry.getKey())) {
                continue;
            }
            SecretRef ref = entry.getValue().secret();
            if (confirms(entry.getValue().event())) {
                confirmedNow.add(ref.key());
            } else if (!knownKeys.contains(ref.key())) {
                candidates.putIfAbsent(ref.key(), ref);
            }
        }
        for (String k : confirmedNow) {
            String scope = unconfirmed.remove(k);
            if (scope != null) {
                unconfirmedPerScope.merge(scope, -1, Integer::sum);
            }
            candidates.remove(k);
        }
        List<SecretRef> past = new ArrayList<>();
        for (SecretRef ref : candidates.values()) {
            String scope = scope(ref.account(), ref.region());
            if (unconfirmedPerScope.getOrDefault(scope, 0) < limits.unconfirmedNames()) {
                trackUnconfirmed(ref.key(), scope);
            } else {
                past.add(ref);
            }
        }
        Map<String, Boolean> out = new HashMap<>();
        if (past.isEmpty()) {
            return out;
        }
        // Rare: only names past the cap are looked up, in the inventory (stored or in this batch).
        Set<String> listed = new HashSet<>();
        for (var i : batch.inventory.values()) {
            if (i != null) {
                listed.add(i.arn());
                listed.add(scope(i.account(), i.region()) + '\u0000' + i.name());
            }
        }
        String[] keys = new String[past.size()];
        String[] accounts = new String[past.size()];
        String[] regions = new String[past.size()];
        String[] names = new String[past.size()];
        for (int i = 0; i < past.size(); i++) {
            SecretRef r = past.get(i);
            keys[i] = r.key();
            accounts[i] = r.account() == null ? "" : r.account();
            regions[i] = r.region() == null ? "" : r.region();
            names[i] = r.name() == null ? "" : r.name();
        }
        Set<String> inInventory = new HashSet<>();
        Set<String> seenBefore = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("""
                WITH c AS (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS a, unnest(?::VARCHAR[]) AS r, unnest(?::VARCHAR[]) AS n)
                SELECT k, 0 FROM c WHERE k IN (SELECT arn FROM inventory)
                    OR EXISTS (SELECT 1 FROM inventory i WHERE i.account = c.a AND i.region = c.r AND i.name = c.n)
                UNION ALL
                SELECT DISTINCT secret_key, 1 FROM event_secrets WHERE secret_key IN (SELECT k FROM c)""")) {
            ps.setArray(1, conn.createArrayOf("VARCHAR", keys));
            ps.setArray(2, conn.createArrayOf("VARCHAR", accounts));
            ps.setArray(3, conn.createArrayOf("VARCHAR", regions));
            ps.setArray(4, conn.createArrayOf("VARCHAR", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    (rs.getInt(2) == 0 ? inInventory : seenBefore).add(rs.getString(1));
                }
            }
        }
        for (SecretRef r : past) {
            boolean listedNow = listed.contains(r.key())
                    || listed.contains(scope(r.account(), r.region()) + '\u0000' + r.name());
            if (!inInventory.contains(r.key()) && !listedNow) {
                out.put(r.key(), !seenBefore.contains(r.key()));
            }
        }
        return out;
    }

    private long countRollupRows() throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM rollup_daily) + (SELECT count(*) FROM rollup_hourly)
                    + (SELECT count(*) FROM rollup_clients)""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The keys among these that are already stored (events: kind 0, event-secret pairs: kind 1). */
    private Set<UUID> storedKeys(Set<UUID> events, Set<UUID> pairs, Instant from, Instant to) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        if (events.isEmpty() && pairs.isEmpty()) {
            return stored;
        }
        // The batch's keys go in as list parameters; DuckDB hash-joins them with the stored keys.
        // A copy of an event has its eventTime, so only row groups whose time range overlaps the
        // batch's are read (zone maps): trails arrive roughly in time order, and the check stays
        // cheap however large the table grows.
        try (PreparedStatement ps = conn.prepareStatement("""
                SELECT k FROM (SELECT unnest(?::UUID[]) AS k)
                WHERE k IN (SELECT event_key FROM events WHERE event_time BETWEEN ? AND ?)
                UNION ALL
                SELECT k FROM (SELECT unnest(?::UUID[]) AS k)
                WHERE k IN (SELECT pair_key FROM event_secrets WHERE event_time BETWEEN ? AND ?)""")) {
            ps.setArray(1, conn.createArrayOf("UUID", events.toArray()));
            ps.setObject(2, utc(from));
            ps.setObject(3, utc(to));
            ps.setArray(4, conn.createArrayOf("UUID", pairs.toArray()));
            ps.setObject(5, utc(from));
            ps.setObject(6, utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return stored;
    }

    /** Where an event already stored came from, and what it said (see {@link #content}). */
    private record StoredCopy(long content, String sourceFile, Long sourceRecord) {}

    /**
     * Claims an id in event_ids for each of these events; returns those already claimed (copies),
     * with what the stored copy said. A 64-bit collision of two different events (about n²/2⁶⁵:
     * 3·10⁻⁶ at 10 million events) is told apart by the full key and the event stored anyway.
     */
    private Map<UUID, StoredCopy> claim(Map<UUID, Batch.EventRow> rows, Map<Batch.EventRow, Long> contents) throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        Map<Long, UUID> byHash = new LinkedHashMap<>();
        for (UUID k : rows.keySet()) {
            byHash.putIfAbsent(idHash(k), k); // a collision inside the batch: the second is stored unclaimed
        }
        int n = byHash.size();
        Object[] hashes = new Object[n];
        Object[] lows = new Object[n];
        Object[] fingerprints = new Object[n];
        Object[] files = new Object[n];
        Object[] records = new Object[n];
        int i = 0;
        for (var e : byHash.entrySet()) {
            Batch.EventRow row = rows.get(e.getValue());
            hashes[i] = e.getKey();
            lows[i] = e.getValue().getLeastSignificantBits();
            fingerprints[i] = contents.get(row);
            files[i] = row.sourceFile();
            records[i] = row.sourceRecord();
            i++;
        }
        Set<Long> claimed = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("""
                INSERT INTO event_ids
                SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::BIGINT[])
                ON CONFLICT DO NOTHING RETURNING id_hash""")) {
            ps.setArray(1, conn.createArrayOf("BIGINT", hashes));
            ps.setArray(2, conn.createArrayOf("BIGINT", lows));
            ps.setArray(3, conn.createArrayOf("BIGINT", fingerprints));
            ps.setArray(4, conn.createArrayOf("VARCHAR", files));
            ps.setArray(5, conn.createArrayOf("BIGINT", records));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getLong(1));
                }
            }
        }
        List<UUID> taken = new ArrayList<>();
        byHash.forEach((h, k) -> {
            if (!claimed.contains(h)) {
                taken.add(k);
            }
        });
        out.putAll(lookup(taken));
        return out;
    }

    /** What event_ids holds for these events (absent: not stored). Point lookups through the primary key. */
    private Map<UUID, StoredCopy> lookup(java.util.Collection<UUID> keys) throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        List<UUID> all = new ArrayList<>(keys);
        // An IN list of constants is answered from the index (up to DuckDB's index_scan_max_count).
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<UUID> part = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String sql = "SELECT id_hash, key_low, content, source_file, source_record FROM event_ids WHERE id_hash IN ("
                    + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setLong(i + 1, idHash(part.get(i)));
                }
                Set<UUID> wanted = new HashSet<>(part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID k = new UUID(rs.getLong(1), rs.getLong(2));
                        if (!wanted.contains(k)) {
                            log.warn("64-bit id collision between two events: the later one is stored unclaimed");
                            continue;
                        }
                        long rec = rs.getLong(5);
                        out.put(k, new StoredCopy(rs.getLong(3), rs.getString(4), rs.wasNull() ? null : rec));
                    }
                }
            }
        }
        return out;
    }

    private static final int LOOKUP_CHUNK = 1000;

    /** The key's high 64 bits (60 random: MD5 with the UUID version bits); the low 64 are kept beside it. */
    static long idHash(UUID eventKey) {
        return eventKey.getMostSignificantBits();
    }

    /**
     * What a copy says, as 64 bits of MD5 over its time (to the microsecond the store keeps), source,
     * name, error, account, region, caller, address and agent: two copies of one eventID that differ
     * in any of these conflict. The raw JSON is left out: the same record read from an S3 file and
     * from LookupEvents is formatted differently.
     */
    static long content(CloudTrailEvent e) {
        return content(e.eventTime(), e.eventSource(), e.eventName(), e.errorCode(), e.accountId(), e.awsRegion(),
                e.principal() == null ? null : e.principal().key(), e.sourceIp(), e.userAgent());
    }

    static long content(Instant time, String... fields) {
        StringBuilder b = new StringBuilder();
        // micros since the epoch from seconds and nanos: ChronoUnit.MICROS.between counts in nanos
        // and overflows after 2262-04-11, well inside the times the store holds (same value below it)
        b.append(time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000);
        for (String f : fields) {
            b.append('\u001f').append(f == null ? "\u0000" : f);
        }
        byte[] d = MD5.get().digest(b.toString().getBytes(StandardCharsets.UTF_8));
        return java.nio.ByteBuffer.wrap(d).getLong();
    }

    private static final ThreadLocal<java.security.MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 is part of every JDK", ex);
        }
    });

    private int conflictsLogged;
    /** Conflicts logged one by one per process; the rest are counted (ingest.conflicts). */
    static final int LOGGED_CONFLICTS = 20;

    private void logConflict(Batch.EventRow copy, String firstFile, Long firstRecord) {
        if (++conflictsLogged > LOGGED_CONFLICTS) {
            return;
        }
        log.warn("conflicting copy of eventID {} ignored: {}, record {} differs (time or content) from the copy stored first, from {},"
                        + " record {}", StorableValues.printable(copy.event().eventId()), StorableValues.printable(copy.sourceFile()), copy.sourceRecord(),
                StorableValues.printable(firstFile), firstRecord);
    }

    /** Fills event_ids from the events of a database written before it existed (once, on open). */
    private void backfillEventIds() throws SQLException {
        boolean needed;
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT count(*) FROM event_ids) = 0 AND (SELECT count(*) FROM events) > 0")) {
            rs.next();
            needed = rs.getBoolean(1);
        }
        if (!needed) {
            return;
        }
        log.info("building the event id index from the stored events (once)");
        Map<UUID, Batch.EventRow> chunk = new LinkedHashMap<>();
        try (Connection read = conn.duplicate(); Statement s = read.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT event_key, event_id, event_time, event_source, event_name, error_code, account_id, aws_region, principal,
                    source_ip, user_agent, source_file, source_record FROM events""")) {
            while (rs.next()) {
                UUID key = rs.getObject(1, UUID.class);
                Instant t = rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                long rec = rs.getLong(13);
                Long record = rs.wasNull() ? null : rec;
                CloudTrailEvent e = new CloudTrailEvent(rs.getString(2), t, rs.getString(4), rs.getString(5), null,
                        rs.getString(8), rs.getString(7), rs.getString(6), null,
                        new io.secrettrail.core.event.Principal(rs.getString(9), null, null), rs.getString(10), rs.getString(11),
                        List.of(), false, new byte[0]);
                chunk.put(key, new Batch.EventRow(e, null, true, rs.getString(12), record));
                if (chunk.size() >= 10_000) {
                    claimAll(chunk);
                    chunk.clear();
                }
            }
        }
        claimAll(chunk);
        conn.commit();
    }

    private void claimAll(Map<UUID, Batch.EventRow> rows) throws SQLException {
        Map<Batch.EventRow, Long> contents = new java.util.IdentityHashMap<>();
        rows.values().forEach(r -> contents.put(r, content(r.event())));
        claim(rows, contents);
    }

    /** Dead letters' headers (never their bytes), for the rejection metric and rule. */
    private void writeRejections(Batch batch) throws SQLException {
        if (batch.rejections.isEmpty()) {
            return;
        }
        try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rejections")) {
            for (Batch.RejectionRow r : batch.rejections) {
                a.beginRow().append(r.key()).append(utc(r.at())).append(r.source());
                text(a, r.file());
                if (r.record() == null) {
                    a.appendNull();
                } else {
                    a.append(r.record().longValue());
                }
                text(a, r.field());
                text(a, r.error());
                if (r.secretsManager() == null) {
                    a.appendNull();
                } else {
                    a.append(r.secretsManager().booleanValue());
                }
                a.append(r.stage()).endRow();
            }
        }
    }

    /**
     * Rejected records by source and whether they were Secrets Manager records ("true", "false",
     * "unknown"), each dead letter once: the rejection metric.
     */
    public Map<List<String>, Long> rejectionsBySource() throws SQLException {
        Map<List<String>, Long> out = new java.util.TreeMap<>(java.util.Comparator.comparing((List<String> l) -> l.get(0))
                .thenComparing(l -> l.get(1)));
        try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT source, coalesce(secrets_manager::VARCHAR, 'unknown'), count(DISTINCT dead_letter_key)
                FROM rejections GROUP BY ALL""")) {
            while (rs.next()) {
                out.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
        }
        return out;
    }

    /** 128 bits of MD5: collisions are out of reach at any trail size, unlike a 64-bit hash. */
    static UUID eventKey(String eventId) {
        return UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
    }

    static UUID pairKey(String eventId, String secretKey) {
        return UUID.nameUUIDFromBytes((eventId + '\u0000' + secretKey).getBytes(StandardCharsets.UTF_8));
    }

    private void writeInventory(Batch batch) throws SQLException {
        if (batch.inventory.isEmpty()) {
            return;
        }
        try (PreparedStatement del = conn.prepareStatement("DELETE FROM inventory WHERE arn = ?")) {
            for (String arn : batch.inventory.keySet()) {
                del.setString(1, arn);
                del.addBatch();
            }
            del.executeBatch();
        }
        try (DuckDBAppender put = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "inventory")) {
            for (InventoryEntry i : batch.inventory.values()) {
                if (i == null) {
                    continue; // a tombstone: the delete above was all
                }
                put.beginRow().append(i.arn()).append(i.name()).append(i.account()).append(i.region());
                text(put, i.primaryRegion());
                if (i.rotationEnabled() == null) {
                    put.appendNull();
                } else {
                    put.append(i.rotationEnabled().booleanValue());
                }
                text(put, i.rotationLambdaArn());
                if (i.rotationDays() == null) {
                    put.appendNull();
                } else {
                    put.append(i.rotationDays().intValue());
                }
                for (Instant t : new Instant[] {i.createdDate(), i.lastRotatedDate(), i.lastChangedDate(),
                        i.lastAccessedDate(), i.deletedDate(), i.nextRotationDate()}) {
                    if (t == null) {
                        put.appendNull();
                    } else {
                        put.append(utc(t));
                    }
                }
                try {
                    put.append(JSON.writeValueAsString(i.tags()));
                } catch (JsonProcessingException ex) {
                    throw new SQLException("cannot serialise tags of " + i.arn(), ex);
                }
                put.append(new String(i.raw(), StandardCharsets.UTF_8)).endRow();
            }
        }
    }

    private void bump(String counter, long by) throws SQLException {
        if (by == 0) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO counters VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
            ps.setString(1, counter);
            ps.setLong(2, by);
            ps.executeUpdate();
        }
    }

    public long counter(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                long v = rs.next() ? rs.getLong(1) : 0;
                conn.commit();
                return v;
            }
        }
    }

    private static void text(DuckDBAppender a, String v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else {
            a.append(v);
        }
    }

    static LocalDateTime utc(Instant t) {
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
