package io.secrettrail.ingest;

import java.nio.file.Path;
import java.util.List;

/**
 * What to ingest and how.
 *
 * @param trails directories (walked recursively) or files of CloudTrail records
 * @param inventories list-secrets outputs, files or directories of them
 * @param threads files read in parallel
 * @param maxFieldChars a record with a longer string field is rejected
 */
public record IngestConfig(List<Path> trails, List<Path> inventories, int threads, int maxFieldChars) {
    public IngestConfig {
        trails = List.copyOf(trails);
        inventories = List.copyOf(inventories);
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("ingest.threads: must be 1..64, was " + threads);
        }
        if (maxFieldChars < 1024) {
            throw new IllegalArgumentException("ingest.maxFieldChars: must be at least 1024, was " + maxFieldChars);
        }
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
