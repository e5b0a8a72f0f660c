package io.secrettrail.generator;

import java.util.BitSet;

/** What the truth says about one secret, accumulated from each unique event as it is created. */
final class SecretTally {
    static final long NONE = Long.MIN_VALUE;

    long calls;
    long errors;
    final long[] byEvent = new long[SmEvent.values().length];
    /** Principal indexes; each principal has a distinct key, so the cardinality is the count. */
    final BitSet principals = new BitSet();
    long lastAccessed = NONE;
    long lastRotated = NONE;
    long lastChanged = NONE;
    long created = NONE;
    long deleted = NONE;

    void count(SmEvent event, long time, Principal principal, boolean failed) {
        calls++;
        byEvent[event.ordinal()]++;
        if (failed) {
            errors++;
        }
        if (principal != null) {
            principals.set(principal.index);
        }
        if (failed) {
            return;
        }
        if (event.access) {
            lastAccessed = Math.max(lastAccessed, time);
        }
        if (event == SmEvent.RotationSucceeded) {
            lastRotated = Math.max(lastRotated, time);
        }
        if (event.change) {
            lastChanged = Math.max(lastChanged, time);
        }
        if (event == SmEvent.CreateSecret && created == NONE) {
            created = time;
        }
        if (event == SmEvent.DeleteSecret) {
            deleted = Math.max(deleted, time);
        }
    }

    static long max(long a, long b) {
        return Math.max(a, b);
    }
}
