package io.secrettrail.analytics.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS six-field cron, {@code cron(minutes hours day-of-month month day-of-week year)}, as EventBridge and Secrets
 * Manager's {@code ScheduleExpression} write it: {@code * , - /} in every field, {@code ?} in exactly one of
 * day-of-month and day-of-week, {@code L}, {@code nW} and {@code LW} in day-of-month, {@code n#k} and {@code nL} in
 * day-of-week (1-7 = SUN-SAT, or names), month names. The one parser of the project: the rotation schedules'
 * longest gap ({@code RotationSchedule}) and the scheduled digests both read it here.
 *
 * <p>{@link #next} and {@link #latest} read the fields as local times of a zone: a local time that a DST gap skips
 * does not fire that day, and one that a DST repeat shows twice fires once, at its first occurrence. Both walks are
 * bounded (a full Gregorian cycle, and never past the year field's end), so a cron that never fires answers null.
 */
public final class Cron {
    /** RotationRules.ScheduleExpression's length limit in the API. */
    public static final int MAX_EXPRESSION = 256;
    /** The cron year field's upper bound. */
    public static final int LAST_YEAR = 2199;

    private static final int FIRST_YEAR = 1970;
    private static final int CYCLE_DAYS = 146_097; // 400 Gregorian years: dates and weekdays repeat after it
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String expression;
    private final List<Integer> times;
    private final BitSet months;
    private final BitSet years;
    private final DayMatcher day;
    private final String dayKey;

    private Cron(String expression, List<Integer> times, BitSet months, BitSet years, DayMatcher day, String dayKey) {
        this.expression = expression;
        this.times = times;
        this.months = months;
        this.years = years;
        this.day = day;
        this.dayKey = dayKey;
    }

    /**
     * Reads {@code cron(...)}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Cron parse(String expression) {
        String e = expression == null ? "" : expression.trim();
        if (e.length() > MAX_EXPRESSION) {
            throw new IllegalArgumentException("longer than " + MAX_EXPRESSION + " characters");
        }
        Matcher m = CRON.matcher(e);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected cron(minutes hours day-of-month month day-of-week year)");
        }
        return fields(m.group(1).trim().split("\\s+"), e);
    }

    /** The six fields inside {@code cron(...)}. */
    public static Cron fields(String[] f, String expression) {
        if (f.length != 6) {
            throw new IllegalArgumentException(
                    "expected 6 fields (minutes hours day-of-month month day-of-week year), found " + f.length);
        }
        BitSet minutes = field(f[0], 0, 59, null, "minutes");
        BitSet hours = field(f[1], 0, 23, null, "hours");
        BitSet months = field(f[3], 1, 12, MONTHS, "month");
        BitSet years = f[5].equals("*") ? null : field(f[5], FIRST_YEAR, LAST_YEAR, null, "year");
        boolean anyDom = f[2].equals("?");
        boolean anyDow = f[4].equals("?");
        if (anyDom == anyDow) {
            throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?");
        }
        DayMatcher day = anyDom ? dow(f[4]) : dom(f[2]);
        List<Integer> times = new ArrayList<>();
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
            for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                times.add(h * 60 + m);
            }
        }
        String key = String.join(" ", f[2], f[3], f[4], f[5]).toUpperCase(Locale.ROOT);
        return new Cron(expression, List.copyOf(times), months, years, day, key);
    }

    /** Whether it fires on a day (its day-of-month or day-of-week, month and year fields). */
    public boolean firesOn(LocalDate d) {
        return months.get(d.getMonthValue()) && (years == null || years.get(d.getYear())) && day.matches(d);
    }

    /** Whether it fires at a minute of local time (its day fields, hours and minutes). */
    public boolean firesAt(LocalDateTime t) {
        return firesOn(t.toLocalDate()) && times.contains(t.getHour() * 60 + t.getMinute());
    }

    /** The minutes of the day it fires at, ascending; never empty. */
    public List<Integer> times() {
        return times;
    }

    /** The last year its year field allows, or null when it is {@code *}. */
    public Integer lastYear() {
        return years == null ? null : years.length() - 1;
    }

    /** Its day fields (day-of-month, month, day-of-week, year): two crons with the same key fire on the same days. */
    public String dayKey() {
        return dayKey;
    }

    /** The first firing strictly after {@code after}, in {@code zone}; null when it never fires again. */
    public Instant next(Instant after, ZoneId zone) {
        LocalDate from = LocalDateTime.ofInstant(after, zone).toLocalDate();
        for (int i = 0; i <= CYCLE_DAYS; i++) {
            LocalDate d = from.plusDays(i);
            if (lastYear() != null && d.getYear() > lastYear()) {
                return null;
            }
            if (!firesOn(d)) {
                continue;
            }
            for (int t : times) {
                Instant at = at(d, t, zone);
                if (at != null && at.isAfter(after)) {
                    return at;
                }
            }
        }
        return null;
    }

    /** The latest firing at or before {@code atOrBefore}, in {@code zone}; null when it never fired before. */
    public Instant latest(Instant atOrBefore, ZoneId zone) {
        LocalDate from = LocalDateTime.ofInstant(atOrBefore, zone).toLocalDate();
        for (int i = 0; i <= CYCLE_DAYS; i++) {
            LocalDate d = from.minusDays(i);
            if (d.getYear() < FIRST_YEAR) {
                return null;
            }
            if (!firesOn(d)) {
                continue;
            }
            for (int k = times.size() - 1; k >= 0; k--) {
                Instant at = at(d, times.get(k), zone);
                if (at != null && !at.isAfter(atOrBefore)) {
                    return at;
                }
            }
        }
        return null;
    }

    /** A local time of a zone: null in a DST gap; in a repeat its first occurrence only (the earlier offset). */
    private static Instant at(LocalDate d, int minuteOfDay, ZoneId zone) {
        LocalDateTime local = d.atTime(LocalTime.of(minuteOfDay / 60, minuteOfDay % 60));
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        return offsets.isEmpty() ? null : local.toInstant(offsets.get(0));
    }

    @Override
    public String toString() {
        return expression;
    }

    private interface DayMatcher {
        boolean matches(LocalDate d);
    }

    /** Whether any matches: a plain loop, as a walk runs it on each of 146,097 days. */
    private static DayMatcher anyOf(List<DayMatcher> matchers) {
        if (matchers.size() == 1) {
            return matchers.get(0);
        }
        DayMatcher[] all = matchers.toArray(DayMatcher[]::new);
        return d -> {
            for (DayMatcher m : all) {
                if (m.matches(d)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Day of month: *, numbers, ranges, steps, lists, L (the last day), nW and LW (the weekday nearest). */
    private static DayMatcher dom(String spec) {
        List<DayMatcher> any = new ArrayList<>();
        for (String s : items(spec)) {
            if (s.equals("L")) {
                any.add(d -> d.getDayOfMonth() == d.lengthOfMonth());
            } else if (s.equals("LW")) {
                any.add(d -> d.equals(nearestWeekday(d.withDayOfMonth(d.lengthOfMonth()))));
            } else if (s.matches("\\d{1,2}W")) {
                int n = Integer.parseInt(s.substring(0, s.length() - 1));
                check(n, 1, 31, "day-of-month");
                any.add(d -> n <= d.lengthOfMonth() && d.equals(nearestWeekday(d.withDayOfMonth(n))));
            } else {
                BitSet days = field(s, 1, 31, null, "day-of-month");
                any.add(d -> days.get(d.getDayOfMonth()));
            }
        }
        return anyOf(any);
    }

    /** A list's items, each once: each is tried on every day walked. */
    private static Set<String> items(String spec) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : spec.split(",")) {
            out.add(item.toUpperCase(Locale.ROOT));
        }
        return out;
    }

    /** The weekday nearest a day, within its month (the cron W rule). */
    private static LocalDate nearestWeekday(LocalDate d) {
        DayOfWeek w = d.getDayOfWeek();
        if (w == DayOfWeek.SATURDAY) {
            return d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
        }
        if (w == DayOfWeek.SUNDAY) {
            return d.getDayOfMonth() == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
        }
        return d;
    }

    /** Day of week (1-7 = SUN-SAT): *, numbers or names, ranges, steps, lists, n#k (the k-th), nL (the last). */
    private static DayMatcher dow(String spec) {
        List<DayMatcher> any = new ArrayList<>();
        for (String s : items(spec)) {
            Matcher nth = Pattern.compile("(\\w+)#([1-5])").matcher(s);
            Matcher lastOf = Pattern.compile("(\\w+)L").matcher(s);
            if (nth.matches()) {
                DayOfWeek w = weekday(nth.group(1));
                int k = Integer.parseInt(nth.group(2));
                any.add(d -> d.getDayOfWeek() == w && (d.getDayOfMonth() - 1) / 7 + 1 == k);
            } else if (lastOf.matches()) {
                DayOfWeek w = weekday(lastOf.group(1));
                any.add(d -> d.equals(d.with(TemporalAdjusters.lastInMonth(w))));
            } else {
                BitSet days = field(s, 1, 7, DAYS, "day-of-week");
                any.add(d -> days.get(d.getDayOfWeek().getValue() % 7 + 1));
            }
        }
        return anyOf(any);
    }

    private static DayOfWeek weekday(String s) {
        int n = value(s, 1, 7, DAYS, "day-of-week");
        return n == 1 ? DayOfWeek.SUNDAY : DayOfWeek.of(n - 1);
    }

    /** A plain field: *, a value, a-b, x/step (x a value, a range or *), lists of those. */
    private static BitSet field(String spec, int min, int max, List<String> names, String what) {
        BitSet out = new BitSet(max + 1);
        for (String item : spec.split(",")) {
            String s = item.toUpperCase(Locale.ROOT);
            int step = 1;
            int slash = s.indexOf('/');
            if (slash >= 0) {
                step = value(s.substring(slash + 1), 1, max, null, what + " step");
                s = s.substring(0, slash);
            }
            int lo;
            int hi;
            if (s.equals("*")) {
                lo = min;
                hi = max;
            } else if (s.contains("-")) {
                String[] r = s.split("-", 2);
                lo = value(r[0], min, max, names, what);
                hi = value(r[1], min, max, names, what);
                if (hi < lo) {
                    throw new IllegalArgumentException(what + " range " + item + " runs backwards");
                }
            } else {
                lo = value(s, min, max, names, what);
                hi = slash >= 0 ? max : lo;
            }
            for (int v = lo; v <= hi; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int value(String s, int min, int max, List<String> names, String what) {
        if (names != null && names.contains(s)) {
            return names.indexOf(s) + min;
        }
        if (!s.matches("\\d{1,4}")) {
            throw new IllegalArgumentException(what + " value " + s);
        }
        int n = Integer.parseInt(s);
        check(n, min, max, what);
        return n;
    }

    private static void check(int n, int min, int max, String what) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + " " + n + " outside " + min + "-" + max);
        }
    }
}
