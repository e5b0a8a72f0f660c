package io.secrettrail.web;

/** The page to return to after logging in, refused unless it is a path on this server. */
final class SafeNext {
    private SafeNext() {}

    /**
     * Where to go after logging in: only a path on this server, never an open redirect. Browsers
     * drop tabs and line breaks from a URL and read a backslash as a slash, so {@code /<TAB>/evil.example}
     * and {@code /\evil.example} are {@code //evil.example}: another site. Refused (giving "/"): anything
     * not starting with a single "/", any control, space, backslash or non-ASCII character, and a
     * path with an empty segment ({@code //}) or a "." / ".." segment; checked on the value as sent,
     * then on the path part of each percent-decoding of it ({@code %09}, {@code %5C}, {@code %2F%2F},
     * doubly encoded too), so an encoded query value (an odd secret name) still goes through.
     */
    static String of(String next) {
        if (next == null || next.isEmpty()) {
            return "/";
        }
        String layer = next;
        for (int round = 0; round < 4; round++) {
            if (!safePath(layer, round == 0)) {
                return "/";
            }
            if (layer.indexOf('%') < 0) {
                return next;
            }
            try {
                layer = java.net.URLDecoder.decode(layer.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "/";
            }
        }
        return "/";
    }

    /** @param whole check every character (the value as sent), else the path part only (a decoding of it) */
    private static boolean safePath(String s, boolean whole) {
        if (!s.startsWith("/")) {
            return false;
        }
        int end = s.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = s.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        for (int i = 0; i < (whole ? s.length() : end); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '\\') {
                return false;
            }
        }
        String[] segments = s.substring(1, end).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if ((seg.isEmpty() && !last) || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
