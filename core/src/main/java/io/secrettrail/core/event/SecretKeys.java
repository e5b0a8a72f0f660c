package io.secrettrail.core.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises the keys of secret values ({@code secretString}, {@code secretBinary}) in field names
 * and raw record bytes, so a value is dropped before anything else sees the record and a dead
 * letter never carries one.
 */
final class SecretKeys {
    private SecretKeys() {}

    /**
     * Whether the bytes might hold a secretString/secretBinary key, in any case or behind a
     * {@code \\u} escape: then the record takes the careful path. Cheap, and false for real
     * CloudTrail records.
     */
    static boolean mayHoldSecretValue(byte[] raw) {
        int n = raw.length;
        for (int i = 0; i + 1 < n; i++) {
            byte b = raw[i];
            if (b == '\\' && raw[i + 1] == 'u') {
                return true;
            }
            if ((b | 0x20) == 's' && i + 12 <= n && (raw[i + 5] | 0x20) == 't' && (raw[i + 1] | 0x20) == 'e') {
                // "secrets" + "manager" (in every Secrets Manager record) is told apart by its 8th byte
                int at6 = raw[i + 6] | 0x20;
                int at7 = raw[i + 7] | 0x20;
                if ((at6 == 's' && at7 == 't' && matchesIgnoreCase(raw, i, SECRET_STRING))
                        || (at6 == 'b' && at7 == 'i' && matchesIgnoreCase(raw, i, SECRET_BINARY))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final byte[] SECRET_STRING = "secretstring".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET_BINARY = "secretbinary".getBytes(StandardCharsets.US_ASCII);

    private static boolean matchesIgnoreCase(byte[] raw, int at, byte[] lower) {
        for (int j = 0; j < lower.length; j++) {
            if ((raw[at + j] | 0x20) != lower[j]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a field holds a secret value, in any case. */
    static boolean isSecretValue(String field) {
        // Called for every field of every record: length first, no allocation.
        return field.length() == 12
                && (field.equalsIgnoreCase("secretString") || field.equalsIgnoreCase("secretBinary"));
    }

    /**
     * The start of an oversize record for its dead letter: cut before anything that may begin a
     * secret value's key (the record was never filtered) and at a UTF-8 character boundary.
     */
    static byte[] preview(byte[] head) {
        int n = Math.min(head.length, 512);
        for (int i = 0; i < head.length; i++) {
            byte b = head[i];
            if (b == '\\'
                    || ((b | 0x20) == 's'
                            && i + 6 < head.length
                            && (head[i + 1] | 0x20) == 'e'
                            && (head[i + 2] | 0x20) == 'c'
                            && (head[i + 3] | 0x20) == 'r'
                            && (head[i + 4] | 0x20) == 'e'
                            && (head[i + 5] | 0x20) == 't')
                    || ((b | 0x20) == 's' && i + 6 >= head.length)) {
                n = i;
                break;
            }
        }
        while (n > 0 && n < head.length && (head[n] & 0xC0) == 0x80) {
            n--; // not inside a multi-byte character
        }
        return Arrays.copyOf(head, n);
    }
}
