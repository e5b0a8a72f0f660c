package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dashboard's HTML pages: parameters checked, the dashboard asked, a template rendered. */
final class PageRoutes {
    private final DashboardService service;
    private final RuleCatalog rules;
    private final Auth auth;
    private final ProcessProbe probe;
    private final Clock clock;

    PageRoutes(DashboardService service, RuleCatalog rules, Auth auth, ProcessProbe probe, Clock clock) {
        this.service = service;
        this.rules = rules;
        this.auth = auth;
        this.probe = probe;
        this.clock = clock;
    }

    void overview(Context ctx) throws Exception {
        ctx.html(Pages.overview(service.overview(Params.filters(ctx, clock)), view(ctx)));
    }

    void secrets(Context ctx) throws Exception {
        ctx.html(Pages.secrets(Params.secrets(ctx, service, clock), view(ctx)));
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
            ctx.status(404).html(Pages.notFound("No secret " + arn, view(ctx)));
        } else {
            ctx.html(Pages.secret(d, view(ctx)));
        }
    }

    void principals(Context ctx) throws Exception {
        ctx.html(Pages.principals(Params.principals(ctx, service, clock), view(ctx)));
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
        PolicyService.Policy policy = service.policy(principal, clock.instant());
        ctx.html(Pages.principal(principal, rows, policy.json(), policy.grouped(), view(ctx)));
    }

    void alerts(Context ctx) throws Exception {
        ctx.html(Pages.alerts(
                Params.alerts(ctx, service, clock),
                rules.all().stream().map(Rule::id).toList(),
                view(ctx)));
    }

    void incident(Context ctx) throws Exception {
        ctx.html(Pages.incident(Params.incident(ctx, service, clock), view(ctx)));
    }

    void cost(Context ctx) throws Exception {
        ctx.html(Pages.cost(service.costPage(Params.filters(ctx, clock), Params.month(ctx)), view(ctx)));
    }

    void reconciliation(Context ctx) throws Exception {
        ctx.html(Pages.reconciliation(service.reconciliation(Params.filters(ctx, clock)), view(ctx)));
    }

    void apiDocs(Context ctx) {
        ctx.html(Pages.swagger());
    }

    /** What every page needs besides its data. */
    Pages.View view(Context ctx) throws java.sql.SQLException {
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !v.get(0).isBlank()) {
                params.put(k, v.get(0));
            }
        });
        Auth.Session s = auth.session(ctx);
        return new Pages.View(params, auth.csrf(ctx), service.status(), s == null ? null : s.actor(), probe.sources());
    }
}
