package io.secrettrail.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one health contract of both servers (the dashboard's and {@link ProbeServer}):
 * {@code GET /health/live} is 200 {@code {"status": "up"}} while the process runs;
 * {@code GET /health/ready} is 200 {@code {"status": "ready", "checks": {...}}} when every check
 * passes, else 503 {@code "not ready"} with the same checks, so the failing one is named.
 */
final class Health {
    static final Bodies.HealthBody LIVE = new Bodies.HealthBody("up", null);
    private final Supplier<Map<String, Boolean>> checks;

    /** @param checks evaluated on each readiness request, in the order shown */
    Health(Supplier<Map<String, Boolean>> checks) {
        this.checks = checks;
    }

    /** The readiness answer now. */
    Bodies.HealthBody ready() {
        Map<String, Boolean> now = new LinkedHashMap<>(checks.get());
        boolean ready = now.values().stream().allMatch(Boolean::booleanValue);
        return new Bodies.HealthBody(ready ? "ready" : "not ready", now);
    }

    void live(Context ctx) {
        ctx.json(LIVE);
    }

    void ready(Context ctx) {
        Bodies.HealthBody answer = ready();
        ctx.status(answer.status().equals("ready") ? 200 : 503).json(answer);
    }
}
