package io.secrettrail.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer whose Deflater and buffer are reused from file to file. Trail files are small
 * (one 5-minute bucket), so allocating a fresh GZIPOutputStream per file costs more than the
 * compression itself. Output is plain RFC 1952 with a zero mtime, hence reproducible bytes.
 */
final class GzipSink extends OutputStream {
    private static final int BUFFER = 64 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[BUFFER];
    private OutputStream out;

    /** Starts a new file; the previous one must have been closed. */
    GzipSink open(Path file) throws IOException {
        out = Files.newOutputStream(file);
        deflater.reset();
        crc.reset();
        out.write(HEADER);
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        crc.update(b, off, len);
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    private void drain() throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        if (n > 0) {
            out.write(buf, 0, n);
        }
    }

    /** Finishes the gzip member and closes the file, keeping the deflater for the next one. */
    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        try {
            deflater.finish();
            while (!deflater.finished()) {
                drain();
            }
            long crcValue = crc.getValue();
            long size = deflater.getBytesRead();
            byte[] trailer = new byte[8];
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (crcValue >>> (8 * i));
                trailer[4 + i] = (byte) (size >>> (8 * i));
            }
            out.write(trailer);
        } finally {
            out.close();
            out = null;
        }
    }

    /** Releases the native deflater once generation is over. */
    void release() {
        deflater.end();
    }
}
