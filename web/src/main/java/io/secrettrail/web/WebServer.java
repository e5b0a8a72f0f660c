package io.secrettrail.web;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.export.ScheduledExport;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.core.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard and its JSON API, served by Javalin from the process that owns the DuckDB file.
 * Every route is declared in {@link #routes}; handlers ({@link PageRoutes}, {@link ApiRoutes},
 * {@link AuthRoutes}, {@link WebhookRoutes}, {@link ReportRoutes}, {@link ExportRoutes}, {@link Health}) parse and check
 * parameters, call {@link DashboardService}, and render; nothing else. Every failure has one shape:
 * {@code {"error": {"status", "code", "message"}}} ({@link Errors}).
 */
public final class WebServer implements AutoCloseable {
    static final String SWAGGER_VERSION = "5.34.1";
    /** The largest request body taken (form posts and JSON actions are a few hundred bytes); larger gets 413. */
    static final long MAX_BODY = 64 * 1024;

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    public static WebServer start(WebConfig config, DashboardService service, RuleCatalog rules, Clock clock) {
        return start(config, service, rules, WebhookSettings.none(), null, clock);
    }

    /** @param deliverer the running webhook deliverer, or null when no webhook is configured */
    public static WebServer start(
            WebConfig config,
            DashboardService service,
            RuleCatalog rules,
            WebhookSettings hooks,
            Deliverer deliverer,
            Clock clock) {
        return start(config, service, rules, hooks, deliverer, ProcessProbe.NONE, clock);
    }

    /**
     * @param probe the process beside the store: readiness checks (broker, consumer), figures for /metrics, its sources
     */
    public static WebServer start(
            WebConfig config,
            DashboardService service,
            RuleCatalog rules,
            WebhookSettings hooks,
            Deliverer deliverer,
            ProcessProbe probe,
            Clock clock) {
        return start(config, service, rules, hooks, deliverer, probe, null, clock);
    }

    /** @param export the Parquet export of the process that owns the store, or null when it runs none */
    public static WebServer start(
            WebConfig config,
            DashboardService service,
            RuleCatalog rules,
            WebhookSettings hooks,
            Deliverer deliverer,
            ProcessProbe probe,
            ScheduledExport export,
            Clock clock) {
        Auth auth = new Auth(config.token(), clock);
        HostGuard guard = new HostGuard(config);
        Metrics metrics = Metrics.dashboard(service, probe);
        Health health = new Health(() -> {
            Map<String, Boolean> checks = new LinkedHashMap<>();
            try {
                service.status();
                checks.put("duckdb", true);
            } catch (java.sql.SQLException e) {
                checks.put("duckdb", false);
            }
            checks.putAll(probe.readiness());
            return checks;
        });
        PageRoutes pages = new PageRoutes(service, rules, auth, probe, clock);
        Handlers h = new Handlers(
                health,
                metrics,
                new AuthRoutes(auth),
                pages,
                new ApiRoutes(service, rules, auth, probe, clock),
                new WebhookRoutes(hooks, deliverer, auth, pages),
                new ReportRoutes(service, clock),
                new ExportRoutes(export, auth));
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.startupWatcherEnabled = false;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY;
            // the API's answers are indented, for people reading them with curl
            cfg.jsonMapper(new JavalinJackson(Json.indented(), false));
            // first of all, static assets and health included: a name not ours is DNS rebinding
            cfg.routes.before(ctx -> Guards.host(guard, ctx));
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/assets";
                sf.directory = "/web/assets";
                sf.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars();
            cfg.routes.before(ctx -> ctx.attribute("secrettrail.began", System.nanoTime()));
            cfg.routes.after(ctx -> {
                Long began = ctx.attribute("secrettrail.began");
                var endpoint = ctx.endpoints().lastHttpEndpoint();
                if (began != null && endpoint != null) {
                    // the route's pattern, never the raw path: ARNs would make a series each
                    metrics.observe(endpoint.path, (System.nanoTime() - began) / 1e9);
                }
            });
            cfg.routes.before(ctx -> Guards.headersAndToken(auth, ctx));
            Errors.register(cfg, MAX_BODY);
            cfg.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !(type.startsWith("application/json") || type.startsWith("text/html"))) {
                    Errors.write(ctx, 404, "not_found", "no such page or resource: " + ctx.path());
                }
            });
            routes(cfg, h);
        });
        app.start(config.host(), config.port());
        return new WebServer(app);
    }

    /** The handlers of each area. */
    private record Handlers(
            Health health,
            Metrics metrics,
            AuthRoutes auth,
            PageRoutes pages,
            ApiRoutes api,
            WebhookRoutes webhooks,
            ReportRoutes reports,
            ExportRoutes export) {}

    /** Every route of the dashboard, in one place. */
    private static void routes(JavalinConfig cfg, Handlers h) {
        var r = cfg.routes;
        r.get("/health/live", h.health()::live);
        r.get("/health/ready", h.health()::ready);
        r.get(
                "/metrics",
                ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(h.metrics().scrape()));
        r.get("/login", h.auth()::form);
        r.post("/login", h.auth()::login);
        r.post("/logout", h.auth()::logout);

        // ---- pages
        r.get("/", h.pages()::overview);
        r.get("/secrets", h.pages()::secrets);
        r.get("/secrets.csv", h.reports()::secretsCsv);
        r.get("/secret", h.pages()::secretByQuery);
        r.get("/secrets/<arn>", h.pages()::secretByPath);
        r.get("/principals", h.pages()::principals);
        r.get("/principal", h.pages()::principalByQuery);
        r.get("/principals/<arn>", h.pages()::principalByPath);
        r.get("/alerts", h.pages()::alerts);
        r.get("/alerts/incident/{id}", h.pages()::incident);
        r.post("/alerts/action", h.api()::alertForm);
        r.get("/cost", h.pages()::cost);
        r.get("/reconciliation", h.pages()::reconciliation);
        r.get("/api/docs", h.pages()::apiDocs);
        r.get("/webhooks", h.webhooks()::page);
        r.post("/webhooks/{name}/test", h.webhooks()::testFromPage);

        // ---- API
        r.get("/api/openapi.json", h.api()::openApi);
        r.get("/api/v1/status", h.api()::status);
        r.get("/api/v1/overview", h.api()::overview);
        r.get("/api/v1/secrets", h.api()::secrets);
        r.get("/api/v1/secret", h.api()::secretByQuery);
        r.get("/api/v1/secrets/<arn>", h.api()::secretByPath);
        r.get("/api/v1/principals", h.api()::principals);
        r.get("/api/v1/principal", h.api()::principalByQuery);
        r.get("/api/v1/principals/<arn>", h.api()::principalByPath);
        r.get("/api/v1/access", h.api()::access);
        r.get("/api/v1/alerts", h.api()::alerts);
        r.post("/api/v1/alerts/actions", h.api()::alertAction);
        r.get("/api/v1/alerts/incidents/{id}", h.api()::incident);
        r.get("/api/v1/cost", h.api()::cost);
        r.get("/api/v1/cost/months", h.api()::costMonths);
        r.get("/api/v1/reconciliation", h.api()::reconciliation);
        r.get("/api/v1/rules", h.api()::rules);
        r.get("/api/v1/report", h.reports()::report);
        r.get("/api/v1/webhooks", h.webhooks()::list);
        r.get("/api/v1/webhooks/{name}/deliveries", h.webhooks()::deliveries);
        r.post("/api/v1/webhooks/{name}/test", h.webhooks()::testFromApi);
        r.post("/api/v1/export", h.export()::export);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
