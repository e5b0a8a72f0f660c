package io.secrettrail.generator;

import java.util.BitSet;

/** What the truth says about one secret, accumulated from each unique event as it is created. */
final class SecretTally {
    static final long NONE = Long.MIN_VALUE;

    long calls;
    /**
     * Successful retrievals of the value: GetSecretValue entries, plus one per listed secret of a
     * BatchGetSecretValue whose generated entries are not in the trail.
     */
    long reads;

    long errors;
    final long[] callsByEvent = new long[EventName.values().length];
    /** {@link Principal#index}es of the callers; each counts as one principal, so the cardinality is the count. */
    final BitSet callerIndexes = new BitSet();

    long lastAccessed = NONE;
    long lastRotated = NONE;
    long lastChanged = NONE;
    /** The first successful CreateSecret. */
    long firstCreated = NONE;
    /** The latest successful DeleteSecret. */
    long lastDeleted = NONE;

    void count(EventName event, long time, Principal principal, boolean failed) {
        calls++;
        callsByEvent[event.ordinal()]++;
        if (failed) {
            errors++;
        }
        if (principal != null) {
            callerIndexes.set(principal.index);
        }
        if (failed) {
            return;
        }
        if (event.countsAsAccess) {
            lastAccessed = Math.max(lastAccessed, time);
        }
        if (event == EventName.RotationSucceeded) {
            lastRotated = Math.max(lastRotated, time);
        }
        if (event.countsAsChange) {
            lastChanged = Math.max(lastChanged, time);
        }
        if (event == EventName.CreateSecret && firstCreated == NONE) {
            firstCreated = time;
        }
        if (event == EventName.DeleteSecret) {
            lastDeleted = Math.max(lastDeleted, time);
        }
    }
}
