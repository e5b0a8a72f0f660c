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
import java.util.HashSet;
import java.util.List;
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
 * parallel, publishes them, and once Kafka has them appends their keys to the checkpoint. A day is
 * closed an hour after it ends in UTC (CloudTrail delivers within about 15 minutes), which keeps
 * the checkpoint small: keys of closed days are dropped from it. The first start goes back
 * {@code aws.s3.backfill}. Digest and Insights files are not under {@code /CloudTrail/} and are
 * never read.
 */
public final class S3TrailSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    private static final Pattern DAY = Pattern.compile("/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final DateTimeFormatter PATH_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    /** How long after a UTC day ends its files may still arrive. */
    static final Duration LATE = Duration.ofHours(1);
    private static final Duration REDISCOVER = Duration.ofHours(1);
    private static final int BATCH = 64;

    private final S3Client s3;
    private final AwsConfig.S3 config;
    private final List<String> accounts;
    private final List<String> regions;
    private final CheckpointLog checkpoint;
    private final Path tmp;
    private final EventPublisher publisher;
    private final io.secrettrail.core.secret.SecretIndex index;
    private final int maxFieldChars;
    private final Clock clock;
    private final Set<String> done = new HashSet<>();
    private final AtomicLong rejectionsLogged = new AtomicLong();
    private LocalDate closedThrough;
    private List<String[]> discovered;
    private Instant discoveredAt;

    /**
     * @param accounts accounts to read, or empty to discover them under the trail prefix
     * @param regions regions to read, or empty to discover them per account
     */
    public S3TrailSource(S3Client s3, AwsConfig.S3 config, List<String> accounts, List<String> regions, Path checkpointFile,
                         Path tmp, EventPublisher publisher, io.secrettrail.core.secret.SecretIndex index, int maxFieldChars, Clock clock)
            throws IOException {
        this.s3 = s3;
        this.config = config;
        this.accounts = List.copyOf(accounts);
        this.regions = List.copyOf(regions);
        this.checkpoint = new CheckpointLog(checkpointFile);
        this.tmp = tmp;
        this.publisher = publisher;
        this.index = index;
        this.maxFieldChars = maxFieldChars;
        this.clock = clock;
        Files.createDirectories(tmp);
        for (String line : checkpoint.lines()) {
            if (line.startsWith("closed ")) {
                LocalDate d = LocalDate.parse(line.substring(7));
                closedThrough = closedThrough == null || d.isAfter(closedThrough) ? d : closedThrough;
            } else {
                done.add(line);
            }
        }
        if (closedThrough != null) {
            done.removeIf(k -> !open(k));
        }
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
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = closedThrough != null ? closedThrough.plusDays(1)
                : LocalDate.ofInstant(now.minus(config.backfill()), ZoneOffset.UTC);
        long records = 0;
        int objects = 0;
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "s3-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String[] accountRegion : accountRegions(now)) {
                String base = config.logsRoot() + accountRegion[0] + "/CloudTrail/" + accountRegion[1] + "/";
                List<String> fresh = new ArrayList<>();
                ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(base)
                        .startAfter(base + PATH_DAY.format(first) + "/").build();
                for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                    String key = o.key();
                    if (!done.contains(key) && open(key) && (key.endsWith(".json.gz") || key.endsWith(".json"))) {
                        fresh.add(key);
                    }
                }
                for (int i = 0; i < fresh.size(); i += BATCH) {
                    if (stopping.getAsBoolean()) {
                        return records;
                    }
                    List<String> batch = fresh.subList(i, Math.min(fresh.size(), i + BATCH));
                    records += fetch(batch, pool);
                    objects += batch.size();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        closeDays(first, now);
        if (objects > 0) {
            log.info("{}: {} new objects, {} records", name(), objects, records);
        }
        return records;
    }

    /** Fetches, reads and publishes a batch; checkpoints it once Kafka has acknowledged it. */
    private long fetch(List<String> keys, ExecutorService pool) throws Exception {
        List<Future<Long>> results = new ArrayList<>();
        for (String key : keys) {
            results.add(pool.submit(() -> {
                Path file = Files.createTempFile(tmp, "object-", ".gz");
                try {
                    Files.delete(file); // the SDK refuses to overwrite
                    s3.getObject(b -> b.bucket(config.bucket()).key(key), ResponseTransformer.toFile(file));
                    String name = "s3://" + config.bucket() + "/" + key;
                    TrailReader.Result r = new TrailReader(maxFieldChars).read(file, name, new PublishingSink(publisher, name, rejectionsLogged));
                    if (r.fileError() != null) {
                        log.warn("{}: {}", name, r.fileError());
                    }
                    return r.records();
                } finally {
                    Files.deleteIfExists(file);
                }
            }));
        }
        long records = 0;
        for (Future<Long> f : results) {
            try {
                records += f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw e;
            }
        }
        publisher.flush();
        checkpoint.append(keys);
        done.addAll(keys);
        return records;
    }

    /** Days that ended more than {@link #LATE} ago are complete: remember them and forget their keys. */
    private void closeDays(LocalDate first, Instant now) throws IOException {
        LocalDate last = null;
        for (LocalDate d = first; !now.isBefore(d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(LATE)); d = d.plusDays(1)) {
            last = d;
        }
        if (last == null) {
            return;
        }
        closedThrough = last;
        done.removeIf(k -> !open(k));
        List<String> lines = new ArrayList<>();
        lines.add("closed " + last);
        lines.addAll(done);
        checkpoint.rewrite(lines);
    }

    /** True when the key's day is after the last closed day (or its day cannot be told). */
    private boolean open(String key) {
        if (closedThrough == null) {
            return true;
        }
        Matcher m = DAY.matcher(key);
        if (!m.find()) {
            return true;
        }
        LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        return d.isAfter(closedThrough);
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
