package io.secrettrail.web;

import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;

import io.javalin.Javalin;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;

/**
 * The dashboard's first page and the report as JSON, served by Javalin from the process that owns
 * the DuckDB file. Handlers only render what the report source gives them.
 */
public final class WebServer implements AutoCloseable {
    /** No script, no inline style from outside, nothing from another origin. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    public static WebServer start(WebConfig config, Supplier<Report> reports) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.startupWatcherEnabled = false;
            cfg.startup.showJavalinBanner = false;
            cfg.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
            });
            cfg.routes.get("/", ctx -> ctx.html(OverviewPage.render(reports.get())));
            cfg.routes.get("/api/v1/report", ctx -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ReportWriter.json(reports.get(), out);
                ctx.contentType("application/json").result(out.toByteArray());
            });
        });
        app.start(config.host(), config.port());
        return new WebServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
