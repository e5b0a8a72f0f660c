package io.secrettrail.core.event;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The one decompressed stream of a file, read once, front to back. It keeps the bytes of the
 * record being read, so its exact original bytes can be cut out once the parser has passed its
 * end, and so that after a syntax error reading can go back to the broken record's start and
 * resume at the next record without opening the file again ({@link #scan}, {@link #rewind}).
 *
 * <p>Memory stays bounded whatever the input holds: the last record's bytes are kept while
 * within its limit (an open record longer than its limit stops being kept: it is rejected as
 * oversize, only its first {@link #PREVIEW_BYTES} stay, for the dead letter), otherwise only the
 * last {@link #READ_AHEAD} bytes (the parser's read-ahead, where the next record starts). The
 * buffer is compacted only when full, so the cost stays linear in the bytes read.
 *
 * <p>Offsets are absolute: bytes since the start of the decompressed file.
 */
final class RecordingInputStream extends InputStream {
    /** More than the parser ever reads ahead of its position (Jackson reads 8000 bytes at a time). */
    static final int READ_AHEAD = 1 << 16;

    static final int PREVIEW_BYTES = 512;
    /** A replay after {@link #rewind} starts with reads this small, doubling: a parser that stops early copies little. */
    private static final int FIRST_REPLAY_READ = 128;
    /** The buffer between records: twice the read-ahead, so compacting copies about as much as is read. */
    private static final int BUFFER = 2 * READ_AHEAD;

    private final InputStream in;
    private final int maxRecord;
    private byte[] buf;
    /** Absolute offset of buf[0]. */
    private long base;

    private int len;
    /** Absolute offset of the next byte handed out; below {@code base + len} while replaying kept bytes. */
    private long pos;
    /** Bytes handed out before {@link #pos} (a {@code [} that re-enters an array), from {@link #prefixAt}. */
    private byte[] prefix = new byte[0];

    private int prefixAt;
    private int replayRead = Integer.MAX_VALUE;
    /** Start of the last record, or -1: kept while the record is open, and after it while within its limit. */
    private long keepFrom = -1;

    private boolean open;
    /** The last record outgrew {@link #maxRecord}: its bytes are not kept any more. */
    private boolean overflow;

    private byte[] head = new byte[0];
    /** The start of a record whose bytes were dropped (it outgrew the limit), or -1; and the newlines dropped since it. */
    private long lostFrom = -1;

    private long lostNewlines;
    private int peakCapacity = BUFFER;
    /** Bytes read from the underlying stream: each byte of the file once. */
    private long fresh;
    /** Newlines passed by the last {@link #scan}, and whether it stopped at one. */
    private long scannedNewlines;

    private boolean scanHitNewline;
    private final byte[] one = new byte[1];

    /** @param maxRecord the longest record whose bytes are kept */
    RecordingInputStream(InputStream in, int maxRecord) {
        this(in, maxRecord, null);
    }

    /**
     * @param spare a buffer a previous stream gave back ({@link #spare}), or null: a reader reads thousands
     *     of small files, and a fresh buffer per file cost more to zero than most files take to read
     */
    RecordingInputStream(InputStream in, int maxRecord, byte[] spare) {
        this.in = in;
        this.maxRecord = maxRecord;
        this.buf = spare != null && spare.length == BUFFER ? spare : new byte[BUFFER];
    }

    /**
     * The buffer, for the next stream of the same reader once this one is closed, or null when it is not the
     * usual size (a large record grew it): memory between files stays at one usual buffer.
     */
    byte[] spare() {
        return buf.length == BUFFER ? buf : null;
    }

    /** A record starts at {@code offset}; it must be among the bytes still kept. */
    void keepFrom(long offset) {
        if (offset < base || offset > base + len) {
            throw new IllegalStateException(
                    "record start " + offset + " outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        keepFrom = offset;
        open = true;
        overflow = false;
        head = new byte[0];
        lostFrom = -1;
        lostNewlines = 0;
    }

    /**
     * The record ended (or was never one): its bytes stay only while within the record limit,
     * for a resync that starts inside it.
     */
    void release() {
        open = false;
        if (overflow) {
            keepFrom = -1;
            overflow = false;
        }
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

    /** The bytes in [from, to); they must still be kept. */
    byte[] slice(long from, long to) {
        if (from < base || to > base + len || from > to) {
            throw new IllegalStateException(
                    "slice [" + from + ", " + to + ") outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        return Arrays.copyOfRange(buf, (int) (from - base), (int) (to - base));
    }

    /** The largest the buffer grew: what one reader held, whatever lay in the file. */
    int capacity() {
        return peakCapacity;
    }

    /** Bytes read from the underlying stream so far. */
    long freshBytes() {
        return fresh;
    }

    /**
     * Reads on from {@code from} (or the first byte still kept, if later) to the first newline
     * (when {@code newline}) or the first {@code marker} (when not null), whichever comes first.
     * Leaves the stream positioned there.
     *
     * @return the offset just past the newline ({@link #scanHitNewline}) or of the marker, or -1
     *         when the input ends first
     */
    long scan(long from, boolean newline, byte[] marker) throws IOException {
        prefixAt = prefix.length;
        // Bytes before the first kept one belonged to a record that outgrew its limit: only their newlines are known.
        scannedNewlines = from < base && lostFrom >= 0 && from >= lostFrom && from <= lostFrom + 1 ? lostNewlines : 0;
        pos = Math.max(from, base);
        scanHitNewline = false;
        int matched = 0;
        while (true) {
            if (pos == base + len && fill() <= 0) {
                return -1;
            }
            int i = (int) (pos - base);
            int end = len;
            byte[] b = buf;
            for (; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (newline) {
                        pos = base + i + 1;
                        scanHitNewline = true;
                        return pos;
                    }
                    scannedNewlines++;
                }
                if (marker != null) {
                    if (c == marker[matched]) {
                        if (++matched == marker.length) {
                            pos = base + i + 1 - marker.length;
                            return pos;
                        }
                    } else {
                        matched = c == marker[0] ? 1 : 0;
                    }
                }
            }
            pos = base + end;
        }
    }

    /** Newlines passed by the last {@link #scan} before where it stopped. */
    long scannedNewlines() {
        return scannedNewlines;
    }

    /** Whether the last {@link #scan} stopped at a newline rather than a marker. */
    boolean scanHitNewline() {
        return scanHitNewline;
    }

    /** The next reads hand out {@code prefix}, then the bytes from {@code offset} on (kept, then fresh). */
    void rewind(long offset, byte[] prefix) {
        if (offset < base || offset > base + len) {
            throw new IllegalStateException(
                    "rewind to " + offset + " outside kept bytes [" + base + ", " + (base + len) + ")");
        }
        pos = offset;
        this.prefix = prefix;
        prefixAt = 0;
        replayRead = FIRST_REPLAY_READ;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) {
            return 0;
        }
        if (prefixAt < prefix.length) {
            int r = Math.min(n, prefix.length - prefixAt);
            System.arraycopy(prefix, prefixAt, b, off, r);
            prefixAt += r;
            return r;
        }
        long held = base + len - pos;
        if (held > 0) {
            int r = (int) Math.min(Math.min(n, held), replayRead);
            replayRead = (int) Math.min(Integer.MAX_VALUE, replayRead * 2L);
            System.arraycopy(buf, (int) (pos - base), b, off, r);
            pos += r;
            return r;
        }
        int r = fill();
        if (r <= 0) {
            return r;
        }
        r = Math.min(r, n);
        System.arraycopy(buf, (int) (pos - base), b, off, r);
        pos += r;
        return r;
    }

    /** Reads the next bytes of the underlying stream into the buffer (all handed out before: pos is at the end). */
    private int fill() throws IOException {
        room(8192);
        int r = in.read(buf, len, Math.min(buf.length - len, READ_AHEAD));
        if (r > 0) {
            len += r;
            fresh += r;
        }
        return r;
    }

    private void room(int n) {
        if (len + n <= buf.length) {
            return;
        }
        long end = base + len + n;
        if (keepFrom >= 0 && !overflow && end - keepFrom > (long) maxRecord + READ_AHEAD) {
            lostFrom = keepFrom;
            lostNewlines = 0;
            if (open) {
                // The parser is past maxRecord bytes of this record: it is oversize, keep only its head.
                head = Arrays.copyOfRange(
                        buf,
                        (int) (keepFrom - base),
                        (int) (keepFrom - base) + Math.min(PREVIEW_BYTES, len - (int) (keepFrom - base)));
                overflow = true;
            } else {
                keepFrom = -1; // a record long past: a resync starts no further back than the read-ahead
            }
        }
        long keep = keepFrom >= 0 && !overflow ? keepFrom : Math.max(base, end - READ_AHEAD);
        int drop = (int) Math.min(Math.max(0, keep - base), len);
        if (drop > 0 && lostFrom >= 0) {
            // Only for a record past its limit: a resync inside it still knows the lines it passed.
            for (int i = (int) Math.max(0, lostFrom - base); i < drop; i++) {
                if (buf[i] == '\n') {
                    lostNewlines++;
                }
            }
        }
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(
                    buf, (int) Math.min(Math.max(buf.length * 2L, len + n), (long) maxRecord + 3L * READ_AHEAD));
            peakCapacity = Math.max(peakCapacity, buf.length);
        } else if (buf.length > 4 * READ_AHEAD && len + n <= BUFFER) {
            buf = Arrays.copyOf(buf, BUFFER); // give back what one large record took
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
