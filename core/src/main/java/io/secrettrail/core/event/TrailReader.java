package io.secrettrail.core.event;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Streams CloudTrail records out of one file, one record in memory at a time, never the file.
 *
 * <p>Reads CloudTrail log files ({@code {"Records":[...]}}), NDJSON (one event per line), JSON
 * arrays of events and EventBridge envelopes (the event under {@code detail}), plain or gzip (by
 * magic bytes, whatever the extension). Records of other services are skipped as soon as their
 * {@code eventSource} is seen. Secret values ({@code secretString}, {@code secretBinary}) are
 * dropped at any depth before anything else sees the record.
 *
 * <p>A bad record is handed to the sink as a {@link Rejection} and reading goes on: in NDJSON at
 * the next line, in a Records array at the next {@code {"eventVersion"} (CloudTrail writes it first
 * in every record). A truncated gzip ends the file after the last whole record. The file is opened
 * and decompressed once, front to back, however many of its records are bad: a resync goes back
 * only into the bytes still kept (the broken record's, within the record limit) and the work
 * stays linear in the file's size (see {@link FileRun#readFrom}).
 *
 * <p>One reader per thread.
 */
public final class TrailReader {
    /** Size cap for a dead-letter copy of a rejected record. */
    public static final int MAX_DEAD_LETTER_BYTES = 256 * 1024;
    private static final byte[] RESYNC_MARKER = "{\"eventVersion\"".getBytes(StandardCharsets.UTF_8);

    private final int maxFieldChars;
    private final ReadLimits limits;
    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final EventParser parser = new EventParser();

    /** Receives what a file holds. */
    public interface Sink {
        /** @param recordIndex 1-based position of the record in its file */
        void accept(CloudTrailEvent event, long recordIndex);

        void reject(Rejection rejection);
    }

    /**
     * @param records every record seen, all services, rejected ones included
     * @param secretsManagerRecords accepted Secrets Manager records
     * @param fileError why the file stopped early (truncated gzip, unreadable), or null
     */
    public record Result(long records, long secretsManagerRecords, long rejected, String fileError) {}

    /** @param maxFieldChars a record with a longer string field is rejected (CloudTrail caps events far below 1 MiB) */
    public TrailReader(int maxFieldChars) {
        this(ReadLimits.withFieldChars(maxFieldChars));
    }

    public TrailReader(ReadLimits limits) {
        this.limits = limits;
        this.maxFieldChars = limits.maxFieldChars();
        this.factory = JsonFactory.builder()
                // A parser stops at a bad record but the file's stream goes on: the reader closes it.
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                // No string of a record within its byte limit is longer; a longer one (only in a
                // record already oversize) stops its record instead of filling the heap.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(maxFieldChars, limits.maxRecordBytes()) + 1).build())
                .build();
        this.mapper = io.secrettrail.core.Json.with(factory);
    }

    public TrailReader() {
        this(ReadLimits.defaults());
    }

    /** The limits this reader applies. */
    public ReadLimits limits() {
        return limits;
    }

    /** The record buffer's size in bytes after the last read (bounded by the record limit, whatever the file held). */
    int bufferCapacity() {
        return lastCapacity;
    }

    private int lastCapacity;

    /**
     * Reads one file into the sink.
     *
     * @param name how the file is named in messages (a path relative to the trail root)
     * @throws IOException only when the file cannot be opened at all
     */
    public Result read(Path file, String name, Sink sink) throws IOException {
        if (Files.size(file) == 0) {
            return new Result(0, 0, 0, null);
        }
        return read(() -> Files.newInputStream(file), name, sink);
    }

    /**
     * Reads records held in memory (an API page written as NDJSON, a downloaded object), exactly
     * as a file with that content.
     */
    public Result read(byte[] content, String name, Sink sink) throws IOException {
        if (content.length == 0) {
            return new Result(0, 0, 0, null);
        }
        return read(() -> new ByteArrayInputStream(content), name, sink);
    }

    /** The raw (possibly gzip) bytes of a file; opened once per read, whatever the file holds. */
    interface Content {
        InputStream open() throws IOException;
    }

    /** Reads content exactly as a file holding it; package-private so tests can count what is opened and read. */
    Result read(Content file, String name, Sink sink) throws IOException {
        FileRun run = new FileRun(name, sink);
        try {
            run.recorder = new RecordingInputStream(open(file), limits.maxRecordBytes());
            run.readFrom(0, Mode.UNKNOWN);
        } catch (FileGuard.LimitException e) {
            long whole = run.openRecord == 0 ? run.records : run.records - 1;
            run.fileError = e.getMessage() + " (stopped after record " + whole + ")";
            if (run.openRecord == 0) {
                run.records++;
            }
            run.rejectUnreadable(run.records, run.fileError);
        } catch (IllegalStateException e) {
            // a file the reader cannot walk must stop that file, never the batch it came in
            long whole = run.openRecord == 0 ? run.records : run.records - 1;
            run.fileError = "unreadable file (" + e.getClass().getSimpleName() + ") (stopped after record " + whole + ")";
            if (run.openRecord == 0) {
                run.records++;
            }
            run.rejectUnreadable(run.records, run.fileError);
        } catch (EOFException | ZipException e) {
            long whole = run.openRecord == 0 ? run.records : run.records - 1;
            run.fileError = "truncated or corrupt gzip after record " + whole + " (" + e.getMessage() + ")";
            if (run.openRecord == 0) {
                run.records++;
            }
            run.rejectUnreadable(run.records, run.fileError);
        } finally {
            if (run.recorder != null) {
                run.recorder.close();
            }
        }
        if (run.recorder != null) {
            lastCapacity = Math.max(lastCapacity, run.recorder.capacity());
            lastDecompressed = run.recorder.freshBytes();
            lastParsed = run.parsed;
        }
        return new Result(run.records, run.accepted, run.rejected, run.fileError);
    }

    /** Decompressed bytes the last read took from its file: each byte once, however many records were bad. */
    long lastDecompressedBytes() {
        return lastDecompressed;
    }

    /** Bytes the last read's parsers went through, those read again after a bad record included. */
    long lastParsedBytes() {
        return lastParsed;
    }

    private long lastDecompressed;
    private long lastParsed;

    private enum Mode { UNKNOWN, LINES, ARRAY }

    /** What a record turned out to be. */
    private enum Outcome { ACCEPTED, NOISE, REJECTED }

    private static final byte[] NO_PREFIX = new byte[0];
    private static final byte[] ARRAY_START = {'['};

    /** The state of reading one file. */
    private final class FileRun {
        final String name;
        final Sink sink;
        long records;
        long accepted;
        long rejected;
        String fileError;
        /** Byte offset where the current top-level or Records element began, -1 before any. */
        long recordStart = -1;
        /** Line number (1-based, in the whole file) of the first line the current parser reads. */
        long lineBase = 1;
        /** Line of the current record's start, in the whole file. */
        long recordStartLine = 1;
        /** The parser over the file, for where an error without a location happened. */
        JsonParser json;
        /** Nesting depth of the current record's object in the parser (root = 0). */
        int recordDepth;
        /** The file's one decompressed stream: the current parser reads it, a resync goes back in it. */
        RecordingInputStream recorder;
        /** Where the current parser's offset 0 lies in the decompressed file. */
        long runBase;
        /** Index of the record being read, 0 between records. */
        long openRecord;
        /** The furthest offset a parser reached, and how many bytes before it resumed parsers read again. */
        long furthest;
        long reparsed;
        /** Bytes parsers went through, in all. */
        long parsed;

        FileRun(String name, Sink sink) {
            this.name = name;
            this.sink = sink;
        }

        /**
         * Parses from the recorder's position, whose first byte is at {@code base} in the
         * decompressed file. On a syntax error, rejects the record and resumes past it in the
         * same stream: back to the broken record's start (still kept), forward to the next
         * record, and a new parser from there.
         */
        void readFrom(long base, Mode mode) throws IOException {
            long lastResume = -1;
            while (true) {
                recordStart = -1;
                runBase = base;
                Mode current = mode;
                try (JsonParser p = factory.createParser(recorder)) {
                    json = p;
                    if (!(p instanceof com.fasterxml.jackson.core.json.UTF8StreamJsonParser)) {
                        // Jackson guessed UTF-16/32 from the first bytes (a NUL second byte does it): its
                        // offsets are then -1 and no resync could make progress. CloudTrail writes UTF-8.
                        // Rejected as a syntax error at the parser's start, so NDJSON resumes at the next line.
                        throw new com.fasterxml.jackson.core.JsonParseException(p, ParseErrors.NOT_UTF8,
                                new com.fasterxml.jackson.core.JsonLocation(null, 0, 1, 1));
                    }
                    JsonToken t;
                    while ((t = p.nextToken()) != null) {
                        if (t == JsonToken.START_ARRAY) {
                            current = Mode.ARRAY;
                            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                                if (t == null) {
                                    throw new EOFException("unexpected end of JSON inside an array");
                                }
                                readElement(p, t, base);
                            }
                            if (mode == Mode.ARRAY) {
                                parsed += p.currentLocation().getByteOffset();
                                return; // a resumed Records array: what follows is the envelope's end
                            }
                        } else if (t == JsonToken.START_OBJECT) {
                            long local = p.currentTokenLocation().getByteOffset();
                            recordStart = base + local;
                            recordStartLine = lineBase + p.currentTokenLocation().getLineNr() - 1;
                            recordDepth = p.getParsingContext().getNestingDepth();
                            recorder.keepFrom(recordStart);
                            JsonToken f = p.nextToken();
                            if (f == JsonToken.FIELD_NAME && "Records".equals(p.currentName())) {
                                current = Mode.ARRAY;
                                recorder.release(); // the envelope is not a record: nothing of it is kept
                                readRecordsField(p, base);
                            } else {
                                current = Mode.LINES;
                                readRecord(p, local, f == JsonToken.END_OBJECT ? null : p.currentName(), f == JsonToken.END_OBJECT);
                            }
                        } else {
                            p.finishToken(); // a malformed scalar fails here, as one record, not after being counted
                            records++;
                            reject(records, null, "expected a JSON object or array at the top level, found " + describe(t), new byte[0]);
                        }
                        recordStart = -1;
                        recorder.release();
                    }
                    parsed += p.currentLocation().getByteOffset();
                    return;
                } catch (JsonProcessingException e) {
                    // A limit exceeded (StreamConstraintsException) carries no location: ask the parser.
                    com.fasterxml.jackson.core.JsonLocation loc = e.getLocation() != null ? e.getLocation()
                            : json != null ? json.currentLocation() : null;
                    long at = base + (loc == null ? 0 : Math.max(0, loc.getByteOffset()));
                    long errorLine = loc == null ? 1 : Math.max(1, loc.getLineNr());
                    parsed += at - base;
                    // Location and kind only: Jackson's own message quotes the token, which may be a secret.
                    String error = "invalid JSON" + ParseErrors.where(e, lineBase, json) + ": " + ParseErrors.kind(e);
                    String field = recordStart < 0 ? null : ParseErrors.field(e, recordDepth, json);
                    if (openRecord == 0) {
                        records++;
                    }
                    openRecord = 0;
                    reject(records, field, error, new byte[0]);
                    if (recordStart < 0 && current == Mode.UNKNOWN) {
                        current = Mode.LINES; // garbage before any object: NDJSON may go on at the next line
                    }
                    if (recordStart < 0 && current != Mode.LINES) {
                        fileError = error;
                        return;
                    }
                    // NDJSON resumes at the line after the one the broken record (or the error) is on, a
                    // Records array at the next record marker after the broken record's start. When the
                    // first object broke before saying what the file is, the nearer of the two decides.
                    long from = current == Mode.LINES && recordStart < 0 ? at : current == Mode.LINES ? recordStart : recordStart + 1;
                    long fromLine = current == Mode.LINES && recordStart < 0 ? lineBase + errorLine - 1 : recordStartLine;
                    furthest = Math.max(furthest, at);
                    if (reparsed + Math.max(0, furthest - from) > furthest + limits.maxRecordBytes() && at > from) {
                        // Records nested in broken ones have been read again as much as the file itself
                        // holds: from here on resume past the error, so the work stays linear.
                        from = at;
                        fromLine = lineBase + errorLine - 1;
                    }
                    long resume = resync(from, current);
                    if (current == Mode.UNKNOWN) {
                        current = resume >= 0 && recorder.scanHitNewline() ? Mode.LINES : Mode.ARRAY;
                    }
                    if (resume < 0) {
                        if (current != Mode.LINES) {
                            fileError = error + "; no further record found after byte " + at;
                        }
                        return;
                    }
                    if (resume <= lastResume) {
                        // no progress: never read the same bytes again
                        fileError = error + "; reading could not move past byte " + resume;
                        return;
                    }
                    lastResume = resume;
                    reparsed += Math.max(0, furthest - resume);
                    if (current == Mode.LINES) {
                        recorder.rewind(resume, NO_PREFIX);
                        base = resume;
                        lineBase = fromLine + recorder.scannedNewlines() + 1;
                        mode = Mode.LINES;
                    } else {
                        // Re-enter the Records array at the next record, as if it began there.
                        recorder.rewind(resume, ARRAY_START);
                        base = resume - 1;
                        lineBase = fromLine + recorder.scannedNewlines();
                        mode = Mode.ARRAY;
                    }
                }
            }
        }

        /**
         * Where reading resumes at or after {@code from}: past the next newline (NDJSON), at the
         * next record marker (a Records array), or at whichever comes first; -1 when the file
         * ends first. A gzip that breaks on the way is reported as truncated, like one that
         * breaks under the parser.
         */
        private long resync(long from, Mode mode) throws IOException {
            return recorder.scan(from, mode != Mode.ARRAY, mode != Mode.LINES ? RESYNC_MARKER : null);
        }

        /** Inside {"Records": — the array of records, then the rest of the envelope. */
        private void readRecordsField(JsonParser p, long base) throws IOException {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_ARRAY) {
                records++;
                reject(records, "Records", "expected an array of events, found " + describe(t), new byte[0]);
                p.skipChildren();
            } else {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    readElement(p, t, base);
                }
            }
            recorder.release();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                p.nextToken();
                p.skipChildren();
            }
        }

        private void readElement(JsonParser p, JsonToken t, long base) throws IOException {
            long local = p.currentTokenLocation().getByteOffset();
            recordStart = base + local;
            recordStartLine = lineBase + p.currentTokenLocation().getLineNr() - 1;
            recordDepth = p.getParsingContext().getNestingDepth();
            recorder.keepFrom(recordStart);
            if (t == JsonToken.START_OBJECT) {
                JsonToken f = p.nextToken();
                readRecord(p, local, f == JsonToken.END_OBJECT ? null : p.currentName(), f == JsonToken.END_OBJECT);
            } else {
                if (!t.isStructStart()) {
                    p.finishToken(); // a malformed scalar fails here, as one record, not after being counted
                }
                records++;
                reject(records, null, "expected an event object, found " + describe(t), new byte[0]);
                p.skipChildren();
            }
            recorder.release();
        }

        /**
         * Reads one record; the parser has consumed its START_OBJECT (at {@code start} in the
         * parser's input) and, unless the object is empty, the first FIELD_NAME ({@code firstField}).
         */
        private Outcome readRecord(JsonParser p, long start, String firstField, boolean empty) throws IOException {
            records++;
            long index = records;
            openRecord = index;
            Outcome outcome = readFast(p, start, firstField, empty, index);
            openRecord = 0; // left set when the record throws, so the error is pinned on it
            return outcome;
        }

        /**
         * The common case in one pass: the fields the parser needs are projected, everything else
         * skipped undecoded, and the record's exact original bytes cut out of the stream. Records
         * that may carry a secret value, are EventBridge envelopes or are oversized are read again
         * from those bytes by {@link #readCopying}, which filters and checks every field.
         */
        private Outcome readFast(JsonParser p, long start, String firstField, boolean empty, long index) throws IOException {
            ObjectNode projected = mapper.createObjectNode();
            boolean envelope = false;
            String field = firstField;
            long limit = start + limits.maxRecordBytes();
            int depth = p.getParsingContext().getNestingDepth();
            /** The field in which the record passed its byte limit; from then on nothing is decoded. */
            String oversize = null;
            String previous = null;
            if (!empty) {
                while (true) {
                    if (field == null) {
                        JsonToken t = p.nextToken();
                        // A skipped string is consumed only by the next token: judge the previous field now.
                        if (oversize == null && previous != null && p.currentLocation().getByteOffset() > limit) {
                            oversize = previous;
                        }
                        if (t == JsonToken.END_OBJECT) {
                            break;
                        }
                        field = p.currentName();
                    }
                    JsonToken v = p.nextToken();
                    if ("eventSource".equals(field) && v == JsonToken.VALUE_STRING && !envelope
                            && !CloudTrailEvent.SECRETS_MANAGER.equals(p.getText())) {
                        skipRestOfObject(p);
                        return Outcome.NOISE;
                    }
                    if (oversize == null && Projection.wanted(field)) {
                        try {
                            projected.set(field, Projection.value(mapper, p, field, limit));
                        } catch (Projection.TooLarge e) {
                            oversize = e.field;
                            skipToDepth(p, depth);
                        }
                    } else {
                        envelope |= "detail".equals(field);
                        p.skipChildren();
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
            if (envelope || raw.length > maxFieldChars || mayHoldSecretValue(raw)) {
                return readCopying(raw, index);
            }
            return accept(projected, raw, index);
        }

        /** Checks the event's source and hands it on, or rejects it naming the field. */
        private Outcome accept(JsonNode event, byte[] raw, long index) {
            JsonNode source = event.get("eventSource");
            if (source == null || source.isNull()) {
                reject(index, "eventSource", "missing", raw);
                return Outcome.REJECTED;
            }
            if (!source.isTextual()) {
                reject(index, "eventSource", "expected a string, found " + EventParser.kind(source), raw);
                return Outcome.REJECTED;
            }
            if (!CloudTrailEvent.SECRETS_MANAGER.equals(source.asText())) {
                return Outcome.NOISE;
            }
            try {
                sink.accept(parser.parse(event, raw), index);
                accepted++;
                return Outcome.ACCEPTED;
            } catch (FieldException e) {
                reject(index, e.field(), e.getMessage(), raw);
                return Outcome.REJECTED;
            }
        }

        /** The careful path, over a record's bytes: every field copied, secret values dropped, sizes checked. */
        private Outcome readCopying(byte[] bytes, long index) throws IOException {
            try (JsonParser p = factory.createParser(bytes)) {
                p.nextToken();
                JsonToken f = p.nextToken();
                return readRecordBody(p, f == JsonToken.END_OBJECT ? null : p.currentName(), f == JsonToken.END_OBJECT, index);
            }
        }

        private Outcome readRecordBody(JsonParser p, String firstField, boolean empty, long index) throws IOException {
            TokenBuffer buf = new TokenBuffer(mapper, false);
            buf.writeStartObject();
            Deque<String> path = new ArrayDeque<>();
            String[] oversize = new String[1];
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
                    if (isSecretValue(field)) {
                        p.skipChildren();
                    } else if ("eventSource".equals(field) && v == JsonToken.VALUE_STRING && !sawDetail
                            && !CloudTrailEvent.SECRETS_MANAGER.equals(p.getText())) {
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
                reject(index, oversize[0], "string of " + oversizeLength + " characters exceeds the limit of " + maxFieldChars, new byte[0]);
                return Outcome.REJECTED;
            }
            JsonNode root = mapper.readTree(buf.asParser());
            JsonNode event = root;
            JsonNode detail = root.get("detail");
            if (detail != null && detail.isObject() && (root.has("detail-type") || root.has("source"))) {
                event = detail; // EventBridge envelope
            }
            return accept(event, bytes(event), index);
        }

        private int oversizeLength;

        private void copyValue(JsonParser p, JsonToken t, TokenBuffer out, Deque<String> path, String[] oversize) throws IOException {
            switch (t) {
                case START_OBJECT -> {
                    out.writeStartObject();
                    JsonToken f;
                    while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (isSecretValue(field)) {
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
            reject(index, field, "record of " + size + " bytes exceeds the limit of " + limits.maxRecordBytes()
                    + " bytes (--max-record-bytes)", preview(head));
        }

        private void skipRestOfObject(JsonParser p) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                if (t == null) {
                    throw new EOFException("unexpected end of JSON inside a record");
                }
                p.nextToken();
                p.skipChildren();
            }
        }

        void rejectUnreadable(long index, String error) {
            reject(index, null, error, new byte[0]);
        }

        private void reject(long index, String field, String error, byte[] raw) {
            rejected++;
            int cap = Math.min(MAX_DEAD_LETTER_BYTES, limits.maxRecordBytes());
            byte[] capped = raw.length <= cap ? raw : java.util.Arrays.copyOf(raw, cap);
            // A path of long nested names would not fit a Kafka header; its start says where.
            String f = field == null || field.length() <= 300 ? field : field.substring(0, 297) + "...";
            sink.reject(new Rejection(name, index, f, error, capped));
        }

        private byte[] bytes(JsonNode node) throws IOException {
            return mapper.writeValueAsBytes(node);
        }
    }

    /**
     * Whether the bytes might hold a secretString/secretBinary key, in any case or behind a
     * {@code \\u} escape: then the record takes the careful path. Cheap, and false for real
     * CloudTrail records.
     */
    static boolean mayHoldSecretValue(byte[] raw) {
        int n = raw.length;
        for (int i = 0; i + 1 < n; i++) {
            byte b = raw[i];
            if (b == '\\' && raw[i + 1] == 'u') {
                return true;
            }
            if ((b | 0x20) == 's' && i + 12 <= n && (raw[i + 1] | 0x20) == 'e' && (raw[i + 6] | 0x20) == 's'
                    && (matchesIgnoreCase(raw, i, SECRET_STRING) || matchesIgnoreCase(raw, i, SECRET_BINARY))) {
                return true;
            }
        }
        return false;
    }

    private static final byte[] SECRET_STRING = "secretstring".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SECRET_BINARY = "secretbinary".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean matchesIgnoreCase(byte[] raw, int at, byte[] lower) {
        for (int j = 0; j < lower.length; j++) {
            if ((raw[at + j] | 0x20) != lower[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSecretValue(String field) {
        // Called for every field of every record: length first, no allocation.
        return field.length() == 12 && (field.equalsIgnoreCase("secretString") || field.equalsIgnoreCase("secretBinary"));
    }

    /**
     * The start of an oversize record for its dead letter: cut before anything that may begin a
     * secret value's key (the record was never filtered) and at a UTF-8 character boundary.
     */
    public static byte[] preview(byte[] head) {
        int n = Math.min(head.length, 512);
        for (int i = 0; i < head.length; i++) {
            byte b = head[i];
            if (b == '\\' || ((b | 0x20) == 's' && i + 6 < head.length && (head[i + 1] | 0x20) == 'e' && (head[i + 2] | 0x20) == 'c'
                    && (head[i + 3] | 0x20) == 'r' && (head[i + 4] | 0x20) == 'e' && (head[i + 5] | 0x20) == 't')
                    || ((b | 0x20) == 's' && i + 6 >= head.length)) {
                n = i;
                break;
            }
        }
        while (n > 0 && n < head.length && (head[n] & 0xC0) == 0x80) {
            n--; // not inside a multi-byte character
        }
        return java.util.Arrays.copyOf(head, n);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }

    /** The decompressed content of the file; gzip is told by its magic bytes. */
    private InputStream open(Content file) throws IOException {
        FileGuard.Counting counted = new FileGuard.Counting(file.open());
        InputStream raw = new BufferedInputStream(counted, 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        try {
            // The recorder reads in large blocks itself: no buffer between it and the decompressor.
            return FileGuard.guard(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, gzip ? counted : null, limits);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }
}
