package io.secrettrail.ingest;

import io.secrettrail.core.Futures;
import io.secrettrail.core.Progress;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the inventory and saved resource policies, then every trail file (several in parallel), into Kafka. A bad record goes
 * to the dead-letter topic and is logged; a bad file stops only itself. Returns once Kafka has
 * acknowledged everything.
 */
public final class TrailIngestor {
    private static final Logger log = LoggerFactory.getLogger(TrailIngestor.class);

    private final IngestConfig config;
    private final EventPublisher publisher;
    private final SecretIndex index;
    private final AtomicLong rejectionsLogged = new AtomicLong();

    public TrailIngestor(IngestConfig config, EventPublisher publisher, SecretIndex index) {
        this.config = config;
        this.publisher = publisher;
        this.index = index;
    }

    /** @throws NoTrailFilesException when the trail paths hold no file to read */
    public IngestSummary run() throws IOException, InterruptedException {
        long[] inventory = loadInventory();
        List<Path> files = TrailFiles.list(config.trails());
        if (files.isEmpty()) {
            throw new NoTrailFilesException("no CloudTrail files (.json, .json.gz, .ndjson) under " + config.trails());
        }
        // Directories once, not per file: a list of 8,000 files as roots cost 64 million stat calls.
        List<Path> dirs = config.trails().stream()
                .filter(java.nio.file.Files::isDirectory)
                .toList();
        return read(files, dirs, inventory);
    }

    /** Publishes these files (no inventory), named relative to {@code root} (a watched directory). */
    public IngestSummary read(List<Path> files, Path root) throws IOException, InterruptedException {
        return read(files, List.of(root), new long[2]);
    }

    private IngestSummary read(List<Path> files, List<Path> dirs, long[] inventory)
            throws IOException, InterruptedException {
        long refusedBefore = publisher.refused();
        Progress progress = Progress.stderr("ingest", "files", files.size());
        AtomicLong records = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<String> fileErrors = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<TrailReader> readers = ThreadLocal.withInitial(() -> new TrailReader(config.limits()));
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "ingest-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>(files.size());
            for (Path file : files) {
                done.add(pool.submit(() -> {
                    String name = TrailFiles.displayName(file, dirs);
                    TrailReader.Result r =
                            readers.get().read(file, name, new PublishingSink(publisher, name, rejectionsLogged));
                    publisher.delivery(name, r);
                    records.addAndGet(r.records());
                    accepted.addAndGet(r.secretsManagerRecords());
                    rejected.addAndGet(r.rejected());
                    if (r.fileError() != null) {
                        fileErrors.add(name + ": " + r.fileError());
                        log.warn("{}: {}", name, r.fileError());
                    }
                    progress.advance(1, r.records());
                    return null;
                }));
            }
            for (Future<?> f : done) {
                Futures.join(f);
            }
        } finally {
            pool.shutdownNow();
        }
        publisher.flush();
        progress.done();
        if (rejected.get() > PublishingSink.LOGGED_REJECTIONS) {
            log.warn(
                    "{} records rejected in all ({} logged above); every one is in the dead-letter topic",
                    rejected.get(),
                    PublishingSink.LOGGED_REJECTIONS);
        }
        // Records Kafka could not take were dead-lettered by the publisher: rejected, not accepted.
        long refused = publisher.refused() - refusedBefore;
        return new IngestSummary(
                files.size(),
                records.get(),
                accepted.get() - refused,
                rejected.get() + refused,
                (int) inventory[0],
                inventory[1],
                List.copyOf(fileErrors));
    }

    /** Publishes the inventory files alone. @return {entries, rejected} */
    public long[] publishInventory() throws IOException {
        long[] counts = loadInventory();
        publisher.flush();
        return counts;
    }

    private long[] loadInventory() throws IOException {
        InventoryReader reader = new InventoryReader();
        long[] counts = new long[2];
        for (Path file : TrailFiles.list(config.inventories())) {
            String name = TrailFiles.displayName(file, config.inventories());
            // A file covers the accounts and regions of the ARNs it lists (announced once each, after its entries).
            java.util.Set<List<String>> covered = new java.util.LinkedHashSet<>();
            counts[0] += reader.read(
                    file,
                    name,
                    entry -> {
                        index.addInventory(entry.arn());
                        publisher.inventory(entry, name);
                        covered.add(List.of(entry.account(), entry.region()));
                    },
                    rejection -> {
                        counts[1]++;
                        PublishingSink.log(rejection, rejectionsLogged);
                        publisher.deadLetter(rejection);
                    });
            for (List<String> c : covered) {
                publisher.inventoryCoverage(c.get(0), c.get(1), name);
            }
        }
        // Saved get-resource-policy outputs: each secret's current policy, as of the report.
        io.secrettrail.core.secret.ResourcePolicyReader policies =
                new io.secrettrail.core.secret.ResourcePolicyReader();
        for (Path file : TrailFiles.list(config.policies())) {
            String name = TrailFiles.displayName(file, config.policies());
            policies.read(file, name, p -> publisher.resourcePolicy(p, name), rejection -> {
                counts[1]++;
                PublishingSink.log(rejection, rejectionsLogged);
                publisher.deadLetter(rejection);
            });
        }
        return counts;
    }

    /** The trail paths hold nothing to read: a usage error, not a crash. */
    public static final class NoTrailFilesException extends IOException {
        public NoTrailFilesException(String message) {
            super(message);
        }
    }
}
