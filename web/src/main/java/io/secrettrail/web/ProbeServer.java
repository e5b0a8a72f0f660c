package io.secrettrail.web;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.secrettrail.core.Json;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Health and metrics for a process with no dashboard ({@code ingest}): the dashboard's health
 * contract ({@link Health}: {@code /health/live}, {@code /health/ready} 200 when every check passes,
 * else 503 naming it) and {@code /metrics} in Prometheus text. Off loopback, {@code /metrics} needs
 * the Bearer token (the health checks never do).
 */
public final class ProbeServer implements AutoCloseable {
    private final Javalin app;

    private ProbeServer(Javalin app) {
        this.app = app;
    }

    public static ProbeServer start(
            WebConfig config, Supplier<Map<String, Boolean>> readiness, Supplier<Map<String, Double>> gauges) {
        HostGuard guard = new HostGuard(config);
        Health health = new Health(readiness);
        Metrics metrics = Metrics.process(gauges);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.startupWatcherEnabled = false;
            cfg.startup.showJavalinBanner = false;
            // compact: what probes and scripts read here has always been one line
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            // the dashboard's DNS-rebinding guard: probes (GET /health/* without Origin) pass whatever the Host
            cfg.routes.before(ctx -> Guards.host(guard, ctx));
            cfg.routes.exception(HttpError.class, (e, ctx) -> Errors.write(ctx, e.status, e.code, e.getMessage()));
            cfg.routes.get("/health/live", health::live);
            cfg.routes.get("/health/ready", health::ready);
            cfg.routes.get("/metrics", ctx -> {
                String h = ctx.header("Authorization");
                if (config.token() != null
                        && !(h != null
                                && h.startsWith("Bearer ")
                                && Auth.same(h.substring(7).trim(), config.token()))) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    Errors.write(ctx, 401, "unauthorized", "an access token is required (Authorization: Bearer TOKEN)");
                    return;
                }
                ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
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
