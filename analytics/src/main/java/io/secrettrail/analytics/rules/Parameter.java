package io.secrettrail.analytics.rules;

import java.math.BigDecimal;
import java.util.List;

/**
 * A rule's threshold: its setting name (as in the config file), the SQL name it is bound to, its
 * type, default and allowed values.
 *
 * @param type INTEGER, DECIMAL or VARCHAR
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 * @param allowed the allowed values of a VARCHAR, or empty for any
 * @param pattern a regular expression a VARCHAR must match, or null; {@code example} shows it
 * @param maxItems a VARCHAR holding a comma-separated list: at most this many non-empty items, or null for no list
 */
public record Parameter(
        String name,
        String sql,
        String type,
        Object defaultValue,
        BigDecimal min,
        BigDecimal max,
        List<String> allowed,
        String pattern,
        String example,
        String description,
        Integer maxItems) {

    /** Checks and converts a value (from config or flags) to this parameter's type. */
    public Object accept(Object value) {
        String text = String.valueOf(value).trim();
        switch (type) {
            case "INTEGER", "DECIMAL" -> {
                BigDecimal n;
                try {
                    n = new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": expected a number, was " + text);
                }
                if ((min != null && n.compareTo(min) < 0) || (max != null && n.compareTo(max) > 0)) {
                    throw new IllegalArgumentException(name + ": must be " + (min == null ? "" : min.toPlainString())
                            + ".." + (max == null ? "" : max.toPlainString()) + ", was " + text);
                }
                if (type.equals("INTEGER")) {
                    try {
                        return n.intValueExact();
                    } catch (ArithmeticException e) {
                        throw new IllegalArgumentException(name + ": expected a whole number, was " + text);
                    }
                }
                return n;
            }
            case "VARCHAR" -> {
                if (!allowed.isEmpty() && !allowed.contains(text)) {
                    throw new IllegalArgumentException(name + ": must be one of " + allowed + ", was " + text);
                }
                if (maxItems != null) {
                    List<String> items = items(text);
                    if (items.size() > maxItems) {
                        throw new IllegalArgumentException(name + ": at most " + maxItems + " items, was "
                                + items.size() + " (" + String.join(", ", items) + ")");
                    }
                }
                if (pattern != null && !text.matches(pattern)) {
                    throw new IllegalArgumentException(name + ": must look like " + example + ", was " + text);
                }
                return text;
            }
            default -> throw new IllegalStateException("unknown parameter type " + type + " of " + name);
        }
    }

    /** The non-empty, trimmed items of a comma-separated list. */
    public static List<String> items(String text) {
        return java.util.Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .toList();
    }
}
