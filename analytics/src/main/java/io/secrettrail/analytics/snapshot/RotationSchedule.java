package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.schedule.Cron;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
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
    private static final int CYCLE_DAYS = 146_097; // 400 Gregorian years
    private static final int MAX_EXPRESSION = Cron.MAX_EXPRESSION;

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

    private static Gap cron(String[] f, Walks walks) {
        Cron cron = Cron.fields(f, String.join(" ", f));
        List<Integer> times = cron.times();
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        String key = cron.dayKey();
        Days days = walks.walks.get(key);
        if (days == null) {
            if (walks.walks.size() >= Walks.MAX_WALKS) {
                return new Gap(
                        null,
                        null,
                        "not walked: more than " + Walks.MAX_WALKS + " distinct cron schedules in one report");
            }
            days = walk(cron, walks.from);
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

    private static Days walk(Cron cron, LocalDate from) {
        LocalDate end = from.plusDays(CYCLE_DAYS);
        LocalDate giveUp = end.plusDays(CYCLE_DAYS);
        LocalDate lastDay = cron.lastYear() == null ? null : LocalDate.of(cron.lastYear(), 12, 31);
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
            if (cron.firesOn(d)) {
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
}
