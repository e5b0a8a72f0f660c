package io.secrettrail.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Something that brings events or inventory into Kafka, a pass at a time. A pass publishes, waits
 * for Kafka's acknowledgement, then moves its checkpoint, so a pass that fails half-way is simply
 * run again. {@link SourceRunner} repeats passes every {@link #interval()} and backs off on errors.
 */
public interface Source {
    /** Names the source in logs, metrics and dead letters, e.g. {@code s3://bucket/prefix}. */
    String name();

    /** The kind, for metric labels: watch, s3, lookup, inventory. */
    String kind();

    Duration interval();

    /**
     * One pass. A long pass (a backfill) checks {@code stopping} between pages or objects and
     * returns early, its checkpoint consistent with what it published.
     *
     * @return records read in it
     */
    long poll(BooleanSupplier stopping) throws Exception;
}
