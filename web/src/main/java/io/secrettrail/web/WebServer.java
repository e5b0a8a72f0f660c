package io.secrettrail.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.CacheStats;
import io.secrettrail.analytics.dashboard.Gauges;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.SecretRow;
import io.secrettrail.analytics.dashboard.Status;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.analytics.rules.Parameter;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookConfig;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.core.Text;

/**
 * The dashboard and its JSON API, served by Javalin from the process that owns the DuckDB file.
 * Handlers parse and check parameters, call {@link DashboardService}, and render; nothing else.
 * Every failure has one shape: {@code {"error": {"status", "code", "message"}}}.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Scripts and styles from this origin only, never inline; nothing framed, nothing posted elsewhere. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Swagger UI sets inline styles on its elements; its page alone allows them. */
    static final String DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    static final String SWAGGER_VERSION = "5.34.1";
    /** The largest request body taken (form posts and JSON actions are a few hundred bytes); larger gets 413. */
    static final long MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d[a-z]?|[a-z0-9-]{2,32}");

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    /** An HTTP failure with its status and a stable code. */
    static final class HttpError extends RuntimeException {
        final int status;
        final String code;

        HttpError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    public static WebServer start(WebConfig config, DashboardService service, RuleCatalog rules, Clock clock) {
        return start(config, service, rules, WebhookSettings.none(), null, clock);
    }

    /** @param deliverer the running webhook deliverer, or null when no webhook is configured */
    public static WebServer start(WebConfig config, DashboardService service, RuleCatalog rules,
                                  WebhookSettings hooks, Deliverer deliverer, Clock clock) {
        return start(config, service, rules, hooks, deliverer, ProcessProbe.NONE, clock);
    }

    /**
     * @param probe the process beside the store: readiness checks (broker, consumer), figures for /metrics, its sources
     */
    public static WebServer start(WebConfig config, DashboardService service, RuleCatalog rules,
                                  WebhookSettings hooks, Deliverer deliverer, ProcessProbe probe, Clock clock) {
        Auth auth = new Auth(config.token(), clock);
        HostGuard guard = new HostGuard(config);
        Metrics metrics = new Metrics();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.startupWatcherEnabled = false;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY;
            // first of all, static assets and health included: a name not ours is DNS rebinding
            cfg.routes.before(ctx -> guard(guard, ctx));
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
            cfg.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", ctx.path().equals("/api/docs") ? DOCS_CSP : CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on the page's own
                // form posts, which the DNS-rebinding guard must refuse; other sites still get no referrer
                ctx.header("Referrer-Policy", "same-origin");
                ctx.header("X-Frame-Options", "DENY");
                String p = ctx.path();
                boolean open = p.equals("/login") || p.startsWith("/assets/") || p.startsWith("/webjars/") || p.startsWith("/health/");
                if (!open && auth.required() && ctx.header("Authorization") != null) {
                    bearerAttempt(auth, ctx);
                }
                if (!open && !auth.allowed(ctx)) {
                    if (p.startsWith("/api/") || p.equals("/metrics")) {
                        ctx.header("WWW-Authenticate", "Bearer");
                        throw new HttpError(401, "unauthorized", "an access token is required (Authorization: Bearer TOKEN)");
                    }
                    ctx.redirect("/login?next=" + Pages.enc(p + (ctx.queryString() == null ? "" : "?" + ctx.queryString())));
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
            // Javalin's own refusals (a body over cfg.http.maxRequestSize, an unknown route...) in the one shape too
            cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
                switch (e.getStatus()) {
                    case 413 -> error(ctx, 413, "too_large", "the request body is larger than " + MAX_BODY + " bytes");
                    case 404 -> error(ctx, 404, "not_found", "no such page or resource: " + ctx.path());
                    default -> error(ctx, e.getStatus(), e.getStatus() < 500 ? "bad_request" : "internal", String.valueOf(e.getMessage()));
                }
            });
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "internal error; see the server log");
            });
            cfg.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !(type.startsWith("application/json") || type.startsWith("text/html"))) {
                    error(ctx, 404, "not_found", "no such page or resource: " + ctx.path());
                }
            });

            cfg.routes.get("/health/live", ctx -> json(ctx, Map.of("status", "up")));
            cfg.routes.get("/health/ready", ctx -> {
                Map<String, Object> checks = new LinkedHashMap<>();
                boolean ready = true;
                try {
                    service.status();
                    checks.put("duckdb", true);
                } catch (java.sql.SQLException e) {
                    checks.put("duckdb", false);
                    ready = false;
                }
                for (var c : probe.readiness().entrySet()) {
                    checks.put(c.getKey(), c.getValue());
                    ready &= c.getValue();
                }
                ctx.status(ready ? 200 : 503);
                json(ctx, Map.of("status", ready ? "ready" : "not ready", "checks", checks));
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(scrape(service, metrics, probe.gauges())));
            cfg.routes.get("/login", ctx -> ctx.html(Pages.login(safeNext(ctx.queryParam("next")), null)));
            cfg.routes.post("/login", ctx -> {
                if (!auth.required()) {
                    ctx.redirect("/");
                    return;
                }
                Duration wait = auth.throttle().wait(ctx.ip());
                if (!wait.isZero()) {
                    ctx.status(429).header("Retry-After", Long.toString(retryAfter(wait)))
                            .html(Pages.login(safeNext(ctx.formParam("next")), "Too many failed logins from your address; try again in "
                                    + retryAfter(wait) + " s."));
                } else if (auth.login(ctx, ctx.formParam("token"), ctx.formParam("name"))) {
                    auth.throttle().succeeded(ctx.ip());
                    ctx.redirect(safeNext(ctx.formParam("next")));
                } else {
                    auth.throttle().failed(ctx.ip());
                    ctx.status(401).html(Pages.login(safeNext(ctx.formParam("next")), "That token is not right."));
                }
            });
            cfg.routes.post("/logout", ctx -> {
                csrf(auth, ctx);
                auth.logout(ctx);
                ctx.redirect("/login");
            });

            // ---- pages
            cfg.routes.get("/", ctx -> ctx.html(Pages.overview(service.overview(filters(ctx, clock)), view(ctx, auth, service, probe))));
            cfg.routes.get("/secrets", ctx -> ctx.html(Pages.secrets(secrets(ctx, service, clock), view(ctx, auth, service, probe))));
            cfg.routes.get("/secrets.csv", ctx -> {
                Page<SecretRow> p = service.secrets(filters(ctx, clock), text(ctx, "q"),
                        text(ctx, "tag"), bool(ctx, "hasAlert"), sort(ctx), !"asc".equals(ctx.queryParam("dir")), 1, 1000);
                StringWriter w = new StringWriter();
                ReportWriter.rows(w, List.of("arn", "name", "account", "region", "calls", "errors", "principals", "lastAccessed",
                        "lastRotated", "rotation", "monthToDateUsd", "projectedUsd", "tags", "alerts"), p.items().stream().map(s -> List.of(
                        s.arn(), s.name(), nz(s.account()), nz(s.region()), Long.toString(s.calls()), Long.toString(s.errors()),
                        Long.toString(s.principals()), nz(s.lastAccessed()), nz(s.lastRotated()), s.rotation(), nz(s.monthToDateUsd()),
                        nz(s.projectedUsd()), String.join(" ", s.tags()), String.join(" ", s.alerts()))).toList());
                ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"secrets.csv\"")
                        .result(w.toString());
            });
            cfg.routes.get("/secret", ctx -> secretPage(ctx, required(ctx, "arn"), service, auth, probe, clock));
            cfg.routes.get("/secrets/<arn>", ctx -> secretPage(ctx, ctx.pathParam("arn"), service, auth, probe, clock));
            cfg.routes.get("/principals", ctx -> ctx.html(Pages.principals(service.principals(filters(ctx, clock), text(ctx, "q"),
                    intParam(ctx, "page", 1), intParam(ctx, "pageSize", 50)), view(ctx, auth, service, probe))));
            cfg.routes.get("/principal", ctx -> principalPage(ctx, required(ctx, "arn"), service, auth, probe, clock));
            cfg.routes.get("/principals/<arn>", ctx -> principalPage(ctx, ctx.pathParam("arn"), service, auth, probe, clock));
            cfg.routes.get("/alerts", ctx -> ctx.html(Pages.alerts(alerts(ctx, service, clock),
                    rules.all().stream().map(Rule::id).toList(), view(ctx, auth, service, probe))));
            cfg.routes.post("/alerts/action", ctx -> {
                csrf(auth, ctx);
                act(ctx, service, auth, clock, ctx.formParam("action"), ctx.formParam("rule"), ctx.formParam("resource"),
                        ctx.formParam("principal"), ctx.formParam("reason"), ctx.formParam("expires"));
                ctx.redirect("/alerts");
            });
            cfg.routes.get("/cost", ctx -> ctx.html(Pages.cost(service.cost(), view(ctx, auth, service, probe))));
            cfg.routes.get("/api/docs", ctx -> ctx.html(Pages.swagger()));
            cfg.routes.get("/webhooks", ctx -> ctx.html(Pages.webhooks(webhooks(deliverer, hooks), view(ctx, auth, service, probe))));
            cfg.routes.post("/webhooks/{name}/test", ctx -> {
                csrf(auth, ctx);
                test(hooks, deliverer, ctx.pathParam("name"));
                ctx.redirect("/webhooks");
            });
            cfg.routes.get("/api/v1/webhooks", ctx -> json(ctx, webhooks(deliverer, hooks)));
            cfg.routes.get("/api/v1/webhooks/{name}/deliveries", ctx -> {
                WebhookConfig w = hook(hooks, ctx.pathParam("name"));
                json(ctx, deliveries(deliverer, w.name(), Math.min(1000, Math.max(1, intParam(ctx, "limit", 100)))));
            });
            cfg.routes.post("/api/v1/webhooks/{name}/test", ctx -> {
                csrf(auth, ctx);
                json(ctx, test(hooks, deliverer, ctx.pathParam("name")));
            });

            // ---- API
            cfg.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(resource("/web/openapi.json")));
            cfg.routes.get("/api/v1/status", ctx -> {
                Map<String, Object> out = JSON.convertValue(service.status(), new com.fasterxml.jackson.core.type.TypeReference<>() {});
                out.put("sources", probe.sources());
                json(ctx, out);
            });
            cfg.routes.get("/api/v1/overview", ctx -> json(ctx, service.overview(filters(ctx, clock))));
            cfg.routes.get("/api/v1/secrets", ctx -> json(ctx, secrets(ctx, service, clock)));
            cfg.routes.get("/api/v1/secret", ctx -> secretJson(ctx, required(ctx, "arn"), service, clock));
            cfg.routes.get("/api/v1/secrets/<arn>", ctx -> secretJson(ctx, ctx.pathParam("arn"), service, clock));
            cfg.routes.get("/api/v1/principals", ctx -> json(ctx, service.principals(filters(ctx, clock), text(ctx, "q"),
                    intParam(ctx, "page", 1), intParam(ctx, "pageSize", 50))));
            cfg.routes.get("/api/v1/principal", ctx -> principalJson(ctx, required(ctx, "arn"), service, clock));
            cfg.routes.get("/api/v1/principals/<arn>", ctx -> principalJson(ctx, ctx.pathParam("arn"), service, clock));
            cfg.routes.get("/api/v1/access", ctx -> json(ctx, service.access(filters(ctx, clock), text(ctx, "secret"), text(ctx, "principal"),
                    intParam(ctx, "page", 1), intParam(ctx, "pageSize", 100))));
            cfg.routes.get("/api/v1/alerts", ctx -> json(ctx, alerts(ctx, service, clock)));
            cfg.routes.post("/api/v1/alerts/actions", ctx -> {
                csrf(auth, ctx);
                var body = JsonBody.object(ctx.body());
                act(ctx, service, auth, clock, JsonBody.text(body, "action"), JsonBody.text(body, "rule"), JsonBody.text(body, "resource"),
                        JsonBody.text(body, "principal"), JsonBody.text(body, "reason"), JsonBody.text(body, "expires"));
                ctx.status(201);
                json(ctx, Map.of("status", "recorded"));
            });
            cfg.routes.get("/api/v1/cost", ctx -> {
                if (service.cost() == null) {
                    throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
                }
                json(ctx, service.cost());
            });
            cfg.routes.get("/api/v1/rules", ctx -> json(ctx, rules.all().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("title", r.title());
                m.put("severity", r.severity());
                m.put("description", r.description());
                m.put("runbook", r.runbook());
                m.put("reference", r.reference());
                m.put("parameters", r.parameters().stream().map(WebServer::parameter).toList());
                return m;
            }).toList()));
            cfg.routes.get("/api/v1/report", ctx -> {
                Report r = service.report();
                if (r == null) {
                    throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ReportWriter.json(r, out);
                ctx.contentType("application/json").result(out.toByteArray());
            });
        });
        app.start(config.host(), config.port());
        return new WebServer(app);
    }

    private static void secretPage(Context ctx, String arn, DashboardService service, Auth auth, ProcessProbe probe, Clock clock)
            throws Exception {
        var d = service.secret(arn, filters(ctx, clock));
        if (d == null) {
            ctx.status(404).html(Pages.notFound("No secret " + arn, view(ctx, auth, service, probe)));
        } else {
            ctx.html(Pages.secret(d, view(ctx, auth, service, probe)));
        }
    }

    private static void principalPage(Context ctx, String principal, DashboardService service, Auth auth,
                                      ProcessProbe probe, Clock clock) throws Exception {
        var rows = service.access(filters(ctx, clock), null, principal, 1, 1000).items();
        PolicyService.Policy policy = service.policy(principal, clock.instant());
        ctx.html(Pages.principal(principal, rows, policy.json(), policy.grouped(), view(ctx, auth, service, probe)));
    }

    private static void secretJson(Context ctx, String arn, DashboardService service, Clock clock) throws Exception {
        var d = service.secret(arn, filters(ctx, clock));
        if (d == null) {
            throw new HttpError(404, "not_found", "no secret " + arn);
        }
        json(ctx, d);
    }

    private static void principalJson(Context ctx, String principal, DashboardService service, Clock clock)
            throws Exception {
        var rows = service.access(filters(ctx, clock), null, principal, 1, 1000).items();
        if (rows.isEmpty()) {
            throw new HttpError(404, "not_found", "no principal " + principal);
        }
        PolicyService.Policy p = service.policy(principal, clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("principal", principal);
        out.put("secrets", rows);
        out.put("policy", JSON.readTree(p.json()));
        out.put("policyGrouping", p.grouping().name().toLowerCase(java.util.Locale.ROOT));
        json(ctx, out);
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(name + ": required");
        }
        return v;
    }

    /** Refuses a request naming a host or origin not this dashboard's (DNS rebinding; see {@link HostGuard}). */
    static void guard(HostGuard guard, Context ctx) {
        String origin = ctx.header("Origin");
        boolean probe = (ctx.path().equals("/health/live") || ctx.path().equals("/health/ready")) && origin == null
                && (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD"));
        if (probe) {
            return;
        }
        if (!guard.hostAllowed(ctx.header("Host"))) {
            throw new HttpError(421, "host_not_allowed", "this dashboard does not answer to the host name in the request (Host: "
                    + Text.visible(String.valueOf(ctx.header("Host"))) + "); add it to web.allowedHosts or web.publicUrl");
        }
        if (origin != null && !guard.originAllowed(origin)) {
            throw new HttpError(403, "origin_not_allowed", "requests from " + Text.visible(origin) + " are not accepted;"
                    + " add its host to web.allowedHosts or web.publicUrl");
        }
    }

    /** A request with an Authorization header tries the token: throttled per address like the login form. */
    private static void bearerAttempt(Auth auth, Context ctx) {
        Duration wait = auth.throttle().wait(ctx.ip());
        if (!wait.isZero()) {
            ctx.header("Retry-After", Long.toString(retryAfter(wait)));
            throw new HttpError(429, "too_many_attempts", "too many failed attempts with a wrong token from " + ctx.ip()
                    + "; retry in " + retryAfter(wait) + " s");
        }
        if (auth.bearer(ctx)) {
            auth.throttle().succeeded(ctx.ip());
        } else {
            auth.throttle().failed(ctx.ip());
        }
    }

    /** Whole seconds, rounded up: Retry-After never says 0 while the wait lasts. */
    static long retryAfter(Duration wait) {
        return (wait.toMillis() + 999) / 1000;
    }

    static String scrape(DashboardService service, Metrics metrics, Map<String, Double> extra) throws java.sql.SQLException {
        StringBuilder out = new StringBuilder(4096);
        Status s = service.status();
        Gauges g = service.gauges();
        Metrics.family(out, "secrettrail_events_stored", "gauge", "Unique Secrets Manager events in DuckDB.", Map.of(Map.of(), s.events()));
        Metrics.family(out, "secrettrail_secret_keys", "gauge", "Distinct secret references seen in events.", Map.of(Map.of(), s.secrets()));
        Metrics.family(out, "secrettrail_store_version", "counter", "Committed batches since the process started.",
                Map.of(Map.of(), s.version()));
        Map<Map<String, String>, Long> counters = new LinkedHashMap<>();
        g.counters().forEach((k, v) -> counters.put(Map.of("kind", k), v));
        Metrics.family(out, "secrettrail_records_dropped_total", "counter",
                "Records stored events did not take: duplicates (same eventID) and undecodable messages.", counters);
        Map<Map<String, String>, Long> alerts = new LinkedHashMap<>();
        g.alerts().forEach((k, v) -> alerts.put(Map.of("rule", k.get(0), "severity", k.get(1)), v));
        Metrics.family(out, "secrettrail_alerts", "gauge", "Alarms of the latest report, by rule and severity.", alerts);
        Map<Map<String, String>, Long> deliveries = new LinkedHashMap<>();
        g.deliveries().forEach((k, v) -> deliveries.put(Map.of("webhook", k.get(0), "status", k.get(1)), v));
        Metrics.family(out, "secrettrail_webhook_deliveries", "gauge", "Webhook deliveries in the outbox, by webhook and status.", deliveries);
        Metrics.family(out, "secrettrail_report_build_seconds", "gauge", "How long the latest background report took.",
                Map.of(Map.of(), s.reportBuildSeconds()));
        CacheStats cache = service.cacheStats();
        Metrics.family(out, "secrettrail_dashboard_cache_entries", "gauge", "Results the dashboard keeps (bounded; least recently used out).",
                Map.of(Map.of(), (long) cache.entries()));
        Metrics.family(out, "secrettrail_dashboard_cache_bytes", "gauge", "Estimated heap of the dashboard's cached results (bounded).",
                Map.of(Map.of(), cache.bytes()));
        Metrics.writeGauges(out, extra);
        metrics.writeLatency(out);
        return out.toString();
    }

    private static WebhookConfig hook(WebhookSettings hooks, String name) {
        return hooks.webhooks().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new HttpError(404, "not_found", "no webhook " + name));
    }

    private static Deliverer.Attempt test(WebhookSettings hooks, Deliverer deliverer, String name) {
        WebhookConfig w = hook(hooks, name);
        if (deliverer == null) {
            throw new HttpError(404, "not_found", "webhooks are not running in this process");
        }
        return deliverer.test(w);
    }

    /** Each webhook (URL masked) with its delivery counts and latest deliveries. */
    static List<Map<String, Object>> webhooks(Deliverer deliverer, WebhookSettings hooks) throws java.sql.SQLException {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (WebhookConfig w : hooks.webhooks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", w.name());
            m.put("format", w.format());
            m.put("url", w.maskedUrl());
            m.put("minSeverity", w.minSeverity());
            m.put("rules", new java.util.TreeSet<>(w.rules()));
            m.put("notifyClear", w.notifyClear());
            m.put("perMinute", w.perMinute());
            List<Map<String, Object>> log = deliveries(deliverer, w.name(), 50);
            Map<String, Long> counts = new java.util.TreeMap<>();
            log.forEach(d -> counts.merge((String) d.get("status"), 1L, Long::sum));
            m.put("recentByStatus", counts);
            m.put("deliveries", log);
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> parameter(Parameter p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("type", p.type());
        m.put("default", p.defaultValue());
        m.put("min", p.min());
        m.put("max", p.max());
        m.put("allowed", p.allowed());
        m.put("description", p.description());
        return m;
    }

    /** A webhook's latest deliveries; none where webhooks do not run in this process. */
    private static List<Map<String, Object>> deliveries(Deliverer deliverer, String webhook, int limit) throws java.sql.SQLException {
        return deliverer == null ? List.of() : deliverer.deliveries(webhook, limit);
    }

    private static void act(Context ctx, DashboardService service, Auth auth, Clock clock, String action, String rule, String resource,
                            String principal, String reason, String expires) throws java.sql.SQLException {
        Instant until = null;
        if (expires != null && !expires.isBlank()) {
            try {
                until = expires.length() == 10 ? LocalDate.parse(expires).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : Instant.parse(expires);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expires: expected a date (2026-12-31) or an instant, was " + expires);
            }
        }
        service.act(action, rule, resource, principal, reason, until, auth.actor(ctx), clock.instant());
    }

    private static void csrf(Auth auth, Context ctx) {
        if (!auth.csrfOk(ctx, ctx.contentType() != null && ctx.contentType().startsWith("application/x-www-form-urlencoded")
                ? ctx.formParam("csrf") : null)) {
            throw new HttpError(403, "csrf", "missing or wrong CSRF token (X-CSRF-Token header or csrf form field)");
        }
    }

    private static Page<SecretRow> secrets(Context ctx, DashboardService s, Clock clock)
            throws java.sql.SQLException {
        return s.secrets(filters(ctx, clock), text(ctx, "q"), text(ctx, "tag"), bool(ctx, "hasAlert"), sort(ctx),
                !"asc".equals(ctx.queryParam("dir")), intParam(ctx, "page", 1), intParam(ctx, "pageSize", 50));
    }

    private static Page<AlertRow> alerts(Context ctx, DashboardService s, Clock clock)
            throws java.sql.SQLException {
        String severity = text(ctx, "severity");
        if (severity != null && !List.of("critical", "high", "medium", "low").contains(severity)) {
            throw new IllegalArgumentException("severity: must be one of critical, high, medium, low, was " + severity);
        }
        return s.alerts(filters(ctx, clock), text(ctx, "rule"), severity, text(ctx, "status"), clock.instant(),
                intParam(ctx, "page", 1), intParam(ctx, "pageSize", 100));
    }

    private static String sort(Context ctx) {
        String s = text(ctx, "sort");
        return s == null ? "calls" : s;
    }

    /** Range (days=N back from today, or from/to dates) and account/region, checked. */
    static Filters filters(Context ctx, Clock clock) {
        LocalDate from = date(ctx, "from");
        LocalDate to = date(ctx, "to");
        String days = text(ctx, "days");
        if (days != null) {
            int n = intParam(ctx, "days", 0);
            if (n < 1 || n > 3650) {
                throw new IllegalArgumentException("days: must be 1..3650, was " + days);
            }
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            from = today.minusDays(n - 1L);
            to = today;
        }
        String account = text(ctx, "account");
        if (account != null && !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account: must be 12 digits, was " + account);
        }
        String region = text(ctx, "region");
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region: not a region name: " + region);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from: must not be after to");
        }
        return new Filters(from, to, account, region);
    }

    private static LocalDate date(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected a date like 2026-11-21, was " + v);
        }
    }

    static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Boolean bool(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(name + ": must be true or false, was " + v);
        }
        return Boolean.valueOf(v);
    }

    static int intParam(Context ctx, String name, int dflt) {
        String v = text(ctx, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a whole number, was " + v);
        }
    }

    private static Pages.View view(Context ctx, Auth auth, DashboardService service, ProcessProbe probe) throws java.sql.SQLException {
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !v.get(0).isBlank()) {
                params.put(k, v.get(0));
            }
        });
        Auth.Session s = auth.session(ctx);
        return new Pages.View(params, auth.csrf(ctx), service.status(), s == null ? null : s.actor(), probe.sources());
    }

    /**
     * Where to go after logging in: only a path on this server, never an open redirect. Browsers
     * drop tabs and line breaks from a URL and read a backslash as a slash, so {@code /<TAB>/evil.example}
     * and {@code /\evil.example} are {@code //evil.example}: another site. Refused (giving "/"): anything
     * not starting with a single "/", any control, space, backslash or non-ASCII character, and a
     * path with an empty segment ({@code //}) or a "." / ".." segment; checked on the value as sent,
     * then on the path part of each percent-decoding of it ({@code %09}, {@code %5C}, {@code %2F%2F},
     * doubly encoded too), so an encoded query value (an odd secret name) still goes through.
     */
    static String safeNext(String next) {
        if (next == null || next.isEmpty()) {
            return "/";
        }
        String layer = next;
        for (int round = 0; round < 4; round++) {
            if (!safePath(layer, round == 0)) {
                return "/";
            }
            if (layer.indexOf('%') < 0) {
                return next;
            }
            try {
                layer = java.net.URLDecoder.decode(layer.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "/";
            }
        }
        return "/";
    }

    /** @param whole check every character (the value as sent), else the path part only (a decoding of it) */
    private static boolean safePath(String s, boolean whole) {
        if (!s.startsWith("/")) {
            return false;
        }
        int end = s.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = s.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        for (int i = 0; i < (whole ? s.length() : end); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '\\') {
                return false;
            }
        }
        String[] segments = s.substring(1, end).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if ((seg.isEmpty() && !last) || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static void json(Context ctx, Object value) throws IOException {
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
    }

    static void error(Context ctx, int status, String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("code", code);
        e.put("message", message);
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(Map.of("error", e)));
        } catch (IOException ex) {
            ctx.status(status).result(code);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing " + name);
            }
            return in.readAllBytes();
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
