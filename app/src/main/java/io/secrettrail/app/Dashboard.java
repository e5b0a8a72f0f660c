package io.secrettrail.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.web.WebConfig;
import io.secrettrail.web.WebServer;

/** The dashboard in the process that owns the store: a background report and the web server. */
final class Dashboard implements AutoCloseable {
    private final ReportCache reports;
    private final WebServer web;

    private Dashboard(ReportCache reports, WebServer web) {
        this.reports = reports;
        this.web = web;
    }

    /** @param asOf "now" of each report: the clock when live, a fixed instant for a finished trail */
    static Dashboard start(EventStore store, ReportSettings settings, WebConfig config, Supplier<Instant> asOf, Clock clock) {
        ReportCache reports = new ReportCache(store, settings, asOf).start(Duration.ofSeconds(2), clock);
        try {
            WebServer web = WebServer.start(config, store, new DashboardService(store, reports), settings.rules(), clock);
            return new Dashboard(reports, web);
        } catch (RuntimeException e) {
            reports.close();
            throw e;
        }
    }

    int port() {
        return web.port();
    }

    @Override
    public void close() {
        web.close();
        reports.close();
    }
}
