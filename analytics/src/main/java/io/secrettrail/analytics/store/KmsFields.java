package io.secrettrail.analytics.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What a KMS request's record says beyond the parsed columns: the key (its {@code resources[].ARN}, else
 * {@code requestParameters.keyId} as logged), the service that made it ({@code userIdentity.invokedBy}) and the
 * {@code sharedEventID} that ties the copies of a cross-account request logged in two accounts' trails.
 * Read from the raw record at storing time: KMS requests are a fraction of the events, and the reader's fast
 * path stays as it is for the rest.
 */
record KmsFields(String keyArn, String invokedBy, String sharedEventId) {
    static KmsFields of(byte[] raw) {
        JsonNode n;
        try {
            n = io.secrettrail.core.Json.mapper().readTree(raw);
        } catch (IOException e) {
            return new KmsFields(null, null, null); // the parser read it already: only a field of it is lost
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
        return new KmsFields(key, text(n.path("userIdentity").path("invokedBy")), text(n.path("sharedEventID")));
    }

    private static String text(JsonNode v) {
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
