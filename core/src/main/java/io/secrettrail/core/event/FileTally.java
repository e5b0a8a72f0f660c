package io.secrettrail.core.event;

import java.util.Arrays;

/**
 * What one file has yielded so far: records seen, accepted and rejected, the error that stopped
 * it; every rejection goes to the sink from here, its raw bytes capped for a dead letter.
 */
final class FileTally {
    private final String name;
    private final TrailReader.Sink sink;
    private final ReadLimits limits;
    long records;
    long accepted;
    long rejected;
    String fileError;
    /** Index of the record being read, 0 between records. */
    long openRecord;
    /** Latest eventTime of any record read whole, of every service; null while none. */
    java.time.Instant latest;

    FileTally(String name, TrailReader.Sink sink, ReadLimits limits) {
        this.name = name;
        this.sink = sink;
        this.limits = limits;
    }

    /** Hands an accepted event to the sink; only Secrets Manager ones are counted as accepted. */
    void accept(CloudTrailEvent event, long index) {
        sink.accept(event, index);
        if (event.secretsManager()) {
            accepted++;
        }
        noteTime(event.eventTime());
    }

    /** A record's eventTime, as the file's latest if it is; text that is not a storable time is ignored. */
    void noteTime(com.fasterxml.jackson.databind.JsonNode time) {
        if (time != null && time.isTextual()) {
            noteTime(time.asText());
        }
    }

    void noteTime(String text) {
        try {
            noteTime(io.secrettrail.core.Times.parse(text));
        } catch (java.time.DateTimeException e) {
            // a record of another service with a bad time says nothing about when the file was written
        }
    }

    private void noteTime(java.time.Instant t) {
        if (io.secrettrail.core.Times.storable(t) && (latest == null || t.isAfter(latest))) {
            latest = t;
        }
    }

    /** Records whole before the one being read, if any. */
    long wholeRecords() {
        return openRecord == 0 ? records : records - 1;
    }

    /** The file stops here: the record being read (or a new one, between records) is rejected with the error. */
    void stop(String error) {
        fileError = error;
        if (openRecord == 0) {
            records++;
        }
        rejectUnreadable(records, fileError);
    }

    void rejectUnreadable(long index, String error) {
        reject(index, null, error, new byte[0]);
    }

    void reject(long index, String field, String error, byte[] raw) {
        rejected++;
        int cap = Math.min(TrailReader.MAX_DEAD_LETTER_BYTES, limits.maxRecordBytes());
        byte[] capped = raw.length <= cap ? raw : Arrays.copyOf(raw, cap);
        // A path of long nested names would not fit a Kafka header; its start says where.
        String f = field == null || field.length() <= 300 ? field : field.substring(0, 297) + "...";
        sink.reject(new Rejection(name, index, f, error, capped));
    }

    TrailReader.Result result() {
        return new TrailReader.Result(records, accepted, rejected, fileError, latest);
    }
}
