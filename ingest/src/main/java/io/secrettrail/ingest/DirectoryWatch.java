package io.secrettrail.ingest;

import io.secrettrail.core.secret.SecretIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trail directory source: new files under the directory are published within a poll or two of
 * appearing, each once across restarts. A file is taken when its size and modification time have
 * not changed between two polls (so a file still being written waits); after its events are
 * flushed to Kafka its path is appended to the checkpoint file and forced to disk. A crash between
 * the two re-publishes that file on restart, which analytics' eventID dedupe absorbs.
 */
public final class DirectoryWatch implements Source {
    private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

    private final Path dir;
    private final CheckpointLog checkpoint;
    private final EventPublisher publisher;
    private final SecretIndex index;
    private final io.secrettrail.core.event.ReadLimits limits;
    private final Duration every;
    private final Set<String> done = new HashSet<>();
    private final Map<String, String> seen = new HashMap<>();
    private final AtomicLong files = new AtomicLong();
    private static final int BATCH = 1000;

    public DirectoryWatch(
            Path dir, Path checkpoint, EventPublisher publisher, SecretIndex index, int maxFieldChars, Duration every)
            throws IOException {
        this(
                dir,
                checkpoint,
                publisher,
                index,
                io.secrettrail.core.event.ReadLimits.withFieldChars(maxFieldChars),
                every);
    }

    public DirectoryWatch(
            Path dir,
            Path checkpoint,
            EventPublisher publisher,
            SecretIndex index,
            io.secrettrail.core.event.ReadLimits limits,
            Duration every)
            throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        this.checkpoint = new CheckpointLog(checkpoint);
        this.publisher = publisher;
        this.index = index;
        this.limits = limits;
        this.every = every;
        if (!Files.isDirectory(this.dir)) {
            throw new IllegalArgumentException("--watch: not a directory: " + dir);
        }
        done.addAll(this.checkpoint.lines());
        log.info("watching {} ({} files already ingested)", this.dir, done.size());
    }

    @Override
    public String name() {
        return dir.toString();
    }

    @Override
    public String kind() {
        return "watch";
    }

    @Override
    public Duration interval() {
        return every;
    }

    /** One pass: publishes the files that are new and no longer growing. @return records read */
    @Override
    public long poll(BooleanSupplier stopping) throws IOException, InterruptedException {
        List<Path> ready = new ArrayList<>();
        for (Path f : TrailFiles.list(List.of(dir))) {
            String rel = dir.relativize(f.toAbsolutePath().normalize()).toString();
            if (done.contains(rel)) {
                continue;
            }
            String stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
            if (stamp.equals(seen.put(rel, stamp))) {
                ready.add(f);
            }
        }
        long records = 0;
        // In batches, each checkpointed once Kafka has it: a stop during a first pass over a large
        // directory resumes after the last batch instead of publishing everything again.
        for (int i = 0; i < ready.size(); i += BATCH) {
            if (stopping.getAsBoolean()) {
                return records;
            }
            List<Path> batch = ready.subList(i, Math.min(ready.size(), i + BATCH));
            IngestSummary s = new TrailIngestor(
                            new IngestConfig(List.of(dir), List.of(), IngestConfig.defaultThreads(), limits),
                            publisher,
                            index)
                    .read(batch, dir);
            List<String> lines = new ArrayList<>();
            for (Path f : batch) {
                String rel = dir.relativize(f.toAbsolutePath().normalize()).toString();
                lines.add(rel);
                done.add(rel);
                seen.remove(rel);
            }
            checkpoint.append(lines);
            files.addAndGet(batch.size());
            records += s.records();
            log.info(
                    "ingested {} new files from {} ({} records, {} rejected)",
                    batch.size(),
                    dir,
                    s.records(),
                    s.rejected());
        }
        return records;
    }

    public long filesIngested() {
        return files.get();
    }
}
