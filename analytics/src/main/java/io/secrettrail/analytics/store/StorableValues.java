package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.InventoryEntry;
import java.time.Instant;

/**
 * What the store can hold, checked before a value reaches the Appender: a message that cannot be
 * stored is a poison message (dead-lettered by the consumer), never a failed batch. DuckDB's
 * TIMESTAMP ends in year 294247 (the Appender throws "long overflow" past it), and date arithmetic
 * near either end overflows; CloudTrail writes four-digit years, so times outside 0001–9999 are
 * refused.
 */
public final class StorableValues {
    private StorableValues() {}

    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Why a value cannot be stored: the field and a sentence. */
    public record Problem(String field, String error) {}

    /** @return the first value of the event the store cannot hold, or null */
    public static Problem check(CloudTrailEvent e) {
        if (e.eventTime() == null) {
            return new Problem("eventTime", "missing");
        }
        Problem p = time("eventTime", e.eventTime());
        if (p != null) {
            return p;
        }
        if (e.eventId() == null || e.eventId().isEmpty()) {
            return new Problem("eventID", "missing");
        }
        if (e.eventSource() == null) {
            return new Problem("eventSource", "missing");
        }
        if (e.eventName() == null) {
            return new Problem("eventName", "missing");
        }
        return null;
    }

    /** @return the first date of the entry the store cannot hold, or null */
    public static Problem check(InventoryEntry i) {
        String[] names = {
            "CreatedDate", "LastRotatedDate", "LastChangedDate", "LastAccessedDate", "DeletedDate", "NextRotationDate"
        };
        Instant[] times = {
            i.createdDate(),
            i.lastRotatedDate(),
            i.lastChangedDate(),
            i.lastAccessedDate(),
            i.deletedDate(),
            i.nextRotationDate()
        };
        for (int k = 0; k < times.length; k++) {
            Problem p = time(names[k], times[k]);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** True when the time is null or within what the store holds. */
    public static boolean storable(Instant t) {
        return t == null || (!t.isBefore(MIN_TIME) && !t.isAfter(MAX_TIME));
    }

    private static Problem time(String field, Instant t) {
        if (t == null || storable(t)) {
            return null;
        }
        return new Problem(field, "time " + t + " is outside the range the store holds (years 0001 to 9999)");
    }

    /** An event-derived string as a log can show it: control and format characters escaped, at most about 300 characters. */
    public static String printable(String s) {
        return s == null ? "unknown" : io.secrettrail.core.Text.visible(s, 300);
    }
}
