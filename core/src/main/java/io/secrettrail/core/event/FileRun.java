package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Walks one file's decompressed stream, front to back: tells NDJSON, a Records envelope and a
 * JSON array apart, hands each record to the {@link RecordReader}, and after a syntax error
 * rejects the broken record and resyncs in the same stream — at the next line (NDJSON) or the
 * next {@code {"eventVersion"} (a Records array) — going back only into the bytes the recorder
 * still keeps, so the work stays linear in the file's size.
 *
 * <p>One per file read.
 */
final class FileRun {
    private static final byte[] RESYNC_MARKER = "{\"eventVersion\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_PREFIX = new byte[0];
    private static final byte[] ARRAY_START = {'['};

    enum Mode {
        UNKNOWN,
        LINES,
        ARRAY
    }

    private final JsonFactory factory;
    private final ReadLimits limits;
    private final FileTally tally;
    private final RecordReader records;
    /** The file's one decompressed stream: the current parser reads it, a resync goes back in it. */
    private final RecordingInputStream recorder;
    /** Byte offset where the current top-level or Records element began, -1 before any. */
    private long recordStart = -1;
    /** Line number (1-based, in the whole file) of the first line the current parser reads. */
    private long lineBase = 1;
    /** Line of the current record's start, in the whole file. */
    private long recordStartLine = 1;
    /** The parser over the file, for where an error without a location happened. */
    private JsonParser json;
    /** Nesting depth of the current record's object in the parser (root = 0). */
    private int recordDepth;
    /** The furthest offset a parser reached, and how many bytes before it resumed parsers read again. */
    private long furthest;

    private long reparsed;
    /** Bytes parsers went through, in all. */
    long parsed;

    FileRun(
            JsonFactory factory,
            ReadLimits limits,
            FileTally tally,
            RecordReader records,
            RecordingInputStream recorder) {
        this.factory = factory;
        this.limits = limits;
        this.tally = tally;
        this.records = records;
        this.recorder = recorder;
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
            Mode current = mode;
            try (JsonParser p = factory.createParser(recorder)) {
                json = p;
                if (!(p instanceof com.fasterxml.jackson.core.json.UTF8StreamJsonParser)) {
                    // Jackson guessed UTF-16/32 from the first bytes (a NUL second byte does it): its
                    // offsets are then -1 and no resync could make progress. CloudTrail writes UTF-8.
                    // Rejected as a syntax error at the parser's start, so NDJSON resumes at the next line.
                    throw new com.fasterxml.jackson.core.JsonParseException(
                            p, ParseErrors.NOT_UTF8, new com.fasterxml.jackson.core.JsonLocation(null, 0, 1, 1));
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
                            records.read(
                                    p,
                                    local,
                                    base,
                                    f == JsonToken.END_OBJECT ? null : p.currentName(),
                                    f == JsonToken.END_OBJECT);
                        }
                    } else {
                        p.finishToken(); // a malformed scalar fails here, as one record, not after being counted
                        tally.records++;
                        tally.reject(
                                tally.records,
                                null,
                                "expected a JSON object or array at the top level, found " + describe(t),
                                new byte[0]);
                    }
                    recordStart = -1;
                    recorder.release();
                }
                parsed += p.currentLocation().getByteOffset();
                return;
            } catch (JsonProcessingException e) {
                // A limit exceeded (StreamConstraintsException) carries no location: ask the parser.
                com.fasterxml.jackson.core.JsonLocation loc =
                        e.getLocation() != null ? e.getLocation() : json != null ? json.currentLocation() : null;
                long at = base + (loc == null ? 0 : Math.max(0, loc.getByteOffset()));
                long errorLine = loc == null ? 1 : Math.max(1, loc.getLineNr());
                parsed += at - base;
                // Location and kind only: Jackson's own message quotes the token, which may be a secret.
                String error = "invalid JSON" + ParseErrors.where(e, lineBase, json) + ": " + ParseErrors.kind(e);
                String field = recordStart < 0 ? null : ParseErrors.field(e, recordDepth, json);
                if (tally.openRecord == 0) {
                    tally.records++;
                }
                tally.openRecord = 0;
                tally.reject(tally.records, field, error, new byte[0]);
                if (recordStart < 0 && current == Mode.UNKNOWN) {
                    current = Mode.LINES; // garbage before any object: NDJSON may go on at the next line
                }
                if (recordStart < 0 && current != Mode.LINES) {
                    tally.fileError = error;
                    return;
                }
                // NDJSON resumes at the line after the one the broken record (or the error) is on, a
                // Records array at the next record marker after the broken record's start. When the
                // first object broke before saying what the file is, the nearer of the two decides.
                long from = current == Mode.LINES && recordStart < 0
                        ? at
                        : current == Mode.LINES ? recordStart : recordStart + 1;
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
                        tally.fileError = error + "; no further record found after byte " + at;
                    }
                    return;
                }
                if (resume <= lastResume) {
                    // no progress: never read the same bytes again
                    tally.fileError = error + "; reading could not move past byte " + resume;
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
            tally.records++;
            tally.reject(tally.records, "Records", "expected an array of events, found " + describe(t), new byte[0]);
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
            records.read(p, local, base, f == JsonToken.END_OBJECT ? null : p.currentName(), f == JsonToken.END_OBJECT);
        } else {
            if (!t.isStructStart()) {
                p.finishToken(); // a malformed scalar fails here, as one record, not after being counted
            }
            tally.records++;
            tally.reject(tally.records, null, "expected an event object, found " + describe(t), new byte[0]);
            p.skipChildren();
        }
        recorder.release();
    }

    /** What a token is, in words, never its text: a message must not quote the input. */
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
}
