package io.secrettrail.analytics.cost;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** The calendar month (UTC) a cost report covers. */
public record Month(YearMonth month, Instant start, Instant end) {
    public static Month of(Instant asOf) {
        YearMonth m = YearMonth.from(asOf.atZone(ZoneOffset.UTC));
        return new Month(
                m,
                m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Hours in the month: 672 in a 28-day February, 696 in a leap one, 720 or 744 otherwise. */
    public long hours() {
        return month.lengthOfMonth() * 24L;
    }

    public static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
