package io.secrettrail.ingest.aws;

import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A CloudTrail trail in S3, organisation trails included. Each pass, for every account and region
 * (configured, or discovered under {@code AWSLogs/[o-…/]} and refreshed hourly), lists the
 * trail's keys from the first day not yet closed onward ({@code start-after} that day's prefix: one
 * paginated listing per account and region, not one per day), fetches the new objects a few in
 * parallel (in memory up to 8 MiB each, larger through a temporary file), publishes them, and once Kafka has them appends their keys to the checkpoint. A day is
 * closed, per account and region, once the listing has passed it and it ended an hour ago in UTC
 * (CloudTrail delivers within about 15 minutes): its keys leave memory and, at the next compaction,
 * the checkpoint, so a backfill of any length holds one batch and one day's keys. The first start goes back
 * {@code aws.s3.backfill}. Digest and Insights files are not under {@code /CloudTrail/} and are
 * never read.
 *
 * <p>This class walks the listings and batches; {@link AccountRegions} finds what to list,
 * {@link DayCheckpoint} remembers what was published, {@link ObjectReader} fetches and reads one
 * object, {@link TrailKeys} knows the key layout.
 */
public final class S3TrailSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    private static final int BATCH = 64;

    private final S3Client s3;
    private final AwsConfig.S3 config;
    private final Clock clock;
    private final AccountRegions accountRegions;
    private final ObjectReader objects;
    private final DayCheckpoint checkpoint;
    private final EventPublisher publisher;

    /**
     * @param accounts accounts to read, or empty to discover them under the trail prefix
     * @param regions regions to read, or empty to discover them per account
     */
    public S3TrailSource(
            S3Client s3,
            AwsConfig.S3 config,
            List<String> accounts,
            List<String> regions,
            Path checkpointFile,
            Path tmp,
            EventPublisher publisher,
            SecretIndex index,
            int maxFieldChars,
            Clock clock)
            throws IOException {
        this(
                s3,
                config,
                accounts,
                regions,
                checkpointFile,
                tmp,
                publisher,
                index,
                ReadLimits.withFieldChars(maxFieldChars),
                clock);
    }

    public S3TrailSource(
            S3Client s3,
            AwsConfig.S3 config,
            List<String> accounts,
            List<String> regions,
            Path checkpointFile,
            Path tmp,
            EventPublisher publisher,
            SecretIndex index,
            ReadLimits limits,
            Clock clock)
            throws IOException {
        this.s3 = s3;
        this.config = config;
        this.clock = clock;
        this.publisher = publisher;
        this.accountRegions = new AccountRegions(s3, config, accounts, regions, name());
        this.objects = new ObjectReader(s3, config.bucket(), tmp, publisher, limits);
        this.checkpoint = new DayCheckpoint(checkpointFile, config.logsRoot());
    }

    @Override
    public String name() {
        return "s3://" + config.bucket() + "/" + config.logsRoot();
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public Duration interval() {
        return config.interval();
    }

    @Override
    public long poll(BooleanSupplier stopping) throws Exception {
        Instant now = clock.instant();
        LocalDate backfillStart = LocalDate.ofInstant(now.minus(config.backfill()), ZoneOffset.UTC);
        long[] counts = new long[2];
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "s3-fetch");
            t.setDaemon(true);
            return t;
        });
        Exception first = null;
        int failed = 0;
        try {
            for (String[] accountRegion : accountRegions.at(now)) {
                if (stopping.getAsBoolean()) {
                    return counts[1];
                }
                try {
                    if (!follow(
                            accountRegion[0] + "/" + accountRegion[1], backfillStart, now, pool, stopping, counts)) {
                        return counts[1]; // stopping: what was published is checkpointed
                    }
                } catch (Exception e) {
                    // One account or region failing (a denied prefix, a KMS key) must not starve the others.
                    failed++;
                    if (first == null) {
                        first = e;
                    }
                    if (e instanceof EventPublisher.PublishException) {
                        throw e; // Kafka itself is failing: nothing else can be published either
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (first != null) {
            if (failed > 1) {
                log.warn("{}: {} account/region listings failed this pass; the first error follows", name(), failed);
            }
            throw first;
        }
        checkpoint.compactIfDue();
        if (counts[0] > 0) {
            log.info("{}: {} new objects, {} records", name(), counts[0], counts[1]);
        }
        return counts[1];
    }

    /**
     * One account and region: a listing from its first open day on, in key order (which is day
     * order), publishing new objects in batches and closing each day as the listing passes it.
     * Memory holds one batch and the keys of the open days, however long the backfill.
     *
     * @param counts {objects, records} added to
     * @return false when stopped part-way
     */
    private boolean follow(
            String ar,
            LocalDate backfillStart,
            Instant now,
            ExecutorService pool,
            BooleanSupplier stopping,
            long[] counts)
            throws Exception {
        LocalDate last = checkpoint.lastClosed(ar);
        LocalDate first = last != null ? last.plusDays(1) : backfillStart;
        String base = TrailKeys.prefix(config.logsRoot(), ar);
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(config.bucket())
                .prefix(base)
                .startAfter(TrailKeys.dayFolder(base, first))
                .build();
        List<S3Object> batch = new ArrayList<>();
        LocalDate day = null;
        for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
            if (o.key().indexOf('\n') >= 0 || o.key().indexOf('\r') >= 0) {
                log.warn(
                        "{}: skipping a key with a line break, which no CloudTrail file has: {}",
                        name(),
                        o.key().replace("\n", "\\n").replace("\r", "\\r"));
                continue;
            }
            LocalDate d = TrailKeys.day(o.key());
            if (d != null && day != null && d.isAfter(day)) {
                if (!flush(batch, pool, stopping, counts)) {
                    return false;
                }
                closeThrough(ar, d.minusDays(1), now); // the listing is in day order: every day before d is complete
            }
            day = d != null ? d : day;
            if (!checkpoint.published(ar, o.key()) && TrailKeys.isTrailFile(o.key())) {
                batch.add(o);
                if (batch.size() >= BATCH && !flush(batch, pool, stopping, counts)) {
                    return false;
                }
            }
        }
        if (!flush(batch, pool, stopping, counts)) {
            return false;
        }
        // The listing reached the present: every day that ended more than lateArrival ago is complete.
        closeThrough(
                ar,
                LocalDate.ofInstant(now.minus(config.lateArrival()), ZoneOffset.UTC)
                        .minusDays(1),
                now);
        return true;
    }

    private boolean flush(List<S3Object> batch, ExecutorService pool, BooleanSupplier stopping, long[] counts)
            throws Exception {
        if (batch.isEmpty()) {
            return true;
        }
        if (stopping.getAsBoolean()) {
            return false;
        }
        counts[1] += fetch(batch, pool);
        counts[0] += batch.size();
        batch.clear();
        return true;
    }

    /** Marks the account and region complete through {@code day} (never a day that ended less than {@code aws.s3.lateArrival} ago). */
    private void closeThrough(String ar, LocalDate day, Instant now) throws IOException {
        LocalDate latest = LocalDate.ofInstant(now.minus(config.lateArrival()), ZoneOffset.UTC)
                .minusDays(1);
        checkpoint.closeThrough(ar, day.isAfter(latest) ? latest : day);
    }

    /** Rewrites the checkpoint with what it still needs: each account and region's closed day, and the keys of open days. */
    void compact() throws IOException {
        checkpoint.compact();
    }

    /** Fetches, reads and publishes a batch; checkpoints it once Kafka has acknowledged it. */
    private long fetch(List<S3Object> batch, ExecutorService pool) throws Exception {
        List<Future<Long>> results = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (S3Object o : batch) {
            keys.add(o.key());
            results.add(pool.submit(() -> objects.read(o)));
        }
        long records = 0;
        Exception failure = null;
        for (Future<Long> f : results) {
            try {
                if (failure == null) {
                    records += f.get();
                } else {
                    f.cancel(true); // the batch fails as a whole; what the others already sent is deduped on the retry
                }
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof Exception x ? x : e;
            }
        }
        if (failure != null) {
            for (Future<Long> f : results) {
                try {
                    f.get();
                } catch (Exception ignored) {
                    // waiting only: none may publish after the pass has returned
                }
            }
            throw failure;
        }
        publisher.flush();
        checkpoint.published(keys);
        return records;
    }
}
