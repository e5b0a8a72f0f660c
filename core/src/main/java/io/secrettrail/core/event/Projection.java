package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Reads only the fields {@link EventParser} uses out of an event object and skips the rest
 * without decoding it: most of a CloudTrail record (tlsDetails, large request parameters,
 * resources) is never looked at, and skipping is several times cheaper than building it.
 */
public final class Projection {
    static final Set<String> TOP = Set.of(
            "eventID",
            "eventTime",
            "eventSource",
            "eventName",
            "eventType",
            "awsRegion",
            "recipientAccountId",
            "errorCode",
            "errorMessage",
            "userIdentity",
            "sourceIPAddress",
            "userAgent",
            "requestID",
            "vpcEndpointId");
    static final Map<String, Set<String>> NESTED = Map.of(
            "requestParameters",
                    Set.of(
                            "secretId",
                            "name",
                            "secretIdList",
                            "encryptionContext",
                            // EventDetails
                            "forceDeleteWithoutRecovery",
                            "recoveryWindowInDays",
                            "filters",
                            "resourcePolicy",
                            "trailName"),
            "responseElements", Set.of("arn", "aRN", "versionId", "trailARN"),
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
                    o.set(k, build(mapper, p));
                } else {
                    p.skipChildren();
                }
            }
            return o;
        }
        return build(mapper, p);
    }

    /** readTree of the value the parser is on, objects and arrays built here around {@link #tree}'s leaves. */
    private static JsonNode build(ObjectMapper mapper, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = mapper.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                o.set(k, build(mapper, p)); // of duplicate keys the last wins, as in readTree
            }
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            com.fasterxml.jackson.databind.node.ArrayNode a = mapper.createArrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                a.add(build(mapper, p));
            }
            return a;
        }
        return tree(mapper, p);
    }

    /**
     * readTree of the value the parser is on. A string, boolean or null (almost every leaf of a
     * record) is made directly: readTree sets up a deserialization context per call, which cost more
     * than the value itself. Numbers and structures go through readTree, so they come out exactly as before.
     */
    private static JsonNode tree(ObjectMapper mapper, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return mapper.nullNode();
        }
        switch (t) {
            case VALUE_STRING:
                return mapper.getNodeFactory().textNode(p.getText());
            case VALUE_TRUE:
                return mapper.getNodeFactory().booleanNode(true);
            case VALUE_FALSE:
                return mapper.getNodeFactory().booleanNode(false);
            case VALUE_NULL:
                return mapper.nullNode();
            default:
                JsonNode n = mapper.readTree(p);
                return n == null ? mapper.nullNode() : n;
        }
    }

    /** The record passed its byte limit while a field was read; {@link #field} is where. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;

        TooLarge(String field) {
            super(field, null, false, false);
            this.field = field;
        }
    }

    /**
     * {@link #value(ObjectMapper, JsonParser, String)} that gives up, throwing {@link TooLarge},
     * as soon as the parser passes byte offset {@code limit}: a hostile record cannot make the
     * projection build more than about its limit in memory. Every field name passed, kept or skipped,
     * goes to {@code keys}.
     */
    static JsonNode value(ObjectMapper mapper, JsonParser p, String field, long limit, SecretKeys.Watch keys)
            throws IOException {
        Set<String> wanted = NESTED.get(field);
        if (wanted != null && p.currentToken() == JsonToken.START_OBJECT) {
            ObjectNode o = mapper.createObjectNode();
            String previous = null;
            while (true) {
                JsonToken t = p.nextToken();
                if (previous != null) {
                    check(p, field + "." + previous, limit); // a skipped string is consumed only by the next token
                }
                if (t != JsonToken.FIELD_NAME) {
                    return o;
                }
                String k = p.currentName();
                keys.name(k);
                p.nextToken();
                if (wanted.contains(k)) {
                    o.set(k, bounded(mapper, p, field + "." + k, limit, keys));
                } else {
                    keys.skipChildren(p);
                }
                previous = k;
            }
        }
        return bounded(mapper, p, field, limit, keys);
    }

    private static void check(JsonParser p, String field, long limit) {
        if (p.currentLocation().getByteOffset() > limit) {
            throw new TooLarge(field);
        }
    }

    /** readTree, checking the offset at every token. */
    private static JsonNode bounded(ObjectMapper mapper, JsonParser p, String field, long limit, SecretKeys.Watch keys)
            throws IOException {
        check(p, field, limit);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = mapper.createObjectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    keys.name(k);
                    p.nextToken();
                    o.set(k, bounded(mapper, p, field, limit, keys));
                }
                check(p, field, limit);
                return o;
            }
            case START_ARRAY -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = mapper.createArrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(bounded(mapper, p, field, limit, keys));
                }
                check(p, field, limit);
                return a;
            }
            default -> {
                JsonNode n = tree(mapper, p); // one scalar: a string is capped by the parser's maxStringLength
                check(p, field, limit);
                return n;
            }
        }
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
