package io.secrettrail.analytics.live;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest full report (alerts, cost, savings), rebuilt in the background when the store's
 * version moves: rules and cost read every event, so pages never wait for them. What the rollups
 * give (calls, principals, access) is always current; alerts and cost are as of {@link #builtAt}.
 */
public final class ReportCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportCache.class);

    private final EventStore store;
    private final ReportSettings settings;
    private final Supplier<Instant> asOf;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "secrettrail-report");
        t.setDaemon(true);
        return t;
    });
    static final Duration MIN_GAP = Duration.ofSeconds(5);
    private volatile Report report;
    private volatile long builtVersion = -1;
    private volatile Instant builtAt;
    private volatile Duration lastBuild = Duration.ZERO;
    private final java.util.List<java.util.function.Predicate<Report>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A listener said "not yet" of the latest report: ask it again on the next tick. */
    private volatile boolean unhandled;

    /**
     * @param asOf "now" for each build: the clock for a live service, a fixed instant for a demo
     *             over a finished trail
     */
    public ReportCache(EventStore store, ReportSettings settings, Supplier<Instant> asOf) {
        this.store = store;
        this.settings = settings;
        this.asOf = asOf;
    }

    /**
     * Called on the report thread after each new report (webhooks record their transitions here).
     * A listener returning false is offered the same report again on the next tick.
     */
    public ReportCache onBuilt(java.util.function.Predicate<Report> listener) {
        listeners.add(listener);
        return this;
    }

    /** Builds once now, then checks every {@code every} whether the data changed. */
    public ReportCache start(Duration every, Clock clock) {
        refresh(clock);
        worker.scheduleWithFixedDelay(() -> refresh(clock), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void refresh(Clock clock) {
        long v = store.version();
        if (v == builtVersion && report != null) {
            if (unhandled) {
                notifyListeners();
            }
            return;
        }
        // While events stream in, rebuild at most every max(5 s, 3 x the last build): the report
        // reads every event, and ingest and analytics need the cores more.
        if (builtAt != null) {
            Duration gap = lastBuild.multipliedBy(3).compareTo(MIN_GAP) > 0 ? lastBuild.multipliedBy(3) : MIN_GAP;
            if (clock.instant().isBefore(builtAt.plus(gap))) {
                return;
            }
        }
        long began = System.nanoTime();
        try (Connection c = store.reader()) {
            report = new ReportService(c, settings).build(asOf.get(), 0, 0, 0, false);
            builtVersion = v;
            builtAt = clock.instant();
            lastBuild = Duration.ofNanos(System.nanoTime() - began);
        } catch (Exception | Error e) {
            log.warn("report rebuild failed: {}", e.toString());
            return;
        }
        notifyListeners();
    }

    private void notifyListeners() {
        boolean all = true;
        for (var l : listeners) {
            try {
                all &= l.test(report);
            } catch (RuntimeException e) {
                log.warn("report listener failed: {}", e.toString());
            }
        }
        unhandled = !all;
    }

    /** The latest report, or null before the first build finished. */
    public Report report() {
        return report;
    }

    public long builtVersion() {
        return builtVersion;
    }

    /** "Now" as the reports see it: the clock when live, the fixed instant of a finished trail. */
    public Instant now() {
        return asOf.get();
    }

    public Instant builtAt() {
        return builtAt;
    }

    public Duration lastBuild() {
        return lastBuild;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
