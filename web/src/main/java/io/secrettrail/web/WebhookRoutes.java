package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookConfig;
import io.secrettrail.analytics.alerts.WebhookSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The webhooks page and API: each webhook with its recent deliveries, and a test message on demand. */
final class WebhookRoutes {
    private final WebhookSettings hooks;
    /** Null when webhooks do not run in this process. */
    private final Deliverer deliverer;

    private final Auth auth;
    private final PageRoutes pages;

    WebhookRoutes(WebhookSettings hooks, Deliverer deliverer, Auth auth, PageRoutes pages) {
        this.hooks = hooks;
        this.deliverer = deliverer;
        this.auth = auth;
        this.pages = pages;
    }

    void page(Context ctx) throws Exception {
        ctx.html(Pages.webhooks(webhooks(), pages.view(ctx)));
    }

    void testFromPage(Context ctx) {
        Guards.csrf(auth, ctx);
        test(ctx.pathParam("name"));
        ctx.redirect("/webhooks");
    }

    void list(Context ctx) throws Exception {
        ctx.json(webhooks());
    }

    void deliveries(Context ctx) throws Exception {
        WebhookConfig w = hook(ctx.pathParam("name"));
        ctx.json(deliveries(w.name(), Math.min(1000, Math.max(1, Params.intParam(ctx, "limit", 100)))));
    }

    void testFromApi(Context ctx) {
        Guards.csrf(auth, ctx);
        ctx.json(test(ctx.pathParam("name")));
    }

    private WebhookConfig hook(String name) {
        return hooks.webhooks().stream()
                .filter(w -> w.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new HttpError(404, "not_found", "no webhook " + name));
    }

    private Deliverer.Attempt test(String name) {
        WebhookConfig w = hook(name);
        if (deliverer == null) {
            throw new HttpError(404, "not_found", "webhooks are not running in this process");
        }
        return deliverer.test(w);
    }

    /** Each webhook (URL masked) with its delivery counts and latest deliveries. */
    private List<WebhookView> webhooks() throws java.sql.SQLException {
        List<WebhookView> out = new ArrayList<>();
        for (WebhookConfig w : hooks.webhooks()) {
            List<Map<String, Object>> log = deliveries(w.name(), 50);
            TreeMap<String, Long> counts = new TreeMap<>();
            log.forEach(d -> counts.merge((String) d.get("status"), 1L, Long::sum));
            out.add(new WebhookView(
                    w.name(),
                    w.format(),
                    w.maskedUrl(),
                    w.minSeverity(),
                    new TreeSet<>(w.rules()),
                    w.notifyClear(),
                    w.perMinute(),
                    counts,
                    log));
        }
        return out;
    }

    /** A webhook's latest deliveries; none where webhooks do not run in this process. */
    private List<Map<String, Object>> deliveries(String webhook, int limit) throws java.sql.SQLException {
        return deliverer == null ? List.of() : deliverer.deliveries(webhook, limit);
    }
}
