package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Recognises the keys of secret values ({@code secretString}, {@code secretBinary}) in field names,
 * so a value is dropped before anything else sees the record, and cuts a dead letter's preview
 * before anything that may begin one.
 */
public final class SecretKeys {
    private SecretKeys() {}

    /**
     * Removes every field holding a secret value ({@link #isSecretValue}) from a tree, at any depth: for JSON that
     * did not come through the event reader, such as a saved output given as an inventory.
     */
    public static void drop(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().removeIf(f -> isSecretValue(f.getKey()));
            o.forEach(SecretKeys::drop);
        } else if (node instanceof ArrayNode a) {
            a.forEach(SecretKeys::drop);
        }
    }

    /**
     * The fast path's check, over the same field names as the careful path: every name of a record,
     * at any depth, as the parser decoded it (escapes resolved, UTF-8 decoded the parser's way, overlong
     * forms included), is put to {@link #isSecretValue} as the parser passes it. Fast and careful path
     * therefore agree by construction: a record is sent to the careful path exactly when it holds a
     * key the careful path drops. One per reader, {@link #reset} per record.
     */
    static final class Watch {
        private boolean seen;

        void reset() {
            seen = false;
        }

        /** Whether a name met since {@link #reset} is a secret value's key. */
        boolean seen() {
            return seen;
        }

        void name(String field) {
            if (isSecretValue(field)) {
                seen = true;
            }
        }

        /** {@link JsonParser#skipChildren}, putting every field name it passes to {@link #name}. */
        void skipChildren(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return;
            }
            int open = 1;
            while (true) {
                t = p.nextToken();
                if (t == null) {
                    throw new EOFException("unexpected end of JSON inside a record");
                }
                if (t == JsonToken.FIELD_NAME) {
                    name(p.currentName());
                } else if (t.isStructStart()) {
                    open++;
                } else if (t.isStructEnd() && --open == 0) {
                    return;
                }
            }
        }
    }

    /** Whether a field holds a secret value, in any case. */
    public static boolean isSecretValue(String field) {
        // Called for every field of every record: length first, no allocation.
        return field.length() == 12
                && (field.equalsIgnoreCase("secretString") || field.equalsIgnoreCase("secretBinary"));
    }

    /**
     * The start of an oversize record for its dead letter: cut before anything that may begin a
     * secret value's key (the record was never filtered) and at a UTF-8 character boundary. A key the
     * careful path drops may begin at a backslash (an escape), at "secret" in any ASCII case, or at any
     * non-ASCII byte: 'ſ' (U+017F) is an 's' to {@link #isSecretValue}, 'ı' and 'İ' an 'i', and the
     * parser decodes an overlong UTF-8 form (C1 B3) as a plain 's'.
     */
    static byte[] preview(byte[] head) {
        int n = Math.min(head.length, 512);
        for (int i = 0; i < n; i++) {
            byte b = head[i];
            if (b == '\\'
                    || b < 0
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
