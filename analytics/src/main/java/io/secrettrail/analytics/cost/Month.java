package io.secrettrail.analytics.cost;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A calendar month (UTC): the one a cost report covers, or one of the months the trail spans. */
public record Month(YearMonth month, Instant start, Instant end) {
    public static Month of(Instant asOf) {
        return of(YearMonth.from(asOf.atZone(ZoneOffset.UTC)));
    }

    public static Month of(YearMonth m) {
        return new Month(
                m,
                m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Every month from {@code first} ("YYYY-MM"; asOf's when null or later) up to asOf's, in order. */
    public static List<Month> span(String first, Instant asOf) {
        YearMonth last = YearMonth.from(asOf.atZone(ZoneOffset.UTC));
        YearMonth m = first == null ? last : YearMonth.parse(first);
        if (m.isAfter(last)) {
            m = last;
        }
        List<Month> out = new ArrayList<>();
        for (; !m.isAfter(last); m = m.plusMonths(1)) {
            out.add(of(m));
        }
        return out;
    }

    /** "YYYY-MM", as the report and the SQL (strftime '%Y-%m') name it. */
    public String key() {
        return month.toString();
    }

    /** Closed at asOf: asOf is at or past the month's end. */
    public boolean closedAt(Instant asOf) {
        return !asOf.isBefore(end);
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
