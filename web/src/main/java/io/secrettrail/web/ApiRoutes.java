package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.dashboard.AlertActions;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.core.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The JSON API under {@code /api/v1}: parameters checked, the dashboard asked, a record answered. */
final class ApiRoutes {
    private final DashboardService service;
    private final RuleCatalog rules;
    private final Auth auth;
    private final ProcessProbe probe;
    private final Clock clock;

    ApiRoutes(DashboardService service, RuleCatalog rules, Auth auth, ProcessProbe probe, Clock clock) {
        this.service = service;
        this.rules = rules;
        this.auth = auth;
        this.probe = probe;
        this.clock = clock;
    }

    void status(Context ctx) throws Exception {
        ctx.json(new Bodies.StatusBody(service.status(), probe.sources()));
    }

    void overview(Context ctx) throws Exception {
        ctx.json(service.overview(Params.filters(ctx, clock)));
    }

    void secrets(Context ctx) throws Exception {
        ctx.json(Params.secrets(ctx, service, clock));
    }

    void secretByQuery(Context ctx) throws Exception {
        secret(ctx, Params.required(ctx, "arn"));
    }

    void secretByPath(Context ctx) throws Exception {
        secret(ctx, ctx.pathParam("arn"));
    }

    private void secret(Context ctx, String arn) throws Exception {
        var d = service.secret(arn, Params.filters(ctx, clock));
        if (d == null) {
            throw new HttpError(404, "not_found", "no secret " + arn);
        }
        ctx.json(d);
    }

    void principals(Context ctx) throws Exception {
        ctx.json(Params.principals(ctx, service, clock));
    }

    void principalByQuery(Context ctx) throws Exception {
        principal(ctx, Params.required(ctx, "arn"));
    }

    void principalByPath(Context ctx) throws Exception {
        principal(ctx, ctx.pathParam("arn"));
    }

    private void principal(Context ctx, String principal) throws Exception {
        var rows = service.access(Params.filters(ctx, clock), null, principal, 1, 1000)
                .items();
        if (rows.isEmpty()) {
            throw new HttpError(404, "not_found", "no principal " + principal);
        }
        var p = service.policy(principal, clock.instant());
        ctx.json(new Bodies.PrincipalBody(
                principal,
                rows,
                Json.mapper().readTree(p.json()),
                p.grouping().name().toLowerCase(java.util.Locale.ROOT)));
    }

    void access(Context ctx) throws Exception {
        ctx.json(service.access(
                Params.filters(ctx, clock),
                Params.text(ctx, "secret"),
                Params.text(ctx, "principal"),
                Params.intParam(ctx, "page", 1),
                Params.intParam(ctx, "pageSize", 100)));
    }

    void alerts(Context ctx) throws Exception {
        ctx.json(Params.alerts(ctx, service, clock));
    }

    /** One incident's alert, as in the alerts list. */
    void incident(Context ctx) throws Exception {
        ctx.json(Params.incident(ctx, service, clock));
    }

    /**
     * An acknowledgement or suppression as JSON: {@code {"action", "rule", "resource", "principal", "incident",
     * "reason", "expires"}}; {@code incident} (optional) narrows it to one incident.
     */
    void alertAction(Context ctx) throws Exception {
        Guards.csrf(auth, ctx);
        var body = JsonBody.object(ctx.body());
        act(
                ctx,
                JsonBody.text(body, "action"),
                JsonBody.text(body, "rule"),
                JsonBody.text(body, "resource"),
                JsonBody.text(body, "principal"),
                JsonBody.text(body, "incident"),
                JsonBody.text(body, "reason"),
                JsonBody.text(body, "expires"));
        ctx.status(201).json(Bodies.Recorded.RECORDED);
    }

    /** The same from the alerts page's form. */
    void alertForm(Context ctx) throws Exception {
        Guards.csrf(auth, ctx);
        act(
                ctx,
                ctx.formParam("action"),
                ctx.formParam("rule"),
                ctx.formParam("resource"),
                ctx.formParam("principal"),
                ctx.formParam("incident"),
                ctx.formParam("reason"),
                ctx.formParam("expires"));
        String incident = ctx.formParam("incident");
        ctx.redirect(
                incident != null && AlertActions.INCIDENT_ID.matcher(incident).matches()
                        ? "/alerts/incident/" + incident
                        : "/alerts");
    }

    private void act(
            Context ctx,
            String action,
            String rule,
            String resource,
            String principal,
            String incident,
            String reason,
            String expires)
            throws java.sql.SQLException {
        Instant until = null;
        if (expires != null && !expires.isBlank()) {
            try {
                until = expires.length() == 10
                        ? LocalDate.parse(expires).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : Instant.parse(expires);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "expires: expected a date (2026-12-31) or an instant, was " + expires);
            }
        }
        service.act(action, rule, resource, principal, incident, reason, until, auth.actor(ctx), clock.instant());
    }

    void cost(Context ctx) throws Exception {
        if (service.cost() == null) {
            throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
        }
        ctx.json(service.cost());
    }

    /** The Cost page's figures: one month ({@code month}, default the open one) in the filters' scope. */
    void costMonths(Context ctx) throws Exception {
        var page = service.costPage(Params.filters(ctx, clock), Params.month(ctx));
        if (page == null) {
            throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
        }
        ctx.json(page);
    }

    /** The Reconciliation page's figures; 404 without billing data. */
    void reconciliation(Context ctx) throws Exception {
        if (service.report() == null) {
            throw new HttpError(503, "not_ready", "the first report is being built; retry shortly");
        }
        var filters = Params.filters(ctx, clock);
        if (filters.team() != null) {
            // billing data names accounts and regions, not teams: a silently whole-account answer would mislead
            throw new HttpError(
                    400,
                    "team_not_applicable",
                    "AWS bills per account and region, not per team: ask without team (a team's computed cost is"
                            + " /api/v1/cost/months?team=)");
        }
        var page = service.reconciliation(filters);
        if (page == null) {
            throw new HttpError(
                    404,
                    "not_found",
                    "no billing data: analyze with --cur or --cost-explorer, or set aws.billing.cur / aws.billing.costExplorer");
        }
        ctx.json(page);
    }

    void rules(Context ctx) {
        ctx.json(rules.all().stream().map(Bodies.RuleBody::of).toList());
    }

    void openApi(Context ctx) throws java.io.IOException {
        ctx.contentType("application/json").result(Resources.bytes("/web/openapi.json"));
    }
}
