package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code export.ocsf.file}: every alert transition appended to one file as an {@link Ocsf} JSON line, and
 * forced to disk before the caller goes on. No rotation: whoever ships the file (a Security Lake or Splunk
 * forwarder) rotates it.
 */
final class OcsfFile {
    private final Path path;

    OcsfFile(Path path) {
        this.path = path;
    }

    /**
     * Appends the findings of these messages and forces them to disk.
     *
     * @throws UncheckedIOException when they could not be written (the caller's transaction then rolls back)
     */
    synchronized void append(List<JsonNode> messages) {
        if (messages.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        messages.forEach(m -> b.append(Ocsf.lines(m)));
        try {
            if (!endsWithNewline(path)) {
                // a line cut short by a crash stays a line of its own, which a reader skips, not glued to ours
                b.insert(0, '\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("export.ocsf.file: could not read the end of " + path, e);
        }
        try (FileChannel ch = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer out = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("export.ocsf.file: could not append to " + path, e);
        }
    }

    /** True for a file that is missing, empty or ends a line. */
    private static boolean endsWithNewline(Path path) throws IOException {
        if (!Files.exists(path)) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
