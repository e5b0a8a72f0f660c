package io.secrettrail.core.event;

import java.time.Instant;
import java.util.List;

/**
 * One Secrets Manager CloudTrail event (or one of CloudTrail's own {@link #LOGGING_CHANGES}): the
 * columns SecretTrail reads, beside the original record.
 *
 * @param raw the original record as JSON (UTF-8), lossless except that secret values
 *            ({@code secretString}, {@code secretBinary}) are dropped wherever they appear
 * @param secretIds where the event names its secret(s), in resolution order; empty when it names none
 * @param filterBatch a BatchGetSecretValue by filters: it reads secrets without naming them
 * @param requestId CloudTrail's {@code requestID}, or null when the record has none; it may tie the
 *            GetSecretValue entries a BatchGetSecretValue generates to the batch
 * @param carriedValue the request held a secret value ({@code requestParameters.secretString} or
 *            {@code secretBinary}) before the reader dropped it: the call wrote a new version. Only
 *            the fact is kept, never the value.
 * @param details the fields only rules and the snapshot read, stored as columns in place of the raw record
 */
public record CloudTrailEvent(
        String eventId,
        Instant eventTime,
        String eventSource,
        String eventName,
        String eventType,
        String awsRegion,
        String accountId,
        String errorCode,
        String errorMessage,
        Principal principal,
        String sourceIp,
        String userAgent,
        List<SecretId> secretIds,
        boolean filterBatch,
        boolean carriedValue,
        byte[] raw,
        String requestId,
        EventDetails details) {

    /** An event whose request carried no secret value and had no request id, without {@link EventDetails}. */
    public CloudTrailEvent(
            String eventId,
            Instant eventTime,
            String eventSource,
            String eventName,
            String eventType,
            String awsRegion,
            String accountId,
            String errorCode,
            String errorMessage,
            Principal principal,
            String sourceIp,
            String userAgent,
            List<SecretId> secretIds,
            boolean filterBatch,
            byte[] raw) {
        this(
                eventId,
                eventTime,
                eventSource,
                eventName,
                eventType,
                awsRegion,
                accountId,
                errorCode,
                errorMessage,
                principal,
                sourceIp,
                userAgent,
                secretIds,
                filterBatch,
                false,
                raw,
                null,
                EventDetails.NONE);
    }

    public static final String SECRETS_MANAGER = "secretsmanager.amazonaws.com";
    /** CloudTrail's own events: only {@link #LOGGING_CHANGES} of them are kept. */
    public static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
    /**
     * The CloudTrail calls that stop, remove or narrow what a trail records: an attacker makes one
     * before anything else, so they are kept beside the Secrets Manager events although they name
     * no secret.
     */
    public static final java.util.Set<String> LOGGING_CHANGES =
            java.util.Set.of("StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors");

    /**
     * KMS: only the requests Secrets Manager makes for a secret are kept, those whose
     * {@code requestParameters.encryptionContext.SecretARN} names it (see {@link #kmsRequest()}).
     */
    public static final String KMS = "kms.amazonaws.com";

    /** Whether a record of this eventSource may be kept (the reader's cheap check, before the name is known). */
    public static boolean keptSource(String eventSource) {
        return SECRETS_MANAGER.equals(eventSource) || CLOUDTRAIL.equals(eventSource) || KMS.equals(eventSource);
    }

    /**
     * Whether a record is kept: every Secrets Manager one, CloudTrail's logging changes, and the KMS
     * requests made for a secret.
     *
     * @param kmsSecretArn the record's {@code requestParameters.encryptionContext.SecretARN}, or null
     */
    public static boolean kept(String eventSource, String eventName, String kmsSecretArn) {
        return SECRETS_MANAGER.equals(eventSource)
                || CLOUDTRAIL.equals(eventSource) && LOGGING_CHANGES.contains(eventName)
                || KMS.equals(eventSource) && kmsSecretArn != null && !kmsSecretArn.isEmpty();
    }

    /** A CloudTrail logging change (see {@link #LOGGING_CHANGES}), not a Secrets Manager event. */
    public boolean loggingChange() {
        return CLOUDTRAIL.equals(eventSource);
    }

    /**
     * A KMS request Secrets Manager made for the secret in {@link #secretIds()} (from its encryption
     * context): stored apart, it never counts as a Secrets Manager event or call.
     */
    public boolean kmsRequest() {
        return KMS.equals(eventSource);
    }

    /** A Secrets Manager event: neither a {@link #loggingChange()} nor a {@link #kmsRequest()}. */
    public boolean secretsManager() {
        return SECRETS_MANAGER.equals(eventSource);
    }

    public boolean isApiCall() {
        return "AwsApiCall".equals(eventType);
    }

    public boolean failed() {
        return errorCode != null;
    }

    /** A secret reference as written in the event, and the field it came from. */
    public record SecretId(String value, String field) {}
}
