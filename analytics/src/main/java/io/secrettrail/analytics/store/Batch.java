package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one poll brought: rows to write and the offsets to store with them, in one transaction. */
public final class Batch {
    /**
     * An event message; {@code first} is false for the second and later copies of a fanned-out batch read.
     * {@code kafkaPartition} and {@code kafkaOffset} say where its record is in the events topic (null when it
     * did not come from Kafka): the store keeps them in place of the raw record.
     */
    public record EventRow(
            CloudTrailEvent event,
            SecretRef secret,
            boolean first,
            String sourceFile,
            Long sourceRecord,
            Integer kafkaPartition,
            Long kafkaOffset) {
        /** An event row that did not come from Kafka. */
        public EventRow(CloudTrailEvent event, SecretRef secret, boolean first, String sourceFile, Long sourceRecord) {
            this(event, secret, first, sourceFile, sourceRecord, null, null);
        }
    }

    /**
     * A dead letter, from its headers: its key (a copy published twice counts once), when it was
     * published, the source label and file it came from, the record index, field and error, whether
     * the record was a Secrets Manager one (null: unknown), and the stage that rejected it.
     */
    public record RejectionRow(
            String key,
            java.time.Instant at,
            String source,
            String file,
            Long record,
            String field,
            String error,
            Boolean secretsManager,
            String stage) {}

    /**
     * That ingest read a trail file: its account and region, name, latest eventTime (of all its
     * records) and record count.
     */
    public record DeliveryRow(
            String account, String region, String file, java.time.Instant latestEventTime, long records) {}

    /**
     * The keys dedupe needs for one row: its event's key and content fingerprint ({@link EventIds#eventKey},
     * {@link EventIds#content}) and, when it names a secret, the (event, secret) pair's key. Three MD5s a row,
     * worked out where the messages are decoded, in parallel, instead of on the single writer thread that bounds
     * the pipeline (issue 16); a row without them has them worked out by the writer.
     */
    public static final class RowKeys {
        final java.util.UUID event;
        final long content;
        final java.util.UUID pair;

        private RowKeys(java.util.UUID event, long content, java.util.UUID pair) {
            this.event = event;
            this.content = content;
            this.pair = pair;
        }

        static RowKeys of(EventRow row) {
            CloudTrailEvent e = row.event();
            return new RowKeys(
                    EventIds.eventKey(e.eventId()),
                    EventIds.content(e),
                    row.secret() == null
                            ? null
                            : EventIds.pairKey(e.eventId(), row.secret().key()));
        }
    }

    /** A row with its dedupe keys (see {@link Batch#keyed}); null keys for a row the dedupe does not see. */
    public record Keyed(EventRow row, RowKeys keys) {}

    /** The row with its dedupe keys worked out now, on the calling thread (a decoder's, not the writer's). */
    public static Keyed keyed(EventRow row) {
        // a logging change or a KMS request goes to a table of its own, not through the dedupe: none needed
        return new Keyed(row, row.event().loggingChange() || row.event().kmsRequest() ? null : RowKeys.of(row));
    }

    final List<EventRow> events = new ArrayList<>();
    /** The keys worked out for rows of this batch before it reached the writer, by row (identity). */
    private final Map<EventRow, RowKeys> keys = new java.util.IdentityHashMap<>();
    /** CloudTrail's logging changes (see {@link CloudTrailEvent#LOGGING_CHANGES}): stored apart from events. */
    final List<EventRow> trailChanges = new ArrayList<>();
    /** The KMS requests made for a secret (see {@link CloudTrailEvent#kmsRequest()}): stored apart from events. */
    final List<EventRow> kmsRequests = new ArrayList<>();

    final List<DeliveryRow> deliveries = new ArrayList<>();
    final List<RejectionRow> rejections = new ArrayList<>();
    /** Latest entry per ARN in this batch. */
    final Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
    /** Per ARN, when a tombstone in this batch said the secret left the listing (the first such time). */
    final Map<String, java.time.Instant> gone = new LinkedHashMap<>();
    /** The (account, region) pairs an inventory covers, that this batch announced, with their source. */
    final Map<List<String>, String> coverage = new LinkedHashMap<>();
    /** Latest current resource policy per ARN in this batch (GetResourcePolicy, saved outputs). */
    final Map<String, io.secrettrail.core.secret.ResourcePolicy> policies = new LinkedHashMap<>();

