package io.secrettrail.analytics.export;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where and when {@code serve} writes the Parquet export: {@code export.parquet.dir} (default none: no export,
 * and {@code POST /api/v1/export} answers 404) and {@code export.cron} (default none: only on request), an AWS
 * six-field {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, read as rotation schedules are.
 *
 * @param dir the export directory (absolute), or null when none is configured
 * @param cron the schedule as written, or null
 * @param schedule the minutes the schedule fires at; never firing without {@code export.cron}
 */
public record ExportSettings(Path dir, String cron, Predicate<LocalDateTime> schedule) {
    /** The settings read here. */
    public static final Set<String> KEYS = Set.of("export.parquet.dir", "export.cron");

    public static ExportSettings none() {
        return new ExportSettings(null, null, t -> false);
    }

    /**
     * @throws IllegalArgumentException naming the bad setting: a directory with a quote or control character, a
     *     cron AWS would not accept, or a cron without a directory
     */
    public static ExportSettings of(Map<String, String> settings) {
        String dir = blankToNull(settings.get("export.parquet.dir"));
        String cron = blankToNull(settings.get("export.cron"));
        if (dir == null) {
            if (cron != null) {
                throw new IllegalArgumentException("export.cron: set export.parquet.dir too (where the export goes)");
            }
            return none();
        }
        Path path = ExportDir.checked(Path.of(dir));
        if (cron == null) {
            return new ExportSettings(path, null, t -> false);
        }
        try {
            return new ExportSettings(path, cron, io.secrettrail.analytics.schedule.Cron.parse(cron)::firesAt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("export.cron: " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return dir != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
