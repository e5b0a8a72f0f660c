package io.secrettrail.generator;

import java.util.SplittableRandom;
import java.util.UUID;

/** Identifiers drawn from the seeded random, so that they are reproducible. */
final class RandomText {
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RandomText() {}

    /** A version-4 UUID string. */
    static String uuid(SplittableRandom rng) {
        long hi = (rng.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (rng.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** Base64 of {@code longs} random longs, like S3's x-amz-id-2 request ids. */
    static String base64(SplittableRandom rng, int longs) {
        byte[] b = new byte[longs * 8];
        for (int i = 0; i < longs; i++) {
            long v = rng.nextLong();
            for (int j = 0; j < 8; j++) {
                b[i * 8 + j] = (byte) (v >>> (8 * j));
            }
        }
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    static String alnum(SplittableRandom rng, int n) {
        return pick(rng, n, ALNUM);
    }

    static String upperAlnum(SplittableRandom rng, int n) {
        return pick(rng, n, UPPER_ALNUM);
    }

    static String hex(SplittableRandom rng, int n) {
        return pick(rng, n, HEX);
    }

    private static String pick(SplittableRandom rng, int n, char[] alphabet) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = alphabet[rng.nextInt(alphabet.length)];
        }
        return new String(c);
    }
}
