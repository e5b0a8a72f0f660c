package io.secrettrail.core.event;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps the bytes read through it from a mark on, so a record's exact original bytes can be cut
 * out once the parser has passed its end. Holds one record plus the parser's read-ahead; the
 * buffer is compacted only when full, so the cost stays linear in the bytes read.
 */
final class RecordingInputStream extends InputStream {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    /** Absolute offset of buf[0]. */
    private long base;
    private int len;
    /** Nothing before this absolute offset is needed any more. */
    private long keepFrom;

    RecordingInputStream(InputStream in) {
        this.in = in;
    }

    /** Bytes before {@code offset} may be dropped. */
    void keepFrom(long offset) {
        keepFrom = Math.max(keepFrom, offset);
    }

    /** The bytes in [from, to), absolute offsets; they must still be kept. */
    byte[] slice(long from, long to) {
        if (from < base || to > base + len || from > to) {
            throw new IllegalStateException("slice [" + from + ", " + to + ") outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        return Arrays.copyOfRange(buf, (int) (from - base), (int) (to - base));
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            room(1);
            buf[len++] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        int r = in.read(b, off, n);
        if (r > 0) {
            room(r);
            System.arraycopy(b, off, buf, len, r);
            len += r;
        }
        return r;
    }

    private void room(int n) {
        if (len + n <= buf.length) {
            return;
        }
        int drop = (int) Math.min(Math.max(0, keepFrom - base), len);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        } else if (buf.length > (1 << 22) && len + n <= (1 << 16)) {
            buf = Arrays.copyOf(buf, 1 << 16); // give back what one huge record took
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
