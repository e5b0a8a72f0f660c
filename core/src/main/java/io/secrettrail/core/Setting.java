package io.secrettrail.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads one typed value out of the settings map (config file, then flags), naming the setting when it is bad. */
public final class Setting {
    private Setting() {}

    public static long whole(Map<String, String> settings, String name, long fallback, long min, long max) {
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

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}). */
    public static Duration duration(Map<String, String> settings, String name, Duration fallback) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (d.isZero() || d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    name + ": expected a positive duration such as 1h, 15m or PT1H, was " + v);
        }
    }

    public static boolean bool(Map<String, String> settings, String name, boolean fallback) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + ": must be true or false, was " + v);
        };
    }

    /** A comma-separated list, blanks dropped. */
    public static List<String> list(Map<String, String> settings, String name) {
        List<String> out = new ArrayList<>();
        String v = settings.get(name);
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
