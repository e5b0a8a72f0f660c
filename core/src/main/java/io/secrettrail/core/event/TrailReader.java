package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipException;

/**
 * Streams CloudTrail records out of one file, one record in memory at a time, never the file.
 *
 * <p>Reads CloudTrail log files ({@code {"Records":[...]}}), NDJSON (one event per line), JSON
 * arrays of events and EventBridge envelopes (the event under {@code detail}), plain or gzip (by
 * magic bytes, whatever the extension). Records of other services are skipped as soon as their
 * {@code eventSource} is seen, except CloudTrail's own logging changes
 * ({@link CloudTrailEvent#LOGGING_CHANGES}); every record's {@code eventTime} still counts for the
 * file's latest time. Secret values ({@code secretString}, {@code secretBinary}) are
 * dropped at any depth before anything else sees the record.
 *
 * <p>A bad record is handed to the sink as a {@link Rejection} and reading goes on: in NDJSON at
 * the next line, in a Records array at the next {@code {"eventVersion"} (CloudTrail writes it first
 * in every record). A truncated gzip ends the file after the last whole record. The file is opened
 * and decompressed once, front to back, however many of its records are bad: a resync goes back
 * only into the bytes still kept (the broken record's, within the record limit) and the work
 * stays linear in the file's size (see {@link FileRun#readFrom}).
 *
 * <p>The work is shared out: {@link Decompression} opens and guards the stream, {@link FileRun}
 * walks it and resyncs after a bad record, {@link RecordReader} projects or rejects each record,
 * {@link FileTally} counts and reports, {@link SecretKeys} spots secret values' keys.
 *
 * <p>One reader per thread.
 */
public final class TrailReader {
    /** Size cap for a dead-letter copy of a rejected record. */
    public static final int MAX_DEAD_LETTER_BYTES = 256 * 1024;

    private final ReadLimits limits;
    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final EventParser parser = new EventParser();
    /** What the last read cost, for the tests that bound memory and work. */
    private int lastCapacity;

    private long lastDecompressed;
    /** The record buffer of the last file read, for the next (see {@link RecordingInputStream#spare}). */
    private byte[] spareBuffer;

    private long lastParsed;

    /** Receives what a file holds. */
    public interface Sink {
        /** @param recordIndex 1-based position of the record in its file */
        void accept(CloudTrailEvent event, long recordIndex);

        void reject(Rejection rejection);
    }

    /**
     * @param records every record seen, all services, rejected ones included
     * @param secretsManagerRecords accepted Secrets Manager records (CloudTrail's logging changes are accepted but not counted here)
     * @param fileError why the file stopped early (truncated gzip, unreadable), or null
     * @param latestEventTime the latest eventTime of the file's records of every service, kept or not
     *                        (what tells that the trail is still delivering); null when no record had a readable one
     */
    public record Result(
            long records, long secretsManagerRecords, long rejected, String fileError, Instant latestEventTime) {
        public Result(long records, long secretsManagerRecords, long rejected, String fileError) {
            this(records, secretsManagerRecords, rejected, fileError, null);
        }
    }

    /** @param maxFieldChars a record with a longer string field is rejected (CloudTrail caps events far below 1 MiB) */
    public TrailReader(int maxFieldChars) {
        this(ReadLimits.withFieldChars(maxFieldChars));
    }

    public TrailReader(ReadLimits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                // A parser stops at a bad record but the file's stream goes on: the reader closes it.
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                // No string of a record within its byte limit is longer; a longer one (only in a
                // record already oversize) stops its record instead of filling the heap.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(limits.maxFieldChars(), limits.maxRecordBytes()) + 1)
                        .build())
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
        FileTally tally = new FileTally(name, sink, limits);
        RecordingInputStream recorder = null;
        FileRun run = null;
        try {
            byte[] spare = spareBuffer;
            spareBuffer = null; // never shared, even if a read were to start inside another
            recorder = new RecordingInputStream(Decompression.open(file, limits), limits.maxRecordBytes(), spare);
            run = new FileRun(
                    factory,
                    limits,
                    tally,
                    new RecordReader(limits, factory, mapper, parser, tally, recorder),
                    recorder);
            run.readFrom(0, FileRun.Mode.UNKNOWN);
        } catch (FileGuard.LimitException e) {
            tally.stop(e.getMessage() + " (stopped after record " + tally.wholeRecords() + ")");
        } catch (IllegalStateException e) {
            // a file the reader cannot walk must stop that file, never the batch it came in
            tally.stop("unreadable file (" + e.getClass().getSimpleName() + ") (stopped after record "
                    + tally.wholeRecords() + ")");
        } catch (EOFException | ZipException e) {
            tally.stop("truncated or corrupt gzip after record " + tally.wholeRecords() + " (" + e.getMessage() + ")");
        } finally {
            if (recorder != null) {
                recorder.close();
                spareBuffer = recorder.spare();
            }
        }
        if (recorder != null) {
            lastCapacity = Math.max(lastCapacity, recorder.capacity());
            lastDecompressed = recorder.freshBytes();
            lastParsed = run == null ? 0 : run.parsed;
        }
        return tally.result();
    }

    /** Decompressed bytes the last read took from its file: each byte once, however many records were bad. */
    long lastDecompressedBytes() {
        return lastDecompressed;
    }

    /** Bytes the last read's parsers went through, those read again after a bad record included. */
    long lastParsedBytes() {
        return lastParsed;
    }

    /**
     * The start of an oversize record for its dead letter: cut before anything that may begin a
     * secret value's key (the record was never filtered) and at a UTF-8 character boundary.
     */
    public static byte[] preview(byte[] head) {
        return SecretKeys.preview(head);
    }
}
