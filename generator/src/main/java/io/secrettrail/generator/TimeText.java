package io.secrettrail.generator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats epoch seconds the way CloudTrail and the AWS CLI print them. eventTime formatting is on
 * the hot path, so the date part is cached per day instead of going through DateTimeFormatter.
 */
final class TimeText {
    private static final DateTimeFormatter CLI_ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    /** The Java-style date SecretsManager puts in DeleteSecret's deletionDate. */
    private static final DateTimeFormatter DELETION_DATE =
            DateTimeFormatter.ofPattern("MMM d, uuuu, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private long cachedDay = Long.MIN_VALUE;
    private final char[] buf = new char[20];

    /** "2026-11-20T10:15:30Z". */
    String eventTime(long epochSecond) {
        long day = Math.floorDiv(epochSecond, TimeWindow.DAY);
        if (day != cachedDay) {
            String prefix = LocalDate.ofEpochDay(day).toString();
            prefix.getChars(0, 10, buf, 0);
            buf[10] = 'T';
            buf[13] = ':';
            buf[16] = ':';
            buf[19] = 'Z';
            cachedDay = day;
        }
        int secOfDay = (int) Math.floorMod(epochSecond, TimeWindow.DAY);
        two(secOfDay / 3600, 11);
        two((secOfDay / 60) % 60, 14);
        two(secOfDay % 60, 17);
        return new String(buf);
    }

    private void two(int v, int at) {
        buf[at] = (char) ('0' + v / 10);
        buf[at + 1] = (char) ('0' + v % 10);
    }

    /** "20261120T1015Z", the timestamp CloudTrail puts in delivered file names. */
    static String fileStamp(long epochSecond) {
        String s = Instant.ofEpochSecond(epochSecond).toString(); // 2026-11-20T10:15:00Z
        return s.substring(0, 4)
                + s.substring(5, 7)
                + s.substring(8, 10)
                + 'T'
                + s.substring(11, 13)
                + s.substring(14, 16)
                + 'Z';
    }

    static String cliIso(long epochSecond) {
        return CLI_ISO.format(Instant.ofEpochSecond(epochSecond));
    }

    static String deletionDate(long epochSecond) {
        return DELETION_DATE.format(Instant.ofEpochSecond(epochSecond));
    }

    static String instant(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }
}
