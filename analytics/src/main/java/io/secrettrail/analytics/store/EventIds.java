package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The all-time index of stored event ids ({@code event_ids}): dedupe by eventID whatever the eventTime. An
 * in-memory {@link IdFilter} of the stored id hashes, built on {@link #load()}, answers "new" for almost every new
 * event without touching the table; only the ids it may hold are looked up, in one query per batch, and the table
 * decides. Also the keys and content fingerprints that index is built from.
 */
final class EventIds {
    // The store's log lines keep the one logger name they have always had.
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStore.class);
    /** The smallest filter (1.25 MB): a new store grows into it without a rebuild. */
    static final long MIN_CAPACITY = 1L << 20;
    /** The filter sized for twice the ids stored (at least {@link #MIN_CAPACITY}): rebuilt after each doubling. */
    static final LongFunction<IdFilter> DEFAULT_SIZING =
            stored -> IdFilter.forCapacity(Math.max(MIN_CAPACITY, 2 * stored));

    /** Where an event already stored came from, and what it said (see {@link #content}). */
    record StoredCopy(long content, String sourceFile, Long sourceRecord) {}

    /** A row of event_ids. */
    private final DuckDBConnection conn;

    private final LongFunction<IdFilter> sizing;
    private IdFilter filter;

    EventIds(DuckDBConnection conn, LongFunction<IdFilter> sizing) {
        this.conn = conn;
        this.sizing = sizing;
        this.filter = sizing.apply(0);
    }

    /**
     * Builds the filter from the stored id hashes (on open, and when the store has outgrown it). Ids added by a
     * write that is then rolled back stay in it: they only make lookups that find nothing.
     */
    void load() throws SQLException {
        List<Long> hashes = new ArrayList<>();
        long n = 0;
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/event-ids-count"))) {
            rs.next();
            n = rs.getLong(1);
        }
        IdFilter f = sizing.apply(n);
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/event-ids-hashes"))) {
            while (rs.next()) {
                f.add(rs.getLong(1));
            }
        }
        filter = f;
    }

    /**
     * Claims an id in event_ids for each of these events; returns those already claimed (copies),
     * with what the stored copy said. A 64-bit collision of two different events (about n²/2⁶⁵:
     * 3·10⁻⁶ at 10 million events) is told apart by the full key and the event stored anyway.
     */
    Map<UUID, StoredCopy> claim(Map<UUID, Batch.EventRow> rows, Map<Batch.EventRow, Long> contents)
            throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        List<Long> maybe = new ArrayList<>();
        for (UUID k : rows.keySet()) {
            if (filter.mightContain(idHash(k))) {
                maybe.add(idHash(k));
            }
        }
        // By the full 128-bit key: two events whose 64-bit hashes collide (a trail file can be made to hold such
        // a pair) are each claimed, so a later copy of either is told apart (event_ids has no key since V014).
        Map<UUID, StoredCopy> found = stored(maybe);
        List<UUID> fresh = new ArrayList<>(rows.size());
        for (UUID k : rows.keySet()) {
            StoredCopy s = found.get(k);
            if (s == null) {
                fresh.add(k);
            } else {
                out.put(k, s);
            }
        }
        insert(fresh, rows, contents);
        return out;
    }

    private void insert(List<UUID> fresh, Map<UUID, Batch.EventRow> rows, Map<Batch.EventRow, Long> contents)
            throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        // the Appender: the INSERT of five list parameters took 60 µs a row, most of the batch's dedupe
        try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_ids")) {
            for (UUID k : fresh) {
                Batch.EventRow row = rows.get(k);
                a.beginRow()
                        .append(idHash(k))
                        .append(k.getLeastSignificantBits())
                        .append(contents.get(row));
                Cells.text(a, row.sourceFile());
                Cells.whole(a, row.sourceRecord());
                a.endRow();
            }
        }
        for (UUID k : fresh) {
            filter.add(idHash(k));
        }
        if (filter.full()) {
            log.info("the event id filter outgrew its {} ids: rebuilt larger", filter.capacity());
            load(); // this transaction sees its own rows
        }
    }

    /** What event_ids holds for these events (absent: not stored); only the ids the filter may hold are asked. */
    Map<UUID, StoredCopy> lookup(Collection<UUID> keys) throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        List<Long> maybe = new ArrayList<>();
        for (UUID k : keys) {
            if (filter.mightContain(idHash(k))) {
                maybe.add(idHash(k));
            }
        }
        Map<UUID, StoredCopy> found = stored(maybe);
        for (UUID k : keys) {
            StoredCopy s = found.get(k);
            if (s != null) {
                out.put(k, s);
            }
        }
        return out;
    }

    /** The rows of event_ids with these hashes, in one query, by their full key. */
    private Map<UUID, StoredCopy> stored(List<Long> hashes) throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        if (hashes.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/event-ids-lookup"))) {
            ps.setArray(1, conn.createArrayOf("BIGINT", hashes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long low = rs.getLong(2);
                    long content = rs.getLong(3);
                    String file = rs.getString(4);
                    long rec = rs.getLong(5);
                    Long record = rs.wasNull() ? null : rec;
                    out.putIfAbsent(new UUID(rs.getLong(1), low), new StoredCopy(content, file, record));
                }
            }
        }
        return out;
    }

    /** Fills event_ids from the events of a database written before it existed (once, on open). */
    void backfill() throws SQLException {
        boolean needed;
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/event-ids-missing"))) {
            rs.next();
            needed = rs.getBoolean(1);
        }
        if (!needed) {
            return;
        }
        log.info("building the event id index from the stored events (once)");
        Map<UUID, Batch.EventRow> chunk = new LinkedHashMap<>();
        try (Connection read = conn.duplicate();
                Statement s = read.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/event-ids-backfill"))) {
            while (rs.next()) {
                UUID key = rs.getObject(1, UUID.class);
                Instant t = rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                long rec = rs.getLong(13);
                Long record = rs.wasNull() ? null : rec;
                CloudTrailEvent e = new CloudTrailEvent(
                        rs.getString(2),
                        t,
                        rs.getString(4),
                        rs.getString(5),
                        null,
                        rs.getString(8),
                        rs.getString(7),
                        rs.getString(6),
                        null,
                        new Principal(rs.getString(9), null, null),
                        rs.getString(10),
                        rs.getString(11),
                        List.of(),
                        false,
                        new byte[0]);
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
        Map<Batch.EventRow, Long> contents = new IdentityHashMap<>();
        rows.values().forEach(r -> contents.put(r, content(r.event())));
        claim(rows, contents);
    }

    /** The key's high 64 bits (60 random: MD5 with the UUID version bits); the low 64 are kept beside it. */
    static long idHash(UUID eventKey) {
        return eventKey.getMostSignificantBits();
    }

    /** 128 bits of MD5: collisions are out of reach at any trail size, unlike a 64-bit hash. */
    static UUID eventKey(String eventId) {
        return nameUuid(eventId.getBytes(StandardCharsets.UTF_8));
    }

    static UUID pairKey(String eventId, String secretKey) {
        return nameUuid((eventId + '\u0000' + secretKey).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link UUID#nameUUIDFromBytes} (a version 3 UUID) with this thread's digest: that method looks up a new
     * MD5 instance on each call, which cost the writer more than the rest of the dedupe.
     */
    static UUID nameUuid(byte[] name) {
        byte[] d = MD5.get().digest(name);
        ByteBuffer b = ByteBuffer.wrap(d);
        long msb = (b.getLong() & ~0xF000L) | 0x3000L; // version 3
        long lsb = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb);
    }

    /**
     * What a copy says, as 64 bits of MD5 over its time (to the microsecond the store keeps), source,
     * name, error, account, region, caller, address and agent: two copies of one eventID that differ
     * in any of these conflict. The raw JSON is left out: the same record read from an S3 file and
     * from LookupEvents is formatted differently.
     */
    static long content(CloudTrailEvent e) {
        return content(
                e.eventTime(),
                e.eventSource(),
                e.eventName(),
                e.errorCode(),
                e.accountId(),
                e.awsRegion(),
                e.principal() == null ? null : e.principal().key(),
                e.sourceIp(),
                e.userAgent());
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
        return ByteBuffer.wrap(d).getLong();
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 is part of every JDK", ex);
        }
    });
}
