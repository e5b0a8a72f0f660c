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
     * The earliest time SecretTrail stores. CloudTrail began in 2013; an event or inventory date
     * before the Unix epoch is a forgery or a bug, never a real call.
     */
    public static final Instant EARLIEST = Instant.EPOCH;
    /**
     * The latest time SecretTrail stores (exclusive). DuckDB's TIMESTAMP (microseconds since the
     * epoch in a signed 64-bit integer) ends in the year 294247; anything past it fails the whole
     * batch with "long overflow". Four-digit years keep a wide margin and every ISO-8601 reader happy.
     */
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
    /** How {@link #EARLIEST} and {@link #END} are named in messages. */
    public static final String RANGE = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

    /** Whether SecretTrail can store this time: {@link #EARLIEST} ≤ t < {@link #END}. */
    public static boolean storable(Instant t) {
        return !t.isBefore(EARLIEST) && t.isBefore(END);
    }

    /** Whether epoch seconds (any magnitude, any fraction) fall in the storable range, checked before converting. */
    public static boolean storableEpochSeconds(BigDecimal seconds) {
        return seconds.compareTo(BigDecimal.valueOf(EARLIEST.getEpochSecond())) >= 0
                && seconds.compareTo(BigDecimal.valueOf(END.getEpochSecond())) < 0;
    }

    /**
     * Parses CloudTrail and AWS CLI times: {@code 2024-07-31T12:29:17Z}, with an offset
     * ({@code 2023-03-20T10:40:52.571000-07:00}), without a zone (taken as UTC, as Panther's
     * normalised {@code 2024-01-01 00:00:00.000}), or a bare date.
     *
     * @throws DateTimeParseException when the text is none of these
     */
    public static Instant parse(String text) {
        Instant utc = canonical(text);
        return utc != null ? utc : parseAny(text);
    }

    /**
     * CloudTrail's own shape, {@code 2024-07-31T12:29:17Z}, read digit by digit (every record has one, and a
     * DateTimeFormatter costs more than the rest of the record's projection); null for anything else, even a
     * valid time of another shape or an out-of-range field, which {@link #parseAny} then reads or refuses.
     */
    static Instant canonical(String t) {
        if (t.length() != 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null; // a leap second (:60) and every error: the general path, as before
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return Instant.ofEpochSecond(
                LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second);
    }

    /** The decimal value of {@code n} ASCII digits at {@code at}, or -1 when one is not a digit. */
    private static int digits(String t, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@link #parse} for every shape, through java.time. */
    static Instant parseAny(String text) {
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
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }

    /** Epoch seconds with an optional fraction, as the Secrets Manager and CloudTrail APIs return. */
    public static Instant fromEpochSeconds(BigDecimal seconds) {
        long whole = seconds.longValue();
        int nanos =
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
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
