package io.secrettrail.analytics.export;

import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parquet export of the process that owns the database: on request ({@code POST /api/v1/export}) and on
 * {@code export.cron}, checked on serve's background tick. Never two at once: a second request while one runs is
 * refused ({@link Busy}), a firing while one runs is skipped. A schedule fires once per due minute however late
 * the tick comes; minutes before this was made (the process started) are not caught up. A scheduled export that
 * failed is tried again once a minute until one succeeds.
 */
public final class ScheduledExport {
    private static final Logger log = LoggerFactory.getLogger(ScheduledExport.class);
    /** The most minutes one tick looks back over (a week): a longer pause fires once, not once per firing. */
    private static final long MAX_LOOKBACK_MINUTES = Duration.ofDays(7).toMinutes();

    /** One export at asOf. */
    @FunctionalInterface
    public interface Run {
        ParquetExporter.Summary export(Instant asOf) throws SQLException, InterruptedException;
    }

    /** An export was asked for while another ran. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("an export is running; ask again when it has finished");
        }
    }

    private final ExportSettings settings;
    private final Run run;
    private final Supplier<Instant> asOf;
    private final Clock clock;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The last minute the schedule was checked for: at first, the minute this was made in. */
    private LocalDateTime checked;
    /** A firing whose export failed: tried again at the next minute's tick, not lost until the next firing. */
    private boolean retry;

    /**
     * @param asOf the "now" of each export (the clock's, or the fixed asOf of a finished trail)
     * @param clock what the schedule is read against
     */
    public ScheduledExport(ExportSettings settings, Run run, Supplier<Instant> asOf, Clock clock) {
        this.settings = settings;
        this.run = run;
        this.asOf = asOf;
        this.clock = clock;
        this.checked = minute(clock);
    }

    private static LocalDateTime minute(Clock clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    }

    /** Exports the store through a reader connection of its own each time. */
    public static Run over(EventStore store, ExportSettings settings, ReportSettings report) {
        ParquetExporter exporter = new ParquetExporter(report);
        return at -> {
            try (Connection c = store.reader()) {
                return exporter.export(c, ExportDir.of(settings.dir()), at);
            }
        };
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Exports now.
     *
     * @throws Busy while another export runs
     * @throws IllegalStateException when no {@code export.parquet.dir} is configured
     */
    public ParquetExporter.Summary runNow() throws SQLException, InterruptedException {
        if (!enabled()) {
            throw new IllegalStateException("no export configured: set export.parquet.dir");
        }
        if (!busy.compareAndSet(false, true)) {
            throw new Busy();
        }
        try {
            ParquetExporter.Summary s = run.export(asOf.get());
            log.info("export: {} at {}: {}", s.dir(), s.asOf(), s.tables());
            return s;
        } finally {
            busy.set(false);
        }
    }

    /**
     * One tick of the background: exports when {@code export.cron} fired in a minute since the last tick.
     *
     * @return the export's summary, or empty when none was due or one was already running
     */
    public synchronized Optional<ParquetExporter.Summary> tick() throws SQLException, InterruptedException {
        LocalDateTime now = minute(clock);
        if (!now.isAfter(checked)) {
            return Optional.empty();
        }
        LocalDateTime from = checked.plusMinutes(1);
        if (ChronoUnit.MINUTES.between(from, now) > MAX_LOOKBACK_MINUTES) {
            from = now.minusMinutes(MAX_LOOKBACK_MINUTES);
        }
        checked = now;
        boolean due = retry;
        for (LocalDateTime m = from; !m.isAfter(now) && !due; m = m.plusMinutes(1)) {
            due = settings.schedule().test(m);
        }
        if (!due || !enabled()) {
            return Optional.empty();
        }
        try {
            Optional<ParquetExporter.Summary> done = Optional.of(runNow());
            retry = false;
            return done;
        } catch (Busy b) {
            log.info("export: export.cron fired while an export ran; skipped");
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            retry = true;
            throw e;
        }
    }
}
