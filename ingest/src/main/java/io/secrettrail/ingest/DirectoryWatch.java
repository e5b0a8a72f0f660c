package io.secrettrail.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.secrettrail.core.secret.SecretIndex;

/**
 * A trail directory source: new files under the directory are published within a poll or two of
 * appearing, each once across restarts. A file is taken when its size and modification time have
 * not changed between two polls (so a file still being written waits); after its events are
 * flushed to Kafka its path is appended to the checkpoint file and forced to disk. A crash between
 * the two re-publishes that file on restart, which analytics' eventID dedupe absorbs.
 */
public final class DirectoryWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

    private final Path dir;
    private final Path checkpoint;
    private final EventPublisher publisher;
    private final SecretIndex index;
    private final int maxFieldChars;
    private final Duration every;
    private final Set<String> done = new HashSet<>();
    private final Map<String, String> seen = new HashMap<>();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private volatile boolean stopped;

    public DirectoryWatch(Path dir, Path checkpoint, EventPublisher publisher, SecretIndex index, int maxFieldChars, Duration every)
            throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        this.checkpoint = checkpoint;
        this.publisher = publisher;
        this.index = index;
        this.maxFieldChars = maxFieldChars;
        this.every = every;
        if (!Files.isDirectory(this.dir)) {
            throw new IllegalArgumentException("--watch: not a directory: " + dir);
        }
        Files.createDirectories(checkpoint.toAbsolutePath().getParent());
        if (Files.exists(checkpoint)) {
            for (String line : Files.readAllLines(checkpoint, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    done.add(line);
                }
            }
        }
    }

    @Override
    public void run() {
        log.info("watching {} ({} files already ingested)", dir, done.size());
        while (!stopped) {
            try {
                poll();
            } catch (IOException | RuntimeException e) {
                log.warn("watching {}: {}", dir, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass: publishes the files that are new and no longer growing. @return files published */
    public int poll() throws IOException, InterruptedException {
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
        if (ready.isEmpty() || stopped) {
            return 0;
        }
        IngestSummary s = new TrailIngestor(new IngestConfig(ready, List.of(), IngestConfig.defaultThreads(), maxFieldChars), publisher,
                index).run();
        StringBuilder lines = new StringBuilder();
        for (Path f : ready) {
            String rel = dir.relativize(f.toAbsolutePath().normalize()).toString();
            lines.append(rel).append('\n');
            done.add(rel);
            seen.remove(rel);
        }
        try (FileChannel ch = FileChannel.open(checkpoint, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        files.addAndGet(ready.size());
        records.addAndGet(s.records());
        log.info("ingested {} new files from {} ({} records, {} rejected)", ready.size(), dir, s.records(), s.rejected());
        return ready.size();
    }

    public long filesIngested() {
        return files.get();
    }

    public long recordsRead() {
        return records.get();
    }

    public void stop() {
        stopped = true;
    }
}
