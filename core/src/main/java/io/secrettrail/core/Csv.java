package io.secrettrail.core;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one CSV cell encoder of SecretTrail (the report's CSVs and the dashboard's export). Cells are
 * event strings, so each is made safe for spreadsheets, whatever separator the reader assumes:
 * <ul>
 * <li>invisible and control characters are made visible ({@link Text#visible});
 * <li>a cell a spreadsheet would run as a formula (first character, or first after leading
 *     spaces, one of {@code = + - @}, or a leading tab or carriage return) gets a leading
 *     apostrophe, plain numbers such as {@code -12.5} excepted;
 * <li>a cell holding a separator ({@code ,} or {@code ;}, since spreadsheets in many locales read
 *     {@code ;}), a quote or a line break is quoted, quotes doubled (RFC 4180).
 * </ul>
 */
public final class Csv {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private Csv() {}

    public static String cell(String v) {
        if (v == null) {
            return "";
        }
        String s = Text.visible(v);
        if (formula(s)) {
            s = "'" + s;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ';' || c == '"' || c == '\n' || c == '\r') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    static boolean formula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == '\t' || s.charAt(0) == '\r') {
            return true;
        }
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length()
                && "=+-@".indexOf(s.charAt(i)) >= 0
                && !NUMBER.matcher(s).matches();
    }

    /** One row: cells encoded, separated by commas, ended by CRLF. */
    public static void row(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }
}
