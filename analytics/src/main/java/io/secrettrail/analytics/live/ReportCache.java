package io.secrettrail.analytics.live;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest full report (alerts, cost, savings), rebuilt in the background when the store's
 * version moves, and on the clock without new events (see {@link #tick}): rules and cost read
 * every event, so pages never wait for them. What the rollups
 * give (calls, principals, access) is always current; alerts and cost are as of {@link #builtAt}.
 */
public final class ReportCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportCache.class);

    private final EventStore store;
    private final ReportSettings settings;
    private final Supplier<Instant> asOf;
    /** Real elapsed time, for the rebuild throttle: the injected clock may stand still (a fixed one does). */
    private final LongSupplier nanos;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "secrettrail-report");
        t.setDaemon(true);
        return t;
    });
    static final Duration MIN_GAP = Duration.ofSeconds(5);
    private volatile Report report;
    private volatile long builtVersion = -1;
    private volatile Instant builtAt;
    /** {@link #nanos} when the current report was built. */
    private volatile long builtNanos;
    /** The "now" the current report was built for. */
    private volatile Instant builtAsOf;
    /** Reports built so far: moves on a rebuild by the clock too, when the data version does not. */
    private volatile long builds;

    private volatile Duration lastBuild = Duration.ZERO;
    private final java.util.List<java.util.function.Predicate<Report>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<java.util.function.Predicate<Clock>> beforeTick =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A listener said "not yet" of the latest report: ask it again on the next tick. */
    private volatile boolean unhandled;

    /**
     * @param asOf "now" for each build: the clock for a live service, a fixed instant for a demo
     *             over a finished trail
     */
    public ReportCache(EventStore store, ReportSettings settings, Supplier<Instant> asOf) {
        this(store, settings, asOf, System::nanoTime);
    }

    /** @param nanos real elapsed time in nanoseconds ({@link System#nanoTime()}; tests move their own) */
    ReportCache(EventStore store, ReportSettings settings, Supplier<Instant> asOf, LongSupplier nanos) {
        this.store = store;
        this.settings = settings;
        this.asOf = asOf;
        this.nanos = nanos;
    }

    /**
     * Called on the report thread after each new report (webhooks record their transitions here).
     * A listener returning false is offered the same report again on the next tick.
     */
    public ReportCache onBuilt(java.util.function.Predicate<Report> listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Work run on the report thread at the start of every tick, before the data version is read: a write done
     * here (a billing import) never runs beside a build. The task decides itself whether it is due and returns
     * whether it wrote: such a write does not move the data version ({@link EventStore#writeTransaction}), so the
     * same tick builds the report at once. One that throws, an Error too, is logged and the tick goes on.
     */
    public ReportCache beforeTick(java.util.function.Predicate<Clock> task) {
        beforeTick.add(task);
        return this;
    }

    /**
     * Builds once now, then {@link #tick ticks} every {@code every} on the report thread. The first build leaves out
     * the {@link #beforeTick} tasks: they run on the report thread's first tick, at once, so that a slow one (the
     * first billing import) does not hold back start-up, and the report carries what it wrote when it is done.
     */
    public ReportCache start(Duration every, Clock clock) {
        tick(clock, false);
        long first = beforeTick.isEmpty() ? every.toMillis() : 0;
        worker.scheduleWithFixedDelay(
                Background.guarded(log, "report thread tick", () -> tick(clock)),
                first,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Builds the report again when the data changed (at most every max(5 s, 3 x the last build)
     * while events stream in), or when it is due by the clock with or without new events:
     * {@code report.maxAgeMinutes} after the last build, or at once after a UTC month boundary.
     * Posture (a secret crossing its maximum age), silence and the month's cost change with time
     * alone. Called by the report thread; tests call it with a clock they move.
     *
     * @return whether a report was built
     */
    public boolean tick(Clock clock) {
        return tick(clock, true);
    }

    private boolean tick(Clock clock, boolean tasks) {
        boolean[] wrote1 = new boolean[1];
        for (var t : tasks ? beforeTick : java.util.List.<java.util.function.Predicate<Clock>>of()) {
            // an Error too (a billing import that fills the heap): the report is still built, the next tick runs
            Background.run(log, "report thread task", () -> wrote1[0] |= t.test(clock));
        }
        boolean wrote = wrote1[0];
        long v = store.version();
        Instant now = asOf.get();
        boolean changed = report == null || v != builtVersion || wrote;
        boolean due = !changed && dueByClock(clock.instant(), now);
        if (!changed && !due) {
            if (unhandled) {
                notifyListeners();
            }
            return false;
        }
        // While events stream in, rebuild at most every max(5 s, 3 x the last build) of real time (not the
        // clock's, which may stand still): the report reads every event, and ingest and analytics need the
        // cores more.
        if (changed && !wrote && builtAt != null && !dueByClock(clock.instant(), now)) {
            Duration gap = lastBuild.multipliedBy(3).compareTo(MIN_GAP) > 0 ? lastBuild.multipliedBy(3) : MIN_GAP;
            if (nanos.getAsLong() - builtNanos < gap.toNanos()) {
                return false;
            }
        }
        long began = nanos.getAsLong();
        try (Connection c = store.reader()) {
            report = ReportService.owning(c, settings).build(now, 0, 0, 0, false);
            builtVersion = v;
            builtAt = clock.instant();
            builtNanos = nanos.getAsLong();
            builtAsOf = now;
            builds++;
            lastBuild = Duration.ofNanos(builtNanos - began);
        } catch (Exception | Error e) {
            log.warn("report rebuild failed: {}", e.toString());
            return false;
        }
        notifyListeners();
        return true;
    }

    /**
     * Whether the report is due by time alone: its "now" moved (a fixed one never does) and either
     * maxAge passed since it was built or the UTC month changed.
     */
    private boolean dueByClock(Instant clockNow, Instant reportNow) {
        if (builtAt == null || builtAsOf == null || reportNow.equals(builtAsOf)) {
            return false;
        }
        return !clockNow.isBefore(builtAt.plus(settings.maxAge()))
                || !YearMonth.from(reportNow.atOffset(ZoneOffset.UTC))
                        .equals(YearMonth.from(builtAsOf.atOffset(ZoneOffset.UTC)));
    }

    private void notifyListeners() {
        boolean[] all = {true};
        Report r = report;
        for (var l : listeners) {
            Background.run(log, "report listener", () -> all[0] &= l.test(r));
        }
        unhandled = !all[0];
    }

    /** The prices the reports are built with: what a page that prices a part of a report must use. */
    public io.secrettrail.analytics.cost.Prices prices() {
        return settings.prices();
    }

    /** The latest report, or null before the first build finished. */
    public Report report() {
        return report;
    }

    public long builtVersion() {
        return builtVersion;
    }

    /**
     * How many reports were built: what a cache of pages computed from the report keys on, since a
     * report built again on the clock has the same {@link #builtVersion} but other alerts and cost.
     */
    public long builds() {
        return builds;
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
        try {
            // a build or billing import under way ends before the caller closes the store it writes to
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("report thread still busy after 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
