package io.secrettrail.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.alerts.AlertLedger;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.web.ProcessProbe;
import io.secrettrail.web.WebConfig;
import io.secrettrail.web.WebServer;

/**
 * What runs beside the store's owner: the background report, alert webhooks (transitions recorded
 * in the outbox after each report, delivered by their own thread) and, if asked, the web server.
 */
final class Dashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    private final ReportCache reports;
    private final Deliverer deliverer;
    private final WebServer web;

    private Dashboard(ReportCache reports, Deliverer deliverer, WebServer web) {
        this.reports = reports;
        this.deliverer = deliverer;
        this.web = web;
    }

    /**
     * @param config where to serve, or null for no web server
     * @param asOf "now" of each report: the clock when live, a fixed instant for a finished trail
     */
    static Dashboard start(EventStore store, ReportSettings settings, WebhookSettings hooks, WebConfig config, Supplier<Instant> asOf,
                           Clock clock) {
        return start(store, settings, hooks, config, asOf, ProcessProbe.NONE, () -> true, clock);
    }

    /**
     * @param probe readiness checks beside DuckDB's (broker reachable, consumer assigned), figures for
     *              /metrics (messages consumed, sources...), and the sources' state for the API and pages
     * @param caughtUp whether analytics has consumed everything Kafka held; webhook transitions are
     *                 recorded only from the first report built after that, so a first start on a
     *                 backlog does not alert on half-loaded data
     */
    static Dashboard start(EventStore store, ReportSettings settings, WebhookSettings hooks, WebConfig config, Supplier<Instant> asOf,
                           ProcessProbe probe, java.util.function.BooleanSupplier caughtUp, Clock clock) {
        ReportCache reports = new ReportCache(store, settings, asOf);
        Deliverer deliverer = null;
        if (!hooks.webhooks().isEmpty()) {
            AlertLedger ledger = new AlertLedger(store, hooks);
            java.util.concurrent.atomic.AtomicBoolean live = new java.util.concurrent.atomic.AtomicBoolean();
            reports.onBuilt(r -> {
                if (!live.get()) {
                    if (!caughtUp.getAsBoolean()) {
                        log.debug("alerts: webhooks wait until analytics has caught up with Kafka");
                        return false;
                    }
                    live.set(true);
                }
                try {
                    AlertLedger.Transitions t = ledger.record(r.alerts(), clock.instant());
                    if (t.opened() + t.closed() > 0) {
                        log.info("alerts: {} opened, {} cleared, {} deliveries queued, {} suppressed", t.opened(), t.closed(), t.enqueued(),
                                t.suppressed());
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("recording alert transitions: " + e.getMessage(), e);
                }
                return true;
            });
            deliverer = new Deliverer(store, hooks, clock).start(Duration.ofSeconds(1));
        }
        reports.start(Duration.ofSeconds(2), clock);
        try {
            WebServer web = config == null ? null
                    : WebServer.start(config, new DashboardService(store, reports), settings.rules(), hooks, deliverer,
                            probe, clock);
            return new Dashboard(reports, deliverer, web);
        } catch (RuntimeException e) {
            reports.close();
            if (deliverer != null) {
                deliverer.close();
            }
            throw e;
        }
    }

    int port() {
        return web == null ? -1 : web.port();
    }

    @Override
    public void close() {
        if (web != null) {
            web.close();
        }
        if (deliverer != null) {
            deliverer.close();
        }
        reports.close();
    }
}
