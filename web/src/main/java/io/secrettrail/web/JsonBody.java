package io.secrettrail.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A JSON request body read defensively: malformed, too deeply nested, not an object, or a field of
 * the wrong type is a 400 in the one error shape, never a 500. Errors name the place (line and
 * column) and the field, never the offending text, which could be anything a client sent.
 */
final class JsonBody {
    /** An action is a flat object; a few levels leave room for clients that send extra structure. */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper JSON = io.secrettrail.core.Json.with(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build());

    private JsonBody() {}

    /** The body as a JSON object. */
    static JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw new HttpError(400, "bad_request", "body: expected a JSON object, the body is empty");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new HttpError(400, "bad_request", "body: nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new HttpError(
                    400,
                    "bad_request",
                    "body: invalid JSON"
                            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new HttpError(400, "bad_request", "body: unreadable");
        }
        if (n == null || !n.isObject()) {
            throw new HttpError(400, "bad_request", "body: expected a JSON object, found " + kind(n));
        }
        return n;
    }

    /** A string field, or null when absent or null; any other type is a 400 naming the field. */
    static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new HttpError(400, "bad_request", field + ": expected a string, found " + kind(v));
        }
        return v.textValue();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
