package io.secrettrail.analytics.snapshot;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The longest time a secret's rotation schedule leaves between two rotations, from ListSecrets'
 * {@code RotationRules}: {@code ScheduleExpression} when set ({@code rate(N hours|days)} or a six-field
 * {@code cron(minutes hours day-of-month month day-of-week year)}), else {@code AutomaticallyAfterDays}.
 *
 * <p>For a cron, every firing from the start day on is walked, day by day, over a full Gregorian cycle (400 years,
 * after which dates and weekdays repeat) and on to the next firing, so the longest gap between consecutive
 * firings is exact, not estimated. A cron whose year field ends fires a last time: after it the secret never
 * rotates ({@link Gap#lastFiring()}). The rotation window ({@code Duration}) is not added: the gap is between the
 * scheduled starts, as AWS Config's {@code maximumAllowedRotationFrequency} compares the schedule.
 */
public final class RotationSchedule {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d{1,5})\\s+(hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final int CYCLE_DAYS = 146_097; // 400 Gregorian years
    private static final int LAST_YEAR = 2199; // the cron year field's upper bound
    private static final int MAX_EXPRESSION = 256; // RotationRules.ScheduleExpression's length limit in the API

    /**
     * A schedule's longest gap.
     *
     * @param minutes the longest gap between consecutive scheduled rotations, or null when it has none (it fires
     *     at most once more: on {@code lastFiring}, or never when that is null too) or could not be read
     *     ({@code problem})
     * @param lastFiring when a cron whose year field ends fires for the last time, or null
     * @param problem why the schedule could not be read, or null
     */
    public record Gap(Long minutes, LocalDateTime lastFiring, String problem) {}

    private RotationSchedule() {}

    /**
     * @param expression {@code RotationRules.ScheduleExpression}, or null
     * @param afterDays {@code RotationRules.AutomaticallyAfterDays}, or null
     * @param from the day the walk of a cron starts (the snapshot's day)
     * @return the gap, or null when the rules name no schedule
     */
    public static Gap of(String expression, Integer afterDays, LocalDate from) {
        return new Walks(from).of(expression, afterDays);
    }

    /**
     * The schedules of one report, read against one start day. A cron's walk (up to two Gregorian cycles, day by
     * day) depends only on its day fields (day-of-month, month, day-of-week, year), so each distinct set of those
     * is walked once, whatever its minutes and hours; and at most {@link #MAX_WALKS} are walked: anyone who may set
     * a rotation schedule may set a different one on each of many secrets, and a report must not take minutes for
     * it. A schedule past the limit is not judged, its problem saying why.
     */
    public static final class Walks {
        /** Distinct cron day parts walked per report; an account has a handful. */
        public static final int MAX_WALKS = 100;

        private final LocalDate from;
        private final Map<String, Days> walks = new HashMap<>();

        public Walks(LocalDate from) {
            this.from = from;
        }

        /** How many cron walks were made. */
        public int walked() {
            return walks.size();
        }

        /** As {@link RotationSchedule#of}, from this report's walks. */
        public Gap of(String expression, Integer afterDays) {
            return read(expression, afterDays, this);
        }
    }

    private static Gap read(String expression, Integer afterDays, Walks walks) {
        if (expression != null && !expression.isBlank()) {
            String e = expression.trim();
            if (e.length() > MAX_EXPRESSION) {
                // no list of that length comes from Secrets Manager; its items would each be tried on every day
                return new Gap(
                        null,
                        null,
                        "longer than " + MAX_EXPRESSION + " characters, the longest ScheduleExpression AWS accepts");
            }
            Matcher rate = RATE.matcher(e);
            if (rate.matches()) {
                long n = Long.parseLong(rate.group(1));
                if (n == 0) {
                    return new Gap(null, null, "a rate of 0 is not a schedule");
                }
                return new Gap(n * (rate.group(2).startsWith("hour") ? 60 : 1440), null, null);
            }
            Matcher cron = CRON.matcher(e);
            if (cron.matches()) {
                try {
                    return cron(cron.group(1).trim().split("\\s+"), walks);
                } catch (IllegalArgumentException bad) {
                    return new Gap(null, null, "cron not understood: " + bad.getMessage());
                }
            }
            return new Gap(null, null, "neither rate(N hours|days) nor cron(...)");
        }
        if (afterDays != null && afterDays > 0) {
            return new Gap(afterDays * 1440L, null, null);
        }
        return null;
    }

    /** Minutes as the reason says them: days when whole, else hours when whole, else hours and minutes. */
    public static String text(long minutes) {
        if (minutes % 1440 == 0) {
            return plural(minutes / 1440, "day");
        }
        if (minutes % 60 == 0) {
            return plural(minutes / 60, "hour");
        }
        return plural(minutes / 60, "hour") + " " + plural(minutes % 60, "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** A six-field cron's fields, parsed; {@code years} null for {@code *}. */
    private record Fields(BitSet minutes, BitSet hours, BitSet months, BitSet years, DayMatcher day) {
        static Fields parse(String[] f) {
            if (f.length != 6) {
                throw new IllegalArgumentException("expected 6 fields (minutes hours day-of-month month day-of-week"
                        + " year), found " + f.length);
            }
            boolean anyDom = f[2].equals("?");
            boolean anyDow = f[4].equals("?");
            if (anyDom == anyDow) {
                throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?");
            }
            return new Fields(
                    field(f[0], 0, 59, null, "minutes"),
                    field(f[1], 0, 23, null, "hours"),
                    field(f[3], 1, 12, MONTHS, "month"),
                    f[5].equals("*") ? null : field(f[5], 1970, LAST_YEAR, null, "year"),
                    anyDom ? dow(f[4]) : dom(f[2]));
        }

        boolean firesAt(LocalDateTime t) {
            LocalDate d = t.toLocalDate();
            return minutes.get(t.getMinute())
                    && hours.get(t.getHour())
                    && months.get(d.getMonthValue())
                    && (years == null || years.get(d.getYear()))
                    && day.matches(d);
        }
    }

    /**
     * The minutes an AWS six-field {@code cron(minutes hours day-of-month month day-of-week year)} fires at, in
     * the same dialect rotation schedules are read in: for schedules of SecretTrail's own ({@code export.cron}).
     *
     * @throws IllegalArgumentException saying what is wrong with the expression
     */
    public static java.util.function.Predicate<LocalDateTime> firings(String expression) {
        Matcher cron = CRON.matcher(expression == null ? "" : expression.trim());
        if (!cron.matches() || expression.trim().length() > MAX_EXPRESSION) {
            throw new IllegalArgumentException("expected cron(minutes hours day-of-month month day-of-week year),"
                    + " as AWS writes schedules, e.g. cron(0 3 * * ? *)");
        }
        return Fields.parse(cron.group(1).trim().split("\\s+"))::firesAt;
    }

    private static Gap cron(String[] f, Walks walks) {
        Fields p = Fields.parse(f);
        BitSet minutes = p.minutes();
        BitSet hours = p.hours();
        BitSet months = p.months();
        BitSet years = p.years();
        DayMatcher day = p.day();
        List<Integer> times = new ArrayList<>();
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
            for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                times.add(h * 60 + m);
            }
        }
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        String key = String.join(" ", f[2], f[3], f[4], f[5]).toUpperCase(Locale.ROOT);
        Days days = walks.walks.get(key);
        if (days == null) {
            if (walks.walks.size() >= Walks.MAX_WALKS) {
                return new Gap(
                        null,
                        null,
                        "not walked: more than " + Walks.MAX_WALKS + " distinct cron schedules in one report");
            }
            days = walk(months, years, day, walks.from);
            walks.walks.put(key, days);
        }
        if (days.firingDays() == 0) {
            return new Gap(null, null, null); // it never fires again
        }
        int first = times.get(0);
        int lastTime = times.get(times.size() - 1);
        if (days.longestDays() != null) {
            longest = Math.max(longest, days.longestDays() * 1440 - lastTime + first);
        }
        LocalDateTime lastFiring =
                days.lastDay() != null ? days.lastDay().atStartOfDay().plusMinutes(lastTime) : null;
        if (days.firingDays() == 1 && times.size() == 1) {
            return new Gap(null, lastFiring, null);
        }
        return new Gap(longest, lastFiring, null);
    }

    /**
     * The firing days of a cron's day fields, from the start day on.
     *
     * @param longestDays the most days between two consecutive firing days, null with fewer than two
     * @param firingDays firing days seen (the walk stops one past a full cycle)
     * @param lastDay the last day it ever fires, when its year field ends before a cycle is through; else null
     */
    private record Days(Long longestDays, int firingDays, LocalDate lastDay) {}

    private static Days walk(BitSet months, BitSet years, DayMatcher day, LocalDate from) {
        LocalDate end = from.plusDays(CYCLE_DAYS);
        LocalDate giveUp = end.plusDays(CYCLE_DAYS);
        LocalDate lastDay = years == null ? null : LocalDate.of(years.length() - 1, 12, 31);
        Long previous = null; // the day (since from) of the previous firing day
        Long longest = null;
        LocalDate last = null;
        int firingDays = 0;
        for (LocalDate d = from; ; d = d.plusDays(1)) {
            if (lastDay != null && d.isAfter(lastDay)) {
                break;
            }
            if (d.isAfter(giveUp)) {
                break; // a second cycle found no firing: the schedule never fires again
            }
            if (months.get(d.getMonthValue()) && (years == null || years.get(d.getYear())) && day.matches(d)) {
                long at = ChronoUnit.DAYS.between(from, d);
                if (previous != null) {
                    longest = Math.max(longest == null ? 0 : longest, at - previous);
                }
                previous = at;
                last = d;
                firingDays++;
                if (d.isAfter(end)) {
                    break; // one firing past a full cycle: every gap has been seen
                }
            }
        }
        boolean ends = firingDays > 0 && lastDay != null && !last.isAfter(lastDay) && last.isBefore(end);
        return new Days(longest, firingDays, ends ? last : null);
    }

    private interface DayMatcher {
        boolean matches(LocalDate d);
    }

    /** Whether any matches: a plain loop, as it runs on each of 146,097 days. */
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
    private static java.util.Set<String> items(String spec) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
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
