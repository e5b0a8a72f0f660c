package io.secrettrail.ingest;

import io.secrettrail.core.event.ReadLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * What to ingest and how.
 *
 * @param trails directories (walked recursively) or files of CloudTrail records
 * @param inventories list-secrets outputs, files or directories of them
 * @param policies get-resource-policy outputs, files or directories of them
 * @param threads files read in parallel
 * @param limits how large a field, a record and a file may be
 */
public record IngestConfig(
        List<Path> trails, List<Path> inventories, List<Path> policies, int threads, ReadLimits limits) {
    public IngestConfig {
        trails = List.copyOf(trails);
        inventories = List.copyOf(inventories);
        policies = List.copyOf(policies);
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("ingest.threads: must be 1..64, was " + threads);
        }
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /** Without saved resource policies. */
    public IngestConfig(List<Path> trails, List<Path> inventories, int threads, ReadLimits limits) {
        this(trails, inventories, List.of(), threads, limits);
    }

    /** @param maxFieldChars a record with a longer string field is rejected; the other limits at their defaults */
    public IngestConfig(List<Path> trails, List<Path> inventories, int threads, int maxFieldChars) {
        this(trails, inventories, threads, ReadLimits.withFieldChars(maxFieldChars));
    }

    public int maxFieldChars() {
        return limits.maxFieldChars();
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
