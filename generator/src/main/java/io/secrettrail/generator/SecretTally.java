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
    /** KMS Decrypt requests Secrets Manager made for it (encryption context naming its full ARN). */
    long kmsRequests;

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
    /**
     * Events that show the secret exists: successful calls other than BatchGetSecretValue (which succeeds
     * while listing ids that do not exist), and service events.
     */
    long confirming;
    /** The earliest of those events: a secret outside the inventory is billed storage from here. */
    long firstConfirmed = NONE;
    /** API calls naming this secret alone: unattributed when it never turns out to exist. */
    long soloApiCalls;

    void count(EventName event, long time, Principal principal, boolean failed) {
        calls++;
        if (event.serviceEvent || !failed && event != EventName.BatchGetSecretValue) {
            confirming++;
            firstConfirmed = firstConfirmed == NONE ? time : Math.min(firstConfirmed, time);
        }
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
