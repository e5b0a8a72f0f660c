package io.secrettrail.app;

import io.secrettrail.core.event.ReadLimits;
import picocli.CommandLine.Option;

/** How large a field, a record and a trail file may be: shared by analyze, serve and ingest. */
final class ReadOptions {
    @Option(
            names = "--max-field-chars",
            paramLabel = "N",
            defaultValue = "" + ReadLimits.DEFAULT_FIELD_CHARS,
            description = "Reject records with a longer string field (default: ${DEFAULT-VALUE}).")
    int maxFieldChars;

    @Option(
            names = "--max-record-bytes",
            paramLabel = "N",
            defaultValue = "" + ReadLimits.DEFAULT_RECORD_BYTES,
            description = "Reject records larger than this (65536..16777216; default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Option(
            names = "--max-file-bytes",
            paramLabel = "N",
            defaultValue = "" + ReadLimits.DEFAULT_FILE_BYTES,
            description = "Stop reading a file past this many decompressed bytes (default: ${DEFAULT-VALUE}).")
    long maxFileBytes;

    @Option(
            names = "--max-file-ratio",
            paramLabel = "N",
            defaultValue = "" + ReadLimits.DEFAULT_FILE_RATIO,
            description =
                    "Stop reading a gzip file that expands more than N times, judged past 16 MiB (default: ${DEFAULT-VALUE}).")
    int maxFileRatio;

    /** @throws IllegalArgumentException naming the option that is out of range */
    ReadLimits limits() {
        return new ReadLimits(maxFieldChars, maxRecordBytes, maxFileBytes, maxFileRatio);
    }
}
