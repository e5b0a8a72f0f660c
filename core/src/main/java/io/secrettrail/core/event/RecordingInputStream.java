package io.secrettrail.core.event;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps the bytes of the record being read, so its exact original bytes can be cut out once the
 * parser has passed its end. Memory stays bounded whatever the input holds: between records only
 * the last {@link #READ_AHEAD} bytes are kept (the parser's read-ahead, where the next record
 * starts), and a record longer than its limit stops being kept (it is rejected as oversize; only
 * its first {@link #PREVIEW_BYTES} stay, for the dead letter). The buffer is compacted only when
 * full, so the cost stays linear in the bytes read.
 */
final class RecordingInputStream extends InputStream {
    /** More than the parser ever reads ahead of its position (Jackson reads 8000 bytes at a time). */
    static final int READ_AHEAD = 1 << 16;
    static final int PREVIEW_BYTES = 512;

    private final InputStream in;
    private final int maxRecord;
    private byte[] buf = new byte[READ_AHEAD];
    /** Absolute offset of buf[0]. */
    private long base;
    private int len;
    /** Start of the open record, or -1 between records. */
    private long keepFrom = -1;
    /** The open record outgrew {@link #maxRecord}: its bytes are not kept any more. */
    private boolean overflow;
    private byte[] head = new byte[0];

    /** @param maxRecord the longest record whose bytes are kept */
    RecordingInputStream(InputStream in, int maxRecord) {
        this.in = in;
        this.maxRecord = maxRecord;
    }

    /** A record starts at {@code offset} (absolute); it must be among the bytes still kept. */
    void keepFrom(long offset) {
        if (offset < base || offset > base + len) {
            throw new IllegalStateException("record start " + offset + " outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        keepFrom = offset;
        overflow = false;
        head = new byte[0];
    }

    /** No record is open: only the read-ahead is kept. */
    void release() {
        keepFrom = -1;
        overflow = false;
    }

    /** Whether the open record outgrew the limit (then {@link #slice} cannot cut it out). */
    boolean overflowed() {
        return overflow;
    }

    /** The first bytes of the open record, at most {@link #PREVIEW_BYTES}, even when it overflowed. */
    byte[] head(long to) {
        if (overflow) {
            return head;
        }
        return slice(keepFrom, Math.min(to, Math.min(base + len, keepFrom + PREVIEW_BYTES)));
    }

    /** The bytes in [from, to), absolute offsets; they must still be kept. */
    byte[] slice(long from, long to) {
        if (from < base || to > base + len || from > to) {
            throw new IllegalStateException("slice [" + from + ", " + to + ") outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        return Arrays.copyOfRange(buf, (int) (from - base), (int) (to - base));
    }

    /** The buffer's size in bytes: what one reader holds, whatever lies in the file. */
    int capacity() {
        return buf.length;
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
        int r = in.read(b, off, Math.min(n, READ_AHEAD));
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
        long end = base + len + n;
        if (keepFrom >= 0 && !overflow && end - keepFrom > (long) maxRecord + READ_AHEAD) {
            // The parser is past maxRecord bytes of this record: it is oversize, keep only its head.
            head = Arrays.copyOfRange(buf, (int) (keepFrom - base), (int) (keepFrom - base) + Math.min(PREVIEW_BYTES, len - (int) (keepFrom - base)));
            overflow = true;
        }
        long keep = keepFrom >= 0 && !overflow ? keepFrom : Math.max(base, end - READ_AHEAD);
        int drop = (int) Math.min(Math.max(0, keep - base), len);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Math.max(buf.length * 2L, len + n), (long) maxRecord + 3L * READ_AHEAD));
        } else if (buf.length > 4 * READ_AHEAD && len + n <= READ_AHEAD) {
            buf = Arrays.copyOf(buf, READ_AHEAD); // give back what one large record took
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
