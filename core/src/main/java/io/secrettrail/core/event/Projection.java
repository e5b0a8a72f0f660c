package io.secrettrail.core.event;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads only the fields {@link EventParser} uses out of an event object and skips the rest
 * without decoding it: most of a CloudTrail record (tlsDetails, large request parameters,
 * resources) is never looked at, and skipping is several times cheaper than building it.
 */
public final class Projection {
    static final Set<String> TOP = Set.of("eventID", "eventTime", "eventSource", "eventName", "eventType",
            "awsRegion", "recipientAccountId", "errorCode", "errorMessage", "userIdentity", "sourceIPAddress", "userAgent");
    static final Map<String, Set<String>> NESTED = Map.of(
            "requestParameters", Set.of("secretId", "name", "secretIdList"),
            "responseElements", Set.of("arn", "aRN"),
            "additionalEventData", Set.of("SecretId"));

    private Projection() {}

    /** Whether a top-level field is one the parser reads (fully, or projected). */
    static boolean wanted(String field) {
        return TOP.contains(field) || NESTED.containsKey(field);
    }

    /** Reads the value of a wanted top-level field; the parser is on the value's first token. */
    static JsonNode value(ObjectMapper mapper, JsonParser p, String field) throws IOException {
        Set<String> keys = NESTED.get(field);
        if (keys != null && p.currentToken() == JsonToken.START_OBJECT) {
            ObjectNode o = mapper.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                if (keys.contains(k)) {
                    o.set(k, mapper.readTree(p));
                } else {
                    p.skipChildren();
                }
            }
            return o;
        }
        JsonNode n = mapper.readTree(p);
        return n == null ? mapper.nullNode() : n;
    }

    /** Projects a whole event object; the parser is on its START_OBJECT. */
    public static ObjectNode event(ObjectMapper mapper, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected an event object, found " + p.currentToken());
        }
        ObjectNode o = mapper.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (wanted(f)) {
                o.set(f, value(mapper, p, f));
            } else {
                p.skipChildren();
            }
        }
        return o;
    }
}
