package io.secrettrail.web;

import io.secrettrail.core.Text;

/** HTML escaping: every string that came from an event is attacker-controlled. */
public final class Html {
    private Html() {}

    /**
     * For text a person reads: control and bidi characters made visible ({@link Text#visible}),
     * so {@code invoice\u202Etxt.exe} cannot pose as {@code invoiceexe.txt}; then HTML-escaped.
     */
    public static String escape(Object value) {
        return value == null ? "" : attr(Text.visible(value.toString()));
    }

    /**
     * For attribute values the browser sends back (hidden form fields, inputs, links): HTML-escaped
     * only, so the value round-trips exactly (an acknowledgement names the alert's real resource).
     */
    public static String attr(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
