package io.secrettrail.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A source's checkpoint: an append-only text file of lines, each append forced to disk before it
 * returns. Sources append only after Kafka has acknowledged what a line stands for, so a crash
 * loses no event; at worst the last batch is published again and analytics' eventID dedupe absorbs
 * it. A torn last line (a crash mid-append) is ignored on reading. {@link #rewrite} compacts the
 * file atomically.
 */
public final class CheckpointLog {
    private final Path file;

    public CheckpointLog(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        Files.createDirectories(this.file.getParent());
        repair();
    }

    /**
     * Cuts a torn last line (a crash, power loss or full disk mid-append) off the file, so the
     * next append starts a line of its own instead of running on from the fragment.
     */
    private void repair() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }

    /** The whole lines written so far. */
    public List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int start = 0;
        int nl;
        while ((nl = text.indexOf('\n', start)) >= 0) {
            String line = text.substring(start, nl);
            if (!line.isBlank()) {
                out.add(line);
            }
            start = nl + 1;
        }
        return out;
    }

    public void append(Collection<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(join(lines)));
            ch.force(true);
        }
    }

    /** Replaces the content: written beside, forced, then moved over the old file. */
    public void rewrite(Collection<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(join(lines)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Path file() {
        return file;
    }

    private static byte[] join(Collection<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (l.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a checkpoint line cannot hold a newline");
            }
            b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
