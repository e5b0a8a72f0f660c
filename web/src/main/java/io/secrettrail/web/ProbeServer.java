package io.secrettrail.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;

/**
 * Health and metrics for a process with no dashboard ({@code ingest}): {@code /health/live},
 * {@code /health/ready} (200 when every check passes, else 503 naming it) and {@code /metrics} in
 * Prometheus text. Off loopback, {@code /metrics} needs the Bearer token (the health checks never do).
 */
public final class ProbeServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Javalin app;

    private ProbeServer(Javalin app) {
        this.app = app;
    }

    public static ProbeServer start(WebConfig config, Supplier<Map<String, Boolean>> readiness, Supplier<Map<String, Double>> gauges) {
        HostGuard guard = new HostGuard(config);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.startupWatcherEnabled = false;
            cfg.startup.showJavalinBanner = false;
            // the dashboard's DNS-rebinding guard: probes (GET /health/* without Origin) pass whatever the Host
            cfg.routes.before(ctx -> WebServer.guard(guard, ctx));
            cfg.routes.exception(WebServer.HttpError.class, (e, ctx) -> WebServer.error(ctx, e.status, e.code, e.getMessage()));
            cfg.routes.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"live\"}"));
            cfg.routes.get("/health/ready", ctx -> {
                Map<String, Boolean> checks = new LinkedHashMap<>(readiness.get());
                boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
                ctx.status(ready ? 200 : 503).contentType("application/json")
                        .result(JSON.writeValueAsBytes(Map.of("status", ready ? "ready" : "not ready", "checks", checks)));
            });
            cfg.routes.get("/metrics", ctx -> {
                String h = ctx.header("Authorization");
                if (config.token() != null && !(h != null && h.startsWith("Bearer ") && Auth.same(h.substring(7).trim(), config.token()))) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    WebServer.error(ctx, 401, "unauthorized", "an access token is required (Authorization: Bearer TOKEN)");
                    return;
                }
                StringBuilder out = new StringBuilder();
                Metrics.writeGauges(out, gauges.get());
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
            });
        });
        app.start(config.host(), config.port());
        return new ProbeServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
