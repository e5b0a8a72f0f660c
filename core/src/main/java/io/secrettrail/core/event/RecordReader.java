package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns one record of a file into an event, noise or a rejection. The fast path projects the
 * fields the event parser needs straight off the file's parser and cuts the record's original
 * bytes out of the stream; records with a secret value's key (every field name is checked as the
 * parser passes it, see {@link SecretKeys.Watch}), EventBridge envelopes and long ones are read
 * again from those bytes on the careful path, which copies every field but the
 * secret values and checks each string's length.
 *
 * <p>One per file read.
 */
final class RecordReader {
    /** What a record turned out to be. */
    enum Outcome {
        ACCEPTED,
        NOISE,
        REJECTED
    }

    private final ReadLimits limits;
    private final int maxFieldChars;
    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final EventParser parser;
    private final FileTally tally;
    private final RecordingInputStream recorder;
    /** Length of the first string over the field limit, for the careful path's message. */
    private int oversizeLength;
    /** Every field name of the record on the fast path, checked for a secret value's key. */
    private final SecretKeys.Watch keys = new SecretKeys.Watch();
    /** The careful path dropped a secret value from the record's requestParameters. */
    private boolean droppedRequestValue;

    RecordReader(
            ReadLimits limits,
            JsonFactory factory,
            ObjectMapper mapper,
            EventParser parser,
            FileTally tally,
            RecordingInputStream recorder) {
        this.limits = limits;
        this.maxFieldChars = limits.maxFieldChars();
        this.factory = factory;
        this.mapper = mapper;
        this.parser = parser;
        this.tally = tally;
        this.recorder = recorder;
    }

    /**
     * Reads one record; the parser has consumed its START_OBJECT (at {@code start} in the
     * parser's input, whose offset 0 lies at {@code runBase} in the decompressed file) and, unless the object is empty, the first FIELD_NAME ({@code firstField}).
     */
    Outcome read(JsonParser p, long start, long runBase, String firstField, boolean empty) throws IOException {
        tally.records++;
        long index = tally.records;
        tally.openRecord = index;
        Outcome outcome = readFast(p, start, runBase, firstField, empty, index);
        tally.openRecord = 0; // left set when the record throws, so the error is pinned on it
        return outcome;
    }

