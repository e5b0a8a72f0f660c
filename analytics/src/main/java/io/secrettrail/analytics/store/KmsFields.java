package io.secrettrail.analytics.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What a KMS request's record says beyond the parsed columns: the key (its {@code resources[].ARN}, else
 * {@code requestParameters.keyId} as logged), the service that made it ({@code userIdentity.invokedBy}), the
 * {@code sharedEventID} that ties the copies of a cross-account request logged in two accounts' trails, and the
 * account of the identity that made it ({@code userIdentity.accountId}, null unless 12 digits): the account KMS
 * bills, also where the identity names no ARN (an {@code AWSAccount} caller in the key owner's trail).
 * Read from the raw record at storing time: KMS requests are a fraction of the events, and the reader's fast
 * path stays as it is for the rest.
 */
record KmsFields(String keyArn, String invokedBy, String sharedEventId, String callerAccount) {
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");

    static KmsFields of(byte[] raw) {
        JsonNode n;
        try {
            n = io.secrettrail.core.Json.mapper().readTree(raw);
        } catch (IOException e) {
            return new KmsFields(null, null, null, null); // the parser read it already: only a field of it is lost
        }
        String key = null;
        for (JsonNode r : n.path("resources")) {
            JsonNode arn = r.path("ARN");
            if (arn.isTextual()
                    && !arn.asText().isEmpty()
                    && (key == null || "AWS::KMS::Key".equals(r.path("type").asText()))) {
                key = arn.asText();
                if ("AWS::KMS::Key".equals(r.path("type").asText())) {
                    break;
                }
            }
        }
        if (key == null) {
            key = text(n.path("requestParameters").path("keyId"));
        }
        JsonNode identity = n.path("userIdentity");
        String account = text(identity.path("accountId"));
        return new KmsFields(
                key,
                text(identity.path("invokedBy")),
                text(n.path("sharedEventID")),
                account != null && ACCOUNT.matcher(account).matches() ? account : null);
    }

    private static String text(JsonNode v) {
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
