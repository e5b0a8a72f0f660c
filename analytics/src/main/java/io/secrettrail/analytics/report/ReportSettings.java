package io.secrettrail.analytics.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.secrettrail.analytics.cost.Prices;
import io.secrettrail.analytics.rules.RuleCatalog;

/**
 * What a report is computed with: the rules and their thresholds, and the prices. Built from
 * settings (config file, then flags) and validated at once, naming the bad setting.
 */
public record ReportSettings(RuleCatalog rules, Map<String, Object> ruleValues, Prices prices,
                             int cacheMaxReadsPerHour, Duration cacheTtl) {

    public static ReportSettings defaults() {
        return of(Map.of());
    }

    public static ReportSettings of(Map<String, String> settings) {
        RuleCatalog catalog = RuleCatalog.load();
        Map<String, Object> values = catalog.values(settings);
        Prices aws = Prices.aws();
        Prices prices = new Prices((BigDecimal) values.getOrDefault("price.secretMonthUsd", aws.secretMonthUsd()),
                price(settings, "price.per10kCallsUsd", aws.per10kCallsUsd()));
        return new ReportSettings(catalog, values, prices,
                (int) whole(settings, "cache.maxReadsPerHour", 60, 1, 1_000_000), duration(settings, "cache.ttl", Duration.ofHours(1)));
    }

    private static long whole(Map<String, String> settings, String name, long fallback, long min, long max) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + ": must be " + min + ".." + max + ", was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a whole number, was " + v);
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, or ISO-8601 ({@code PT1H}). */
    static Duration duration(Map<String, String> settings, String name, Duration fallback) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (d.isZero() || d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": expected a positive duration such as 1h, 15m or PT1H, was " + v);
        }
    }

    private static BigDecimal price(Map<String, String> settings, String name, BigDecimal fallback) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a number, was " + v);
        }
    }
}
