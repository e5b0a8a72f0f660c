package io.secrettrail.core.event;

import java.io.EOFException;
import java.nio.ByteBuffer;
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
            ByteBuffer in = ByteBuffer.wrap(projection); // big-endian, as Out writes
            in.get();
            String eventId = text(in);
            long second = in.getLong();
            int nano = in.getInt();
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
            int n = in.getInt();
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
            int flags = Byte.toUnsignedInt(in.get());
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
        } catch (EOFException | java.nio.BufferUnderflowException | java.time.DateTimeException e) {
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
     * A string as {@link Out} wrote it (its UTF-8 length, -1 for null, and its bytes), read straight from the
     * array: a DataInputStream over a ByteArrayInputStream made a synchronized call per byte and copied each
     * string twice (issue 16's profile). Malformed bytes decode as U+FFFD, as before.
     */
    private static String text(ByteBuffer in) throws EOFException {
        int len = in.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > in.remaining()) {
            throw new EOFException();
        }
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }
}
