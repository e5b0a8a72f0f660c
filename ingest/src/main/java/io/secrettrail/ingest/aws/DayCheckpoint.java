package io.secrettrail.ingest.aws;

import io.secrettrail.ingest.CheckpointLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an S3 trail has published, per {@code ACCOUNT/REGION}: the last day whose every file has
 * been published ({@code closed ACCOUNT/REGION DAY} lines) and the keys of the days still open.
 * Closing a day drops its keys from memory and, at the next compaction, from the file, so the
 * checkpoint stays as small as what is still open however long the backfill.
 */
final class DayCheckpoint {
    // logged under the source's name, as before the split, so log configuration keeps applying
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    /** Lines appended before the checkpoint is rewritten with only what is still open. */
    static final int COMPACT_AFTER = 10_000;

    private final CheckpointLog checkpoint;
    private final String logsRoot;
    /** Per {@code ACCOUNT/REGION}: keys published, of days not yet closed. */
    private final Map<String, Set<String>> done = new HashMap<>();
    /** Per {@code ACCOUNT/REGION}: the last day whose every file has been published. */
    private final Map<String, LocalDate> closed = new HashMap<>();

    private int appendedSinceRewrite;

    DayCheckpoint(Path file, String logsRoot) throws IOException {
        this.checkpoint = new CheckpointLog(file);
        this.logsRoot = logsRoot;
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
                done.computeIfAbsent(TrailKeys.accountRegion(logsRoot, line), k -> new HashSet<>())
                        .add(line);
            }
        }
        done.values().forEach(keys -> keys.removeIf(k -> !open(k)));
    }

    /** The last closed day of an account and region, or null before the first. */
    LocalDate lastClosed(String ar) {
        return closed.get(ar);
    }

    /** Whether the key, of a day still open, has been published. */
    boolean published(String ar, String key) {
        return done.getOrDefault(ar, Set.of()).contains(key);
    }

    /** Marks the account and region complete through {@code d}; no-op when it already is. */
    void closeThrough(String ar, LocalDate d) throws IOException {
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
        compactIfDue(); // during a long backfill too: the file stays as small as what is still open
    }

    /** Appends keys Kafka has acknowledged. */
    void published(List<String> keys) throws IOException {
        checkpoint.append(keys);
        for (String k : keys) {
            done.computeIfAbsent(TrailKeys.accountRegion(logsRoot, k), x -> new HashSet<>())
                    .add(k);
        }
        appendedSinceRewrite += keys.size();
    }

    void compactIfDue() throws IOException {
        if (appendedSinceRewrite > COMPACT_AFTER) {
            compact();
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

    /** True when the key's day is after its account and region's last closed day (or cannot be told). */
    private boolean open(String key) {
        LocalDate d = TrailKeys.day(key);
        LocalDate last = closed.get(TrailKeys.accountRegion(logsRoot, key));
        return d == null || last == null || d.isAfter(last);
    }
}
