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
    private static final ObjectMapper JSON = new ObjectMapper();

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
            // the in-memory view of secret_keys may hold keys of the rolled-back batch
            knownKeys.clear();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT secret_key FROM secret_keys")) {
                while (rs.next()) {
                    knownKeys.add(rs.getString(1));
                }
            } catch (SQLException reload) {
                e.addSuppressed(reload);
            }
            try {
                loadUnconfirmed();
            } catch (SQLException reload) {
                e.addSuppressed(reload);
            }
            conn.rollback();
            throw e;
        }
    }

    private WriteResult writeInTransaction(Batch batch) throws SQLException {
        // Dedupe within the batch in memory, then against the store by 128-bit keys: only the
        // keys are staged, and the rows are appended once, straight into their tables.
        Map<UUID, Batch.EventRow> firstCopies = new LinkedHashMap<>();
        Map<UUID, Batch.EventRow> pairs = new LinkedHashMap<>();
        long copies = 0;
        for (Batch.EventRow row : batch.events) {
            if (row.first()) {
                copies++;
                firstCopies.putIfAbsent(eventKey(row.event().eventId()), row);
            }
            if (row.secret() != null) {
                pairs.putIfAbsent(pairKey(row.event().eventId(), row.secret().key()), row);
            }
        }
        Instant from = null;
        Instant to = null;
        for (Batch.EventRow row : batch.events) {
            Instant t = row.event().eventTime();
            from = from == null || t.isBefore(from) ? t : from;
            to = to == null || t.isAfter(to) ? t : to;
        }
        Set<UUID> stored = storedKeys(firstCopies.keySet(), pairs.keySet(), from, to);
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
        bump("undecodable", batch.undecodable);
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
