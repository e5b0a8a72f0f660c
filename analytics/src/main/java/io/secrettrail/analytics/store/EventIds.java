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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * The all-time index of stored event ids ({@code event_ids}): dedupe by eventID whatever the eventTime,
 * through the primary key's index so the cost does not grow with the table. Also the keys and content
 * fingerprints that index is built from.
 */
final class EventIds {
    // The store's log lines keep the one logger name they have always had.
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStore.class);
    private static final int LOOKUP_CHUNK = 1000;

    /** Where an event already stored came from, and what it said (see {@link #content}). */
    record StoredCopy(long content, String sourceFile, Long sourceRecord) {}

    private final DuckDBConnection conn;

    EventIds(DuckDBConnection conn) {
        this.conn = conn;
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
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/event-ids-claim"))) {
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
    Map<UUID, StoredCopy> lookup(Collection<UUID> keys) throws SQLException {
        Map<UUID, StoredCopy> out = new HashMap<>();
        List<UUID> all = new ArrayList<>(keys);
        String template = Sql.text("store/event-ids-lookup");
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<UUID> part = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String sql =
                    template.replace("IN (?)", "IN (" + String.join(",", Collections.nCopies(part.size(), "?")) + ")");
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
        return UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
    }

    static UUID pairKey(String eventId, String secretKey) {
        return UUID.nameUUIDFromBytes((eventId + '\u0000' + secretKey).getBytes(StandardCharsets.UTF_8));
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
