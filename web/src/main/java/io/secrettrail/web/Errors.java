package io.secrettrail.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.secrettrail.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one error shape of both servers, {@code {"error": {"status", "code", "message"}}}, and the exception mappers writing it. */
final class Errors {
    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /** Maps every exception a handler may throw to the error shape. */
    static void register(JavalinConfig cfg, long maxBody) {
        cfg.routes.exception(HttpError.class, (e, ctx) -> write(ctx, e.status, e.code, e.getMessage()));
        // Javalin's own refusals (a body over cfg.http.maxRequestSize, an unknown route...) in the one shape too
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 413 -> write(ctx, 413, "too_large", "the request body is larger than " + maxBody + " bytes");
                case 404 -> write(ctx, 404, "not_found", "no such page or resource: " + ctx.path());
                default ->
                    write(
                            ctx,
                            e.getStatus(),
                            e.getStatus() < 500 ? "bad_request" : "internal",
                            String.valueOf(e.getMessage()));
            }
        });
        cfg.routes.exception(
                IllegalArgumentException.class, (e, ctx) -> write(ctx, 400, "bad_request", e.getMessage()));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.warn("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal", "internal error; see the server log");
        });
    }

    /** Indented on both servers, as the dashboard's API answers are. */
    static void write(Context ctx, int status, String code, String message) {
        try {
            ctx.status(status)
                    .contentType("application/json")
                    .result(Json.indented().writeValueAsBytes(new Bodies.ErrorBody(status, code, message)));
        } catch (java.io.IOException ex) {
            ctx.status(status).result(code);
        }
    }
}
