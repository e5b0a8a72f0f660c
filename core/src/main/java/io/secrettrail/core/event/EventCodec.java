package io.secrettrail.core.event;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The columns of a {@link CloudTrailEvent} that ingest already projected, carried beside the raw record in
 * one Kafka header ({@code secrettrail.projection}) so that analytics does not parse the JSON again. Compact
 * and versioned: a first byte this build does not know, a truncated or malformed value, makes {@link #decode}
 * answer null and the consumer parses the raw record as before (a message of an older ingest, of another
 * producer). What a header holds is checked as strictly as a parsed record (see {@link #decode}).
 *
 * <p>Layout (version 1): version byte; eventID; eventTime as epoch second and nano; eventSource, eventName,
 * eventType, awsRegion, account, errorCode, errorMessage; principal key, type and session ARN; source IP,
 * user agent; the secret ids (count, then value and field of each); filterBatch and carriedValue as one
 * flags byte; requestID; the {@link EventDetails} in their declared order. A string is its UTF-8 length as an int (-1 for null) and its bytes.
 */
public final class EventCodec {
    /** The Kafka header carrying the projection. */
    public static final String HEADER = "secrettrail.projection";

    static final byte VERSION = 1;
    /** More secret ids than a record of the largest accepted size could name is not a projection. */
    private static final int MAX_IDS = 1 << 20;

    private EventCodec() {}

    /** The projection of an event, its raw record left out. */
    public static byte[] encode(CloudTrailEvent e) {
        Out out = new Out();
        out.writeByte(VERSION);
        text(out, e.eventId());
        out.writeLong(e.eventTime().getEpochSecond());
        out.writeInt(e.eventTime().getNano());
        text(out, e.eventSource());
        text(out, e.eventName());
        text(out, e.eventType());
        text(out, e.awsRegion());
        text(out, e.accountId());
        text(out, e.errorCode());
        text(out, e.errorMessage());
        text(out, e.principal().key());
        text(out, e.principal().type());
        text(out, e.principal().sessionArn());
        text(out, e.sourceIp());
        text(out, e.userAgent());
        out.writeInt(e.secretIds().size());
        for (CloudTrailEvent.SecretId id : e.secretIds()) {
            text(out, id.value());
            text(out, id.field());
        }
        out.writeByte((e.filterBatch() ? 1 : 0) | (e.carriedValue() ? 2 : 0));
        text(out, e.requestId());
        EventDetails d = e.details() == null ? EventDetails.NONE : e.details();
        text(out, d.accessKeyId());
        text(out, d.sourceIdentity());
        text(out, d.vpcEndpointId());
        text(out, d.versionId());
        text(out, d.forceDelete());
        text(out, d.recoveryWindowDays());
        text(out, d.filters());
        text(out, d.resourcePolicy());
        text(out, d.requestedTrail());
        text(out, d.trailArn());
        return out.bytes();
    }

    /**
     * The event a projection describes, with {@code raw} as its record; null when {@code projection} is not
     * one this build reads (absent, another version, truncated, trailing bytes, a required column missing, a
     * time outside the accepted range): the caller then parses {@code raw}.
     */
    public static CloudTrailEvent decode(byte[] projection, byte[] raw) {
        if (projection == null || projection.length == 0 || projection[0] != VERSION) {
            return null;
        }
        try {
            In in = new In(projection);
            in.readByte();
            String eventId = text(in);
            long second = in.readLong();
            int nano = in.readInt();
            String source = text(in);
            String name = text(in);
            String type = text(in);
            String region = text(in);
            String account = text(in);
            String errorCode = text(in);
            String errorMessage = text(in);
            Principal principal = principal(text(in), text(in), text(in));
            String sourceIp = text(in);
            String userAgent = text(in);
            int n = in.readInt();
            if (n < 0 || n > MAX_IDS) {
                return null;
            }
            List<CloudTrailEvent.SecretId> ids = new ArrayList<>(Math.min(n, 16));
            for (int i = 0; i < n; i++) {
                String value = text(in);
                String field = text(in);
                if (value == null || field == null) {
                    return null;
                }
                ids.add(new CloudTrailEvent.SecretId(value, field));
            }
            int flags = in.readUnsignedByte();
            String requestId = text(in);
            EventDetails details = new EventDetails(
                    text(in), text(in), text(in), text(in), text(in), text(in), text(in), text(in), text(in), text(in));
            if (in.remaining() > 0 || (flags & ~3) != 0 || nano < 0 || nano > 999_999_999) {
                return null;
            }
            if (eventId == null || eventId.isEmpty() || source == null || name == null) {
                return null;
            }
            Instant time = Instant.ofEpochSecond(second, nano);
            if (!io.secrettrail.core.Times.storable(time)) {
                return null;
            }
            return new CloudTrailEvent(
                    eventId,
                    time,
                    source,
                    name,
                    type,
                    region,
                    account,
                    errorCode,
                    errorMessage,
                    principal,
                    sourceIp,
                    userAgent,
                    List.copyOf(ids),
                    (flags & 1) != 0,
                    (flags & 2) != 0,
                    raw,
                    requestId,
                    details.equals(EventDetails.NONE) ? EventDetails.NONE : details);
        } catch (EOFException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static Principal principal(String key, String type, String sessionArn) {
        return key == null && type == null && sessionArn == null
                ? Principal.UNKNOWN
                : new Principal(key, type, sessionArn);
    }

    private static void text(Out out, String s) {
        if (s == null) {
            out.writeInt(-1);
        } else {
            out.text(s);
        }
    }

    /**
     * The bytes DataOutputStream wrote (big-endian ints, a string as its UTF-8 length and bytes), without its
     * per-byte synchronized writes and its stream's growth. Strings go through String.getBytes: copying them
     * char by char was slower under the launcher's C1-only JIT (String.charAt's checks are not eliminated).
     */
    private static final class Out {
        private byte[] buf = new byte[512];
        private int n;

        private void room(int k) {
            if (n + k > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + k));
            }
        }

        void writeByte(int v) {
            room(1);
            buf[n++] = (byte) v;
        }

        void writeInt(int v) {
            room(4);
            buf[n] = (byte) (v >>> 24);
            buf[n + 1] = (byte) (v >>> 16);
            buf[n + 2] = (byte) (v >>> 8);
            buf[n + 3] = (byte) v;
            n += 4;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void text(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, buf, n, utf8.length);
            n += utf8.length;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, n);
        }
    }

    /**
     * Reads what {@link Out} wrote, straight from the array: a DataInputStream over a ByteArrayInputStream made
     * a virtual, synchronized call per byte and copied each string twice (issue 16's profile: a third of the
     * decode pool's time). Past the end is an {@link EOFException}, as it was.
     */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int remaining() {
            return buf.length - pos;
        }

        private void need(int k) throws EOFException {
            if (k > buf.length - pos) {
                throw new EOFException();
            }
        }

        int readByte() throws EOFException {
            need(1);
            return buf[pos++];
        }

        int readUnsignedByte() throws EOFException {
            return readByte() & 0xFF;
        }

        int readInt() throws EOFException {
            need(4);
            int v = ((buf[pos] & 0xFF) << 24)
                    | ((buf[pos + 1] & 0xFF) << 16)
                    | ((buf[pos + 2] & 0xFF) << 8)
                    | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long readLong() throws EOFException {
            return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
        }

        /** A string: its UTF-8 length (-1 for null) and its bytes, malformed bytes decoded as U+FFFD. */
        String text() throws EOFException {
            int len = readInt();
            if (len == -1) {
                return null;
            }
            if (len < 0) {
                throw new EOFException();
            }
            need(len);
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }

    private static String text(In in) throws EOFException {
        return in.text();
    }
}
