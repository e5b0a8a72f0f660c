package io.secrettrail.ingest.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.secrettrail.core.event.TrailReader;
import io.secrettrail.ingest.CheckpointLog;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PublishingSink;
import io.secrettrail.ingest.Source;

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
 */
public final class S3TrailSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    private static final Pattern DAY = Pattern.compile("/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final DateTimeFormatter PATH_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final Duration REDISCOVER = Duration.ofHours(1);
    private static final int BATCH = 64;
    /** Lines appended before the checkpoint is rewritten with only what is still open. */
    static final int COMPACT_AFTER = 10_000;
    /** Objects up to this size are read in memory (CloudTrail's are a few KB to a few MB); larger ones through a temp file. */
    private static final long IN_MEMORY = 8L << 20;

    private final S3Client s3;
    private final AwsConfig.S3 config;
    private final List<String> accounts;
    private final List<String> regions;
    private final CheckpointLog checkpoint;
    private final Path tmp;
    private final EventPublisher publisher;
    private final io.secrettrail.core.secret.SecretIndex index;
    private final Clock clock;
    /** Per {@code ACCOUNT/REGION}: keys published, of days not yet closed. */
    private final Map<String, Set<String>> done = new HashMap<>();
    /** Per {@code ACCOUNT/REGION}: the last day whose every file has been published. */
    private final Map<String, LocalDate> closed = new HashMap<>();
    private final AtomicLong rejectionsLogged = new AtomicLong();
    private int appendedSinceRewrite;
    /** One reader per fetch thread (building one costs a Jackson mapper: not per object). */
    private final ThreadLocal<TrailReader> readers;
    private List<String[]> discovered;
    private Instant discoveredAt;

    /**
     * @param accounts accounts to read, or empty to discover them under the trail prefix
     * @param regions regions to read, or empty to discover them per account
     */
    public S3TrailSource(S3Client s3, AwsConfig.S3 config, List<String> accounts, List<String> regions, Path checkpointFile,
                         Path tmp, EventPublisher publisher, io.secrettrail.core.secret.SecretIndex index, int maxFieldChars, Clock clock)
            throws IOException {
        this(s3, config, accounts, regions, checkpointFile, tmp, publisher, index, io.secrettrail.core.event.ReadLimits.withFieldChars(maxFieldChars), clock);
    }

    public S3TrailSource(S3Client s3, AwsConfig.S3 config, List<String> accounts, List<String> regions, Path checkpointFile, Path tmp,
                         EventPublisher publisher, io.secrettrail.core.secret.SecretIndex index, io.secrettrail.core.event.ReadLimits limits,
                         Clock clock) throws IOException {
        this.s3 = s3;
        this.config = config;
        this.accounts = List.copyOf(accounts);
        this.regions = List.copyOf(regions);
        this.checkpoint = new CheckpointLog(checkpointFile);
        this.tmp = tmp;
        this.publisher = publisher;
        this.index = index;
        this.clock = clock;
        this.readers = ThreadLocal.withInitial(() -> new TrailReader(limits));
        Files.createDirectories(tmp);
        try (var left = Files.list(tmp)) { // objects a killed process was reading: never read again from here
            for (Path f : (Iterable<Path>) left.filter(f -> f.getFileName().toString().startsWith("object-"))::iterator) {
                Files.deleteIfExists(f);
            }
        }
        for (String line : checkpoint.lines()) {
            if (line.startsWith("closed ")) {
                String[] f = line.split(" ");
                try {
                    LocalDate d = LocalDate.parse(f[2]);
                    closed.merge(f[1], d, (a, b) -> a.isAfter(b) ? a : b);
                } catch (RuntimeException e) {
                    log.warn("{}: skipping a malformed checkpoint line: {}", checkpoint.file(), line);
                }
            } else {
                done.computeIfAbsent(accountRegion(line), k -> new HashSet<>()).add(line);
            }
        }
        done.values().forEach(keys -> keys.removeIf(k -> !open(k)));
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
            for (String[] accountRegion : accountRegions(now)) {
                if (stopping.getAsBoolean()) {
                    return counts[1];
                }
                try {
                    if (!follow(accountRegion[0] + "/" + accountRegion[1], backfillStart, now, pool, stopping, counts)) {
                        return counts[1]; // stopping: what was published is checkpointed
                    }
                } catch (Exception e) {
                    // One account or region failing (a denied prefix, a KMS key) must not starve the others.
                    failed++;
                    if (first == null) {
                        first = e;
                    }
                    if (e instanceof io.secrettrail.ingest.EventPublisher.PublishException) {
                        throw e; // Kafka itself is failing: nothing else can be published either
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (first != null) {
            if (failed > 1) {
                log.warn("{}: {} account/region listings failed this pass; the first error follows", name(), failed);
            }
            throw first;
        }
        if (appendedSinceRewrite > COMPACT_AFTER) {
            compact();
        }
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
    private boolean follow(String ar, LocalDate backfillStart, Instant now, ExecutorService pool, BooleanSupplier stopping, long[] counts)
            throws Exception {
        LocalDate last = closed.get(ar);
        LocalDate first = last != null ? last.plusDays(1) : backfillStart;
        String base = config.logsRoot() + ar.replace("/", "/CloudTrail/") + "/";
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(base)
                .startAfter(base + PATH_DAY.format(first) + "/").build();
        List<S3Object> batch = new ArrayList<>();
        LocalDate day = null;
        for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
            if (o.key().indexOf('\n') >= 0 || o.key().indexOf('\r') >= 0) {
                log.warn("{}: skipping a key with a line break, which no CloudTrail file has: {}", name(), o.key().replace("\n", "\\n")
                        .replace("\r", "\\r"));
                continue;
            }
            LocalDate d = day(o.key());
            if (d != null && day != null && d.isAfter(day)) {
                if (!flush(batch, pool, stopping, counts)) {
                    return false;
                }
                closeThrough(ar, d.minusDays(1), now); // the listing is in day order: every day before d is complete
            }
            day = d != null ? d : day;
            if (!done.getOrDefault(ar, Set.of()).contains(o.key()) && (o.key().endsWith(".json.gz") || o.key().endsWith(".json"))) {
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
        closeThrough(ar, LocalDate.ofInstant(now.minus(config.lateArrival()), ZoneOffset.UTC).minusDays(1), now);
        return true;
    }

    private boolean flush(List<S3Object> batch, ExecutorService pool, BooleanSupplier stopping, long[] counts) throws Exception {
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
        LocalDate latest = LocalDate.ofInstant(now.minus(config.lateArrival()), ZoneOffset.UTC).minusDays(1);
        LocalDate d = day.isAfter(latest) ? latest : day;
        LocalDate known = closed.get(ar);
        if (known != null && !d.isAfter(known)) {
            return;
        }
        closed.put(ar, d);
        Set<String> keys = done.get(ar);
        if (keys != null) {
            keys.removeIf(k -> !open(k));
        }
        checkpoint.append(List.of("closed " + ar + " " + d));
        appendedSinceRewrite++;
        if (appendedSinceRewrite > COMPACT_AFTER) {
            compact(); // during a long backfill too: the file stays as small as what is still open
        }
    }

    /** Rewrites the checkpoint with what it still needs: each account and region's closed day, and the keys of open days. */
    void compact() throws IOException {
        List<String> lines = new ArrayList<>();
        closed.forEach((ar, d) -> lines.add("closed " + ar + " " + d));
        done.values().forEach(lines::addAll);
        checkpoint.rewrite(lines);
        appendedSinceRewrite = 0;
    }

    /** Fetches, reads and publishes a batch; checkpoints it once Kafka has acknowledged it. */
    private long fetch(List<S3Object> objects, ExecutorService pool) throws Exception {
        List<Future<Long>> results = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (S3Object o : objects) {
            String key = o.key();
            keys.add(key);
            results.add(pool.submit(() -> {
                String name = "s3://" + config.bucket() + "/" + key;
                PublishingSink sink = new PublishingSink(publisher, name, rejectionsLogged);
                TrailReader.Result r;
                if (o.size() != null && o.size() <= IN_MEMORY) {
                    byte[] body;
                    try {
                        // At most what the listing promised: an object replaced by a huge one between the
                        // listing and the GET must not be held whole in memory (it then reads as truncated).
                        body = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key).range("bytes=0-" + (IN_MEMORY - 1)))
                                .asByteArrayUnsafe();
                    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException gone) {
                        log.warn("{}: gone between listing and fetching (a lifecycle rule?); skipped", name);
                        return 0L;
                    }
                    r = readers.get().read(body, name, sink);
                } else {
                    Path file = Files.createTempFile(tmp, "object-", ".gz");
                    try {
                        Files.delete(file); // the SDK refuses to overwrite
                        s3.getObject(b -> b.bucket(config.bucket()).key(key), ResponseTransformer.toFile(file));
                        r = readers.get().read(file, name, sink);
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
                if (r.fileError() != null) {
                    log.warn("{}: {}", name, r.fileError());
                }
                return r.records();
            }));
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
        checkpoint.append(keys);
        for (String k : keys) {
            done.computeIfAbsent(accountRegion(k), x -> new HashSet<>()).add(k);
        }
        appendedSinceRewrite += keys.size();
        return records;
    }

    /** True when the key's day is after its account and region's last closed day (or cannot be told). */
    private boolean open(String key) {
        LocalDate d = day(key);
        LocalDate last = closed.get(accountRegion(key));
        return d == null || last == null || d.isAfter(last);
    }

    /** {@code ACCOUNT/REGION} of a key under the logs root ({@code ROOT/ACCOUNT/CloudTrail/REGION/...}), or "" if not. */
    private String accountRegion(String key) {
        if (!key.startsWith(config.logsRoot())) {
            return "";
        }
        String[] p = key.substring(config.logsRoot().length()).split("/", 4);
        return p.length == 4 ? p[0] + "/" + p[2] : "";
    }

    /** The UTC day in a CloudTrail key's path, or null (no such path, or not a date: 2026/11/31). */
    private static LocalDate day(String key) {
        Matcher m = DAY.matcher(key);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** {account, region} pairs: configured, or discovered under the logs root (cached for an hour). */
    private List<String[]> accountRegions(Instant now) {
        if (!accounts.isEmpty() && !regions.isEmpty()) {
            List<String[]> out = new ArrayList<>();
            for (String a : accounts) {
                for (String r : regions) {
                    out.add(new String[] {a, r});
                }
            }
            return out;
        }
        if (discovered != null && discoveredAt.plus(REDISCOVER).isAfter(now)) {
            return discovered;
        }
        List<String> as = accounts.isEmpty() ? folders(config.logsRoot()).stream().filter(a -> ACCOUNT.matcher(a).matches()).toList()
                : accounts;
        List<String[]> out = new ArrayList<>();
        for (String a : as) {
            for (String r : regions.isEmpty() ? folders(config.logsRoot() + a + "/CloudTrail/") : regions) {
                out.add(new String[] {a, r});
            }
        }
        if (out.isEmpty()) {
            log.warn("{}: no CloudTrail folders under s3://{}/{} yet (is aws.s3.prefix or aws.s3.organizationId right?)", name(),
                    config.bucket(), config.logsRoot());
        }
        discovered = out;
        discoveredAt = now;
        return out;
    }

    private List<String> folders(String prefix) {
        List<String> out = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix).delimiter("/"))) {
            for (CommonPrefix p : page.commonPrefixes()) {
                String rest = p.prefix().substring(prefix.length());
                out.add(rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest);
            }
        }
        return out;
    }
}
