package io.secrettrail.analytics.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretRef;

/** What one poll brought: rows to write and the offsets to store with them, in one transaction. */
public final class Batch {
    /** An event message; {@code first} is false for the second and later copies of a fanned-out batch read. */
    public record EventRow(CloudTrailEvent event, SecretRef secret, boolean first, String sourceFile, Long sourceRecord) {}

    final List<EventRow> events = new ArrayList<>();
    /** Latest value per ARN in this batch; null is a tombstone. */
    final Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
    final Map<String, Map<Integer, Long>> nextOffsets = new LinkedHashMap<>();
    long undecodable;

    public void event(EventRow row) {
        events.add(row);
    }

    /**
     * An event with every secret it names, as the consumer receives it from Kafka: one row per
     * secret (the first marked first), or one row without a secret if it names none.
     */
    public void event(io.secrettrail.core.event.CloudTrailEvent e, java.util.List<io.secrettrail.core.secret.SecretRef> secrets,
                      String sourceFile, Long sourceRecord) {
        if (secrets.isEmpty()) {
            event(new EventRow(e, null, true, sourceFile, sourceRecord));
        }
        for (int k = 0; k < secrets.size(); k++) {
            event(new EventRow(e, secrets.get(k), k == 0, sourceFile, sourceRecord));
        }
    }

    public void inventory(String arn, InventoryEntry entryOrNull) {
        inventory.remove(arn);
        inventory.put(arn, entryOrNull);
    }

    public void undecodable() {
        undecodable++;
    }

    public void offset(String topic, int partition, long nextOffset) {
        nextOffsets.computeIfAbsent(topic, t -> new LinkedHashMap<>()).merge(partition, nextOffset, Math::max);
    }

    public boolean isEmpty() {
        return events.isEmpty() && inventory.isEmpty() && nextOffsets.isEmpty();
    }

    public int size() {
        return events.size() + inventory.size();
    }
}
