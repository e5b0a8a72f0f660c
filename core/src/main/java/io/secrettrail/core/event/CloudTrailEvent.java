package io.secrettrail.core.event;

import java.time.Instant;
import java.util.List;

/**
 * One Secrets Manager CloudTrail event: the columns SecretTrail reads, beside the original record.
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
        String requestId) {

    /** An event whose request carried no secret value and had no request id. */
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
                null);
    }

    public static final String SECRETS_MANAGER = "secretsmanager.amazonaws.com";

    public boolean isApiCall() {
        return "AwsApiCall".equals(eventType);
    }

    public boolean failed() {
        return errorCode != null;
    }

    /** A secret reference as written in the event, and the field it came from. */
    public record SecretId(String value, String field) {}
}
