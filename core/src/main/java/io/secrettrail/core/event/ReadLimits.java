package io.secrettrail.core.event;

/**
 * How much one trail file and one record may hold; beyond, the record (or the rest of the file)
 * is rejected with a message naming the limit, and memory per reader stays bounded.
 *
 * @param maxFieldChars a record with a longer string field is rejected ({@code --max-field-chars})
 * @param maxRecordBytes a record of more bytes is rejected ({@code --max-record-bytes}); Kafka's
 *                       limits are set above it, so a record that passes always fits
 * @param maxFileBytes a file that decompresses to more bytes is read no further ({@code --max-file-bytes})
 * @param maxFileRatio a gzip file decompressing to more than this many times its size (judged
 *                     past {@link #RATIO_FLOOR_BYTES}) is read no further ({@code --max-file-ratio})
 */
public record ReadLimits(int maxFieldChars, int maxRecordBytes, long maxFileBytes, int maxFileRatio) {
    /** 1 MiB: CloudTrail delivers events far smaller (EventBridge caps them at 256 KB). */
    public static final int DEFAULT_FIELD_CHARS = 1 << 20;
    /** 1 MiB: four times the largest event EventBridge carries; a CloudTrail record is a few KB. */
    public static final int DEFAULT_RECORD_BYTES = 1 << 20;
    /** Kafka messages above 16 MiB are a burden on every broker and consumer. */
    public static final int MAX_RECORD_BYTES = 16 << 20;

    public static final int MIN_RECORD_BYTES = 64 << 10;
    /** 1 GiB: CloudTrail writes a file per account, region and ~5 minutes, tens of MB at most. */
    public static final long DEFAULT_FILE_BYTES = 1L << 30;
    /** CloudTrail JSON gzips about 10:1; 100:1 is a bomb (whitespace or repeats gzip near 1000:1). */
    public static final int DEFAULT_FILE_RATIO = 100;
    /** Files are judged by their ratio only past this much output: small files compress as they like. */
    public static final long RATIO_FLOOR_BYTES = 16L << 20;

    public ReadLimits {
        if (maxFieldChars < 1024) {
            throw new IllegalArgumentException("--max-field-chars: must be at least 1024, was " + maxFieldChars);
        }
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("--max-record-bytes: must be " + MIN_RECORD_BYTES + ".."
                    + MAX_RECORD_BYTES + ", was " + maxRecordBytes);
        }
        if (maxFileBytes < maxRecordBytes) {
            throw new IllegalArgumentException("--max-file-bytes: must be at least --max-record-bytes ("
                    + maxRecordBytes + "), was " + maxFileBytes);
        }
        if (maxFileRatio < 2) {
            throw new IllegalArgumentException("--max-file-ratio: must be at least 2, was " + maxFileRatio);
        }
    }

    public static ReadLimits defaults() {
        return new ReadLimits(DEFAULT_FIELD_CHARS, DEFAULT_RECORD_BYTES, DEFAULT_FILE_BYTES, DEFAULT_FILE_RATIO);
    }

    /** The defaults with another field limit (the older single setting). */
    public static ReadLimits withFieldChars(int maxFieldChars) {
        return new ReadLimits(maxFieldChars, DEFAULT_RECORD_BYTES, DEFAULT_FILE_BYTES, DEFAULT_FILE_RATIO);
    }
}
