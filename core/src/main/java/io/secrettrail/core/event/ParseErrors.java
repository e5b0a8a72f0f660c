package io.secrettrail.core.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Describes a JSON syntax error by where it is and what kind it is, never by what it saw:
 * Jackson's messages quote the offending token, and in malformed JSON that token may be an
 * unquoted secret value ({@code "secretString": hunter2}). Nothing of the input but line, column
 * and field names reaches a message.
 */
public final class ParseErrors {
    private ParseErrors() {}

    /** The message of the error raised where Jackson would read the text as UTF-16 or UTF-32. */
    static final String NOT_UTF8 = "Not UTF-8";

    /** What kind of error, in a few words, from Jackson's exception type and message prefix only. */
    public static String kind(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
            return "unexpected end of input";
        }
        if (e instanceof StreamConstraintsException) {
            if (m.startsWith("String value length")) {
                return "a string longer than the parser's limit";
            }
            if (m.startsWith("Number value length")) {
                return "a number with too many digits";
            }
            if (m.startsWith("Document nesting depth")) {
                return "nested too deeply";
            }
            if (m.startsWith("Name length")) {
                return "a field name longer than the parser's limit";
            }
            return "a value beyond the parser's limits";
        }
        if (m.equals(NOT_UTF8)) {
            return "not UTF-8 text (read as UTF-16 or UTF-32: a NUL byte where a record starts)";
        }
        if (m.startsWith("Invalid UTF-8") || m.startsWith("Invalid UTF8")) {
            return "bytes that are not UTF-8 text";
        }
        if (m.startsWith("Unrecognized token")) {
            return "an unquoted word where a value belongs";
        }
        if (m.startsWith("Illegal character")) {
            return "a control character between values";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a control character inside a string";
        }
        if (m.startsWith("Unrecognized character escape") || m.contains("escape sequence")) {
            return "an invalid escape in a string";
        }
        if (m.startsWith("Unexpected close marker")) {
            return "a closing bracket that does not match";
        }
        if (m.contains("out of range")) {
            return "a number out of range";
        }
        if (m.startsWith("Invalid numeric value")
                || m.startsWith("Leading zeroes")
                || m.startsWith("Non-standard token")
                || m.contains("numeric value")) {
            return "an invalid number";
        }
        if (m.startsWith("Unexpected character")) {
            return m.contains("field name")
                    ? "an unexpected character where a field name belongs"
                    : "an unexpected character";
        }
        return "malformed JSON";
    }

    /** {@code (line L, column C)} in the whole file, or empty when Jackson knows no location. */
    public static String where(JsonProcessingException e, long lineBase) {
        return where(e, lineBase, null);
    }

    /** As {@link #where(JsonProcessingException, long)}, asking {@code parser} when the exception has no location (a limit exceeded). */
    public static String where(JsonProcessingException e, long lineBase, JsonParser parser) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser == null ? null : parser.currentLocation();
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + (lineBase + at.getLineNr() - 1) + ", column " + at.getColumnNr() + ")";
    }

    /**
     * The dotted path of the field the parser was in, below {@code recordDepth} (the nesting
     * depth of the record's own object), or null when the error is not inside a record's field.
     * Each name is abbreviated and escaped.
     */
    public static String field(JsonProcessingException e, int recordDepth, JsonParser parser) {
        JsonParser p = e.getProcessor() instanceof JsonParser own ? own : parser;
        if (recordDepth < 1 || p == null) {
            return null;
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = p.getParsingContext();
                c != null && c.getNestingDepth() >= recordDepth;
                c = c.getParent()) {
            if (c.inObject()) {
                if (c.getCurrentName() != null) {
                    parts.addFirst(EventParser.abbreviate(c.getCurrentName()));
                }
            } else if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        String path = String.join(".", parts).replace(".[", "[");
        return path.length() <= 300 ? path : path.substring(0, 297) + "...";
    }
}
