package io.secrettrail.core.event;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a file's content decompressed and guarded: gzip is told by its magic bytes, whatever the
 * extension, and {@link FileGuard} stops the stream at the file limits.
 */
final class Decompression {
    private Decompression() {}

    /**
     * The buffers before and inside the decompressor. A trail is mostly files of a few KB (CloudTrail
     * delivers every five minutes per account and region), and two fresh 64 KB buffers per file cost the
     * reader 5% of its time in zeroing; 16 KB still reads a large file in few calls.
     */
    private static final int BUFFER = 1 << 14;

    /** The decompressed content of the file, stopped at the limits. */
    static InputStream open(TrailReader.Content file, ReadLimits limits) throws IOException {
        FileGuard.Counting counted = new FileGuard.Counting(file.open());
        InputStream raw = new BufferedInputStream(counted, BUFFER);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        try {
            // The recorder reads in large blocks itself: no buffer between it and the decompressor.
            return FileGuard.guard(gzip ? new GZIPInputStream(raw, BUFFER) : raw, gzip ? counted : null, limits);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }
}
