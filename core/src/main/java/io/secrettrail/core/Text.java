package io.secrettrail.core;

/**
 * Makes invisible and reordering characters visible. Event strings are attacker-controlled: a
 * right-to-left override makes {@code invoice\u202Etxt.exe} display as {@code invoiceexe.txt}, and
 * control characters (NUL, line breaks, escape) can break or fake a line. Every place that shows an
 * event string to a person (HTML pages, CSV cells, Slack messages) passes it through {@link #visible}.
 */
public final class Text {
    private static final String HEX = "0123456789ABCDEF";

    private Text() {}

    /**
     * The string with every control character (C0 including tab and line breaks, DEL, C1), bidi
     * control (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), every other format character (soft
     * hyphen, zero-width joiners, word joiner, tag characters U+E0000–E007F...), line/paragraph
     * separator, zero-width space and byte-order mark, and lone surrogate written as {@code \}{@code uXXXX}: the JSON escape,
     * so a copied value still means the same inside JSON. Everything else is unchanged.
     */
    public static String visible(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !hidden(s, i)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (hidden(s, i)) {
                b.append("\\u");
                for (int k = 12; k >= 0; k -= 4) {
                    b.append(HEX.charAt((c >> k) & 0xF));
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * As {@link #visible(String)}, for a log line: at most about {@code max} characters (an escape is
     * never cut), with {@code ...} when the text went on.
     */
    public static String visible(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (hidden(s, i)) {
                b.append("\\u");
                for (int k = 12; k >= 0; k -= 4) {
                    b.append(HEX.charAt((c >> k) & 0xF));
                }
            } else {
                b.append(c);
            }
        }
        return i < s.length() ? b.append("...").toString() : b.toString();
    }

    /** Whether the char at {@code i} is one {@link #visible} escapes. */
    static boolean hidden(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            return true;
        }
        if (c == '\u061C'
                || c == '\u200E'
                || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u200B'
                || c == '\uFEFF') {
            return true;
        }
        if (Character.getType(c) == Character.FORMAT) {
            return true; // soft hyphen, zero-width (non-)joiner, word joiner, invisible operators, ...
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length()
                    || !Character.isLowSurrogate(s.charAt(i + 1))
                    || Character.getType(s.codePointAt(i)) == Character.FORMAT;
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0
                    || !Character.isHighSurrogate(s.charAt(i - 1))
                    || Character.getType(s.codePointAt(i - 1)) == Character.FORMAT;
        }
        return false;
    }
}
