package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.SecretRow;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;

/** The exports: the latest report as schema v1 JSON, and the secrets table as CSV. */
final class ReportRoutes {
    private static final List<String> CSV_COLUMNS = List.of(
            "arn",
            "name",
            "account",
            "region",
            "calls",
            "errors",
            "principals",
            "lastAccessed",
            "lastRotated",
            "rotation",
            "monthToDateUsd",
            "projectedUsd",
            "tags",
            "alerts",
            "exists");
    private final DashboardService service;
    private final Clock clock;

    ReportRoutes(DashboardService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** The report as {@code analyze} writes it (the report writer's bytes, not the API's mapper). */
    void report(Context ctx) throws Exception {
        Report r = service.report();
        if (r == null) {
            throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(r, out);
        ctx.contentType("application/json").result(out.toByteArray());
    }

    void secretsCsv(Context ctx) throws Exception {
        Page<SecretRow> p = Params.secretsExport(ctx, service, clock);
        StringWriter w = new StringWriter();
        ReportWriter.rows(
                w,
                CSV_COLUMNS,
                p.items().stream()
                        .map(s -> List.of(
                                s.arn(),
                                s.name(),
                                nz(s.account()),
                                nz(s.region()),
                                Long.toString(s.calls()),
                                Long.toString(s.errors()),
                                Long.toString(s.principals()),
                                nz(s.lastAccessed()),
                                nz(s.lastRotated()),
                                s.rotation(),
                                nz(Usd.amount(s.monthToDateUsdExact(), s.monthToDateUsd())),
                                nz(Usd.amount(s.projectedUsdExact(), s.projectedUsd())),
                                String.join(" ", s.tags()),
                                String.join(" ", s.alerts()),
                                s.exists() == null ? "" : s.exists().toString()))
                        .toList());
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"secrets.csv\"")
                .result(w.toString());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
