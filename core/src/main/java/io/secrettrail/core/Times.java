package io.secrettrail.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing the time shapes AWS sources use, and writing times the one way the report does. */
public final class Times {
    private Times() {}

    /**
     * Parses CloudTrail and AWS CLI times: {@code 2024-07-31T12:29:17Z}, with an offset
     * ({@code 2023-03-20T10:40:52.571000-07:00}), without a zone (taken as UTC, as Panther's
     * normalised {@code 2024-01-01 00:00:00.000}), or a bare date.
     *
     * @throws DateTimeParseException when the text is none of these
     */
    public static Instant parse(String text) {
        String t = text.trim();
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        if (t.endsWith("Z") || t.endsWith("z")) {
            return Instant.parse(t.substring(0, t.length() - 1) + "Z");
        }
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (hasOffset(t)) {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }

    /** Epoch seconds with an optional fraction, as the Secrets Manager and CloudTrail APIs return. */
    public static Instant fromEpochSeconds(BigDecimal seconds) {
        long whole = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    /** ISO-8601 UTC with {@code Z}; null stays null. */
    public static String format(Instant t) {
        return t == null ? null : t.toString();
    }

    private static boolean hasOffset(String t) {
        int tee = t.indexOf('T');
        if (tee < 0) {
            return false;
        }
        String time = t.substring(tee);
        return time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }
}