    /**
     * The common case in one pass: the fields the parser needs are projected, everything else
     * skipped undecoded, and the record's exact original bytes cut out of the stream. Records
     * that may carry a secret value, are EventBridge envelopes or are oversized are read again
     * from those bytes by {@link #readCopying}, which filters and checks every field.
     */
    private Outcome readFast(JsonParser p, long start, long runBase, String firstField, boolean empty, long index)
            throws IOException {
        ObjectNode projected = mapper.createObjectNode();
        boolean envelope = false;
        String field = firstField;
        long limit = start + limits.maxRecordBytes();
        int depth = p.getParsingContext().getNestingDepth();
        /** The field in which the record passed its byte limit; from then on nothing is decoded. */
        String oversize = null;
        String previous = null;
        boolean sourceSeen = false;
        /** Structured fields met before eventSource, {name, offset in the record}, projected once the record is kept. */
        Object[] deferred = null;
        keys.reset();
        if (!empty) {
            while (true) {
                if (field == null) {
                    JsonToken t = p.nextToken();
                    // A skipped string is consumed only by the next token: judge the previous field now.
                    if (oversize == null
                            && previous != null
                            && p.currentLocation().getByteOffset() > limit) {
                        oversize = previous;
                    }
                    if (t == JsonToken.END_OBJECT) {
                        break;
                    }
                    field = p.currentName();
                }
                keys.name(field);
                JsonToken v = p.nextToken();
                if ("eventSource".equals(field)) {
                    if (v == JsonToken.VALUE_STRING && !envelope && !CloudTrailEvent.keptSource(p.getText())) {
                        tally.noteTime(projected.get("eventTime"));
                        skipRestOfObject(p);
                        return Outcome.NOISE;
                    }
                    sourceSeen = true;
                }
                if (oversize == null
                        && !sourceSeen
                        && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)
                        && Projection.TOP.contains(field)) {
                    // Before eventSource (CloudTrail writes userIdentity first) the record may be another
                    // service's: skip the structure now, build it from the record's bytes if it is kept.
                    deferred = defer(deferred, field, p.currentTokenLocation().getByteOffset() - start);
                    keys.skipChildren(p);
                } else if (oversize == null && Projection.wanted(field)) {
                    try {
                        projected.set(field, Projection.value(mapper, p, field, limit, keys));
                    } catch (Projection.TooLarge e) {
                        oversize = e.field;
                        skipToDepth(p, depth);
                    }
                } else {
                    envelope |= "detail".equals(field);
                    keys.skipChildren(p);
                }
                previous = field;
                field = null;
            }
        }
        long end = p.currentTokenLocation().getByteOffset() + 1;
        if (oversize != null || end - start > limits.maxRecordBytes() || recorder.overflowed()) {
            rejectOversize(index, oversize, end - start, recorder.head(runBase + end));
            return Outcome.REJECTED;
        }
        byte[] raw = recorder.slice(runBase + start, runBase + end);
        if (envelope || raw.length > maxFieldChars || keys.seen()) {
            return readCopying(raw, index);
        }
        if (deferred != null) {
            project(projected, deferred, raw);
        }
        return accept(projected, raw, false, index);
    }

    private static Object[] defer(Object[] deferred, String field, long offset) {
        int n = deferred == null ? 0 : deferred.length;
        Object[] out = deferred == null ? new Object[2] : java.util.Arrays.copyOf(deferred, n + 2);
        out[n] = field;
        out[n + 1] = offset;
        return out;
    }

    /**
     * Projects the deferred fields from the record's bytes (within its limit, so nothing can be
     * too large now). Of duplicate keys the last wins, as in the stream: a field met again after
     * eventSource was projected from there, and the later of two deferred ones is applied first.
     */
    private void project(ObjectNode projected, Object[] deferred, byte[] raw) throws IOException {
        for (int i = deferred.length - 2; i >= 0; i -= 2) {
            String field = (String) deferred[i];
            if (projected.has(field)) {
                continue;
            }
            int offset = (int) (long) (Long) deferred[i + 1];
            try (JsonParser q = factory.createParser(raw, offset, raw.length - offset)) {
                q.nextToken();
                projected.set(field, Projection.value(mapper, q, field));
            }
        }
    }

    /**
     * Checks the event's source and hands it on, or rejects it naming the field.
     *
     * @param carriedValue a secret value was dropped from the request
     */
    private Outcome accept(JsonNode event, byte[] raw, boolean carriedValue, long index) {
        JsonNode source = event.get("eventSource");
        if (source == null || source.isNull()) {
            tally.reject(index, "eventSource", "missing", raw);
            return Outcome.REJECTED;
        }
        if (!source.isTextual()) {
            tally.reject(index, "eventSource", "expected a string, found " + EventParser.kind(source), raw);
            return Outcome.REJECTED;
        }
        if (!CloudTrailEvent.kept(
                source.asText(), event.path("eventName").asText(null), EventParser.kmsSecretArn(event))) {
            tally.noteTime(event.get("eventTime"));
            return Outcome.NOISE;
        }
        try {
            tally.accept(parser.parse(event, raw, carriedValue), index);
            return Outcome.ACCEPTED;
        } catch (FieldException e) {
            tally.reject(index, e.field(), e.getMessage(), raw);
            return Outcome.REJECTED;
        }
    }

    /** The careful path, over a record's bytes: every field copied, secret values dropped, sizes checked. */
    private Outcome readCopying(byte[] bytes, long index) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            p.nextToken();
            JsonToken f = p.nextToken();
            return readRecordBody(
                    p, f == JsonToken.END_OBJECT ? null : p.currentName(), f == JsonToken.END_OBJECT, index);
        }
    }

    private Outcome readRecordBody(JsonParser p, String firstField, boolean empty, long index) throws IOException {
        TokenBuffer buf = new TokenBuffer(mapper, false);
        buf.writeStartObject();
        Deque<String> path = new ArrayDeque<>();
        String[] oversize = new String[1];
        droppedRequestValue = false;
        boolean sawDetail = false;
        String field = firstField;
        if (!empty) {
            while (true) {
                if (field == null) {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_OBJECT) {
                        break;
                    }
                    field = p.currentName();
                }
                JsonToken v = p.nextToken();
                if (SecretKeys.isSecretValue(field)) {
                    p.skipChildren();
                } else if ("eventSource".equals(field)
                        && v == JsonToken.VALUE_STRING
                        && !sawDetail
                        && !CloudTrailEvent.keptSource(p.getText())) {
                    skipRestOfObject(p);
                    return Outcome.NOISE;
                } else {
                    sawDetail |= "detail".equals(field);
                    buf.writeFieldName(field);
                    path.addLast(field);
                    copyValue(p, v, buf, path, oversize);
                    path.removeLast();
                }
                field = null;
            }
        }
        buf.writeEndObject();
        if (oversize[0] != null) {
            tally.reject(
                    index,
                    oversize[0],
                    "string of " + oversizeLength + " characters exceeds the limit of " + maxFieldChars,
                    new byte[0]);
            return Outcome.REJECTED;
        }
        JsonNode root = mapper.readTree(buf.asParser());
        JsonNode event = root;
        JsonNode detail = root.get("detail");
        if (detail != null && detail.isObject() && (root.has("detail-type") || root.has("source"))) {
            event = detail; // EventBridge envelope
        }
        return accept(event, bytes(event), droppedRequestValue, index);
    }

    private void copyValue(JsonParser p, JsonToken t, TokenBuffer out, Deque<String> path, String[] oversize)
            throws IOException {
        switch (t) {
            case START_OBJECT -> {
                out.writeStartObject();
                JsonToken f;
                while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (SecretKeys.isSecretValue(field)) {
                        // Only that there was one is kept: a request carrying a value wrote a new version.
                        droppedRequestValue |= v != JsonToken.VALUE_NULL && "requestParameters".equals(path.peekLast());
                        p.skipChildren();
                        continue;
                    }
                    out.writeFieldName(field);
                    path.addLast(field);
                    copyValue(p, v, out, path, oversize);
                    path.removeLast();
                }
                out.writeEndObject();
            }
            case START_ARRAY -> {
                out.writeStartArray();
                JsonToken v;
                int i = 0;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    path.addLast("[" + i++ + "]");
                    copyValue(p, v, out, path, oversize);
                    path.removeLast();
                }
                out.writeEndArray();
            }
            case VALUE_STRING -> {
                int len = p.getTextLength();
                if (len > maxFieldChars) {
                    if (oversize[0] == null) {
                        oversize[0] = String.join(".", path).replace(".[", "[");
                        oversizeLength = len;
                    }
                    out.writeString("");
                } else {
                    out.writeString(p.getText());
                }
            }
            default -> out.copyCurrentEvent(p);
        }
    }

    /** Skips tokens until the parser is back at nesting depth {@code depth} (inside the record's object, at a field's end). */
    private void skipToDepth(JsonParser p, int depth) throws IOException {
        while (p.getParsingContext().getNestingDepth() > depth) {
            if (p.nextToken() == null) {
                throw new EOFException("unexpected end of JSON inside a record");
            }
        }
    }

    /** A record over --max-record-bytes: its size, where it passed the limit, and a head safe to keep. */
    private void rejectOversize(long index, String field, long size, byte[] head) {
        tally.reject(
                index,
                field,
                "record of " + size + " bytes exceeds the limit of " + limits.maxRecordBytes()
                        + " bytes (--max-record-bytes)",
                SecretKeys.preview(head));
    }

    /**
     * Skips a record of another service; its {@code eventTime}, where it comes after the source
     * (as in records whose fields are sorted), still counts for the file's latest time.
     */
    private void skipRestOfObject(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t == null) {
                throw new EOFException("unexpected end of JSON inside a record");
            }
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && "eventTime".equals(name)) {
                tally.noteTime(p.getText());
            }
            p.skipChildren();
        }
    }

    private byte[] bytes(JsonNode node) throws IOException {
        return mapper.writeValueAsBytes(node);
    }
}
