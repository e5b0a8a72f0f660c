package io.secrettrail.analytics.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link BatchEntryMatcher} needs of one {@code GetSecretValue} or {@code BatchGetSecretValue} record,
 * and nothing else, so that the matching rules can be tested without a database.
 *
 * <p>Secrets are given as the caller resolved them (the snapshot's final ARN), never as the record wrote them:
 * a batch may name a secret by name and its generated entry by ARN.
 *
 * @param eventId CloudTrail's {@code eventID}
 * @param eventName {@code GetSecretValue} or {@code BatchGetSecretValue}; any other name never matches
 * @param time {@code eventTime}
 * @param requestId {@code requestID}, or null when the record has none
 * @param principal the caller's ARN ({@code userIdentity.arn})
 * @param session the session the call was made in ({@code events.session_arn}), or null for long-term keys
 * @param sourceIp {@code sourceIPAddress}
 * @param userAgent {@code userAgent}, or null
 * @param errorCode {@code errorCode}, or null for a call that succeeded
 * @param secrets for {@code GetSecretValue} the one secret it names; for a batch the secrets of its
 *     {@code secretIdList} (empty for a batch by {@code filters}, whose secrets only its generated entries tell)
 * @param failedSecrets secrets the batch's response reports in {@code errors}; empty when the record does not say
 *     (CloudTrail logs {@code responseElements} of a batch as null)
 */
public record ReadCall(
        String eventId,
        String eventName,
        Instant time,
        String requestId,
        String principal,
        String session,
        String sourceIp,
        String userAgent,
        String errorCode,
        Set<String> secrets,
        Set<String> failedSecrets) {

    public ReadCall {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(time, "time");
        secrets = Set.copyOf(secrets);
        failedSecrets = Set.copyOf(failedSecrets);
    }

    boolean isEntry() {
        return "GetSecretValue".equals(eventName);
    }

    boolean isBatch() {
        return "BatchGetSecretValue".equals(eventName);
    }

    boolean succeeded() {
        return errorCode == null;
    }

    /** The one secret a {@code GetSecretValue} names, or null. */
    String secret() {
        return secrets.size() == 1 ? secrets.iterator().next() : null;
    }
}