    final Map<String, Map<Integer, Long>> nextOffsets = new LinkedHashMap<>();
    long undecodable;

    /**
     * An event row; a CloudTrail logging change and a KMS request each go to their own table, never among the
     * Secrets Manager events.
     */
    public void event(EventRow row) {
        if (row.event().loggingChange()) {
            trailChanges.add(row);
        } else if (row.event().kmsRequest()) {
            kmsRequests.add(row);
        } else {
            events.add(row);
        }
    }

    /** An event row (see {@link #event(EventRow)}) whose dedupe keys were worked out already. */
    public void event(Keyed k) {
        event(k.row());
        if (k.keys() != null) {
            keys.put(k.row(), k.keys());
        }
    }

    /** The row's dedupe keys: worked out before the writer, or now (and kept for the rest of the batch). */
    RowKeys keysOf(EventRow row) {
        return keys.computeIfAbsent(row, RowKeys::of);
    }

    public void delivery(DeliveryRow row) {
        deliveries.add(row);
    }

    /**
     * An event with every secret it names, as the consumer receives it from Kafka: one row per
     * secret (the first marked first), or one row without a secret if it names none.
     */
    public void event(
            io.secrettrail.core.event.CloudTrailEvent e,
            java.util.List<io.secrettrail.core.secret.SecretRef> secrets,
            String sourceFile,
            Long sourceRecord) {
        if (secrets.isEmpty()) {
            event(new EventRow(e, null, true, sourceFile, sourceRecord));
        }
        for (int k = 0; k < secrets.size(); k++) {
            event(new EventRow(e, secrets.get(k), k == 0, sourceFile, sourceRecord));
        }
    }

    public void rejection(RejectionRow row) {
        rejections.add(row);
    }

    /** The event rows, in order (read only). */
    public List<EventRow> events() {
        return java.util.Collections.unmodifiableList(events);
    }

    /** Drops these rows (by identity): messages found unstorable, dead-lettered instead. */
    public void removeEvents(java.util.Collection<EventRow> rows) {
        java.util.Set<EventRow> drop = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        drop.addAll(rows);
        events.removeIf(drop::contains);
        keys.keySet().removeIf(drop::contains);
    }

    /** A batch of only these event rows, no offsets: to try whether they can be stored. */
    public static Batch ofEvents(List<EventRow> rows) {
        Batch b = new Batch();
        b.events.addAll(rows);
        return b;
    }

    /** The secret's inventory entry: it is listed (again), whatever a tombstone said before. */
    public void inventory(String arn, InventoryEntry entry) {
        java.util.Objects.requireNonNull(entry, "entry; a tombstone is inventoryGone");
        inventory.remove(arn);
        inventory.put(arn, entry);
        gone.remove(arn);
    }

    /**
     * A tombstone: the secret left the listing at {@code at} (deleted for good). Its row is kept, so that a
     * closed month still bills it; its billed interval ends at {@code at}. An entry earlier in this batch is
     * still written.
     */
    public void inventoryGone(String arn, java.time.Instant at) {
        gone.putIfAbsent(arn, java.util.Objects.requireNonNull(at, "at"));
    }

    /** An inventory covers this account and region: names it neither lists nor shows to exist do not exist there. */
    public void coverage(String account, String region, String source) {
        coverage.putIfAbsent(List.of(account, region), source);
    }

    /** A secret's current resource policy: the latest read replaces the one before. */
    public void policy(io.secrettrail.core.secret.ResourcePolicy p) {
        policies.remove(p.arn());
        policies.put(p.arn(), p);
    }

    public void undecodable() {
        undecodable++;
    }

    public void offset(String topic, int partition, long nextOffset) {
        nextOffsets.computeIfAbsent(topic, t -> new LinkedHashMap<>()).merge(partition, nextOffset, Math::max);
    }

    public boolean isEmpty() {
        return events.isEmpty()
                && inventory.isEmpty()
                && gone.isEmpty()
                && coverage.isEmpty()
                && policies.isEmpty()
                && nextOffsets.isEmpty()
                && rejections.isEmpty()
                && trailChanges.isEmpty()
                && kmsRequests.isEmpty()
                && deliveries.isEmpty();
    }

    public int size() {
        return events.size()
                + inventory.size()
                + gone.size()
                + coverage.size()
                + policies.size()
                + rejections.size()
                + trailChanges.size()
                + kmsRequests.size()
                + deliveries.size();
    }
}
