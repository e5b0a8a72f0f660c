package io.secrettrail.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.dashboard.Access;
import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.CostPage;
import io.secrettrail.analytics.dashboard.Overview;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.PrincipalRow;
import io.secrettrail.analytics.dashboard.ReconciliationPage;
import io.secrettrail.analytics.dashboard.SecretDetail;
import io.secrettrail.analytics.dashboard.SecretRow;
import io.secrettrail.analytics.dashboard.Status;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's pages: jte templates ({@code src/main/jte}, compiled to Java at build time)
 * rendered through {@link VisibleHtmlOutput}, so every value is escaped where it is written without
 * a call in the template. The only script is /assets/app.js (live reload, copy button), allowed by a
 * CSP with no inline code. This class holds what the templates need besides their data: the links,
 * the fixed option lists, and the figures the cost charts plot.
 */
final class Pages {
    /** Precompiled templates only: nothing is compiled or read from disk at run time. Holds no request state. */
    private static final TemplateEngine TEMPLATES =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "io.secrettrail.web");

    static final String[][] NAV = {
        {"overview", "/", "Overview"},
        {"secrets", "/secrets", "Secrets"},
        {"principals", "/principals", "Principals"},
        {"alerts", "/alerts", "Alerts"},
        {"cost", "/cost", "Cost"},
        {"reconciliation", "/reconciliation", "Reconciliation"},
        {"webhooks", "/webhooks", "Webhooks"},
        {"api", "/api/docs", "API"}
    };
    static final String[][] RANGES = {
        {"", "all time"}, {"1", "last day"}, {"7", "last 7 days"}, {"30", "last 30 days"}, {"90", "last 90 days"}
    };
    static final String[][] HAS_ALERT = {{"", "any"}, {"true", "with alerts"}, {"false", "without"}};
    /** Sort key (empty: not sortable) and heading of each column of the secrets table. */
    static final String[][] SECRET_COLUMNS = {
        {"name", "name"},
        {"account", "account"},
        {"region", "region"},
        {"", "team"},
        {"calls", "calls"},
        {"principals", "principals"},
        {"lastAccessed", "last accessed"},
        {"lastRotated", "last rotated"},
        {"", "rotation"},
        {"projectedUsd", "projected"},
        {"alerts", "alerts"}
    };

    static final List<String> DELIVERY_COLUMNS = List.of(
            "createdAt",
            "kind",
            "rule",
            "severity",
            "resource",
            "status",
            "attempts",
            "lastStatus",
            "lastError",
            "latencyMs",
            "nextAttemptAt");

    private Pages() {}

    /** What every page needs besides its data: the filters as given, the CSRF token, the data version. */
    record View(
            Map<String, String> params,
            String csrf,
            Status status,
            String user,
            List<ProcessProbe.SourceState> sources) {
        /** The current query string with some parameters replaced (null removes). */
        String with(String... kv) {
            Map<String, String> p = new LinkedHashMap<>(params);
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i + 1] == null) {
                    p.remove(kv[i]);
                } else {
                    p.put(kv[i], kv[i + 1]);
                }
            }
            StringBuilder b = new StringBuilder();
            p.forEach((k, v) -> b.append(b.length() == 0 ? "?" : "&")
                    .append(enc(k))
                    .append('=')
                    .append(enc(v)));
            return b.toString();
        }

        /** Only the filters that apply across pages (the team too: every list narrows by it). */
        String filters() {
            StringBuilder b = new StringBuilder();
            for (String k : List.of("days", "from", "to", "account", "region", "team")) {
                if (params.get(k) != null) {
                    b.append(b.length() == 0 ? "?" : "&")
                            .append(enc(k))
                            .append('=')
                            .append(enc(params.get(k)));
                }
            }
            return b.toString();
        }
    }

    /**
     * One breakdown of the cost page: its chart's bars (the top 15), its table's lines (the top {@link #COST_ROWS})
     * and what the rest add up to (null when nothing is left out).
     */
    record CostDimension(
            String name, Map<String, BigDecimal> chart, List<MonthCost.Line> lines, MonthCost.Line others) {}

    /** Lines a cost table lists before it sums the rest into one "others" line. */
    static final int COST_ROWS = 50;

    /** Legend of the month-over-month chart; KMS only once the report carries it. */
    static List<String> monthLegend(CostPage p) {
        return p.months().stream().anyMatch(b -> b.kmsUsd() != null)
                ? List.of("secrets", "API calls", "KMS")
                : List.of("secrets", "API calls");
    }

    /** The month-over-month chart's bars: each month's parts, linked to its own page with the same filters. */
    static List<Svg.Stack> monthStacks(CostPage p, View v) {
        return p.months().stream()
                .map(b -> {
                    Map<String, BigDecimal> parts = new LinkedHashMap<>();
                    parts.put("secrets", b.secretsUsd());
                    parts.put("API calls", b.apiCallsUsd());
                    if (b.kmsUsd() != null) {
                        parts.put("KMS", b.kmsUsd());
                    }
                    return new Svg.Stack(
                            b.month() + (b.closed() ? "" : " (to date)"),
                            "/cost" + v.with("month", b.month()),
                            b.month().equals(p.month()),
                            parts);
                })
                .toList();
    }

    static Map<String, BigDecimal> monthToDateVsProjected(CostPage p) {
        Map<String, BigDecimal> mvp = new LinkedHashMap<>();
        mvp.put("month to date", p.totalUsd());
        mvp.put("projected", p.projectedUsd());
        return mvp;
    }

    /** Account, region, tag, principal and secret: the month's cost (projected for the open month, but principals). */
    static List<CostDimension> costDimensions(CostPage p) {
        List<CostDimension> out = new ArrayList<>();
        for (var dim : List.of(
                Map.entry("account", p.byAccount()),
                Map.entry("region", p.byRegion()),
                Map.entry("tag", p.byTag()),
                Map.entry("principal", p.byPrincipal()),
                Map.entry("secret", p.bySecret()))) {
            List<MonthCost.Line> lines = dim.getValue();
            Map<String, BigDecimal> chart = new LinkedHashMap<>();
            lines.stream().limit(15).forEach(l -> chart.put(l.key(), l.endUsd()));
            MonthCost.Line others = null;
            if (lines.size() > COST_ROWS) {
                BigDecimal calls = BigDecimal.ZERO;
                BigDecimal usd = BigDecimal.ZERO;
                BigDecimal proj = null;
                for (MonthCost.Line l : lines.subList(COST_ROWS, lines.size())) {
                    calls = calls.add(l.calls());
                    usd = usd.add(l.usd());
                    proj = l.projectedUsd() == null
                            ? proj
                            : (proj == null ? BigDecimal.ZERO : proj).add(l.projectedUsd());
                }
                others = new MonthCost.Line((lines.size() - COST_ROWS) + " others", calls, usd, proj);
                lines = lines.subList(0, COST_ROWS);
            }
            out.add(new CostDimension(dim.getKey(), chart, lines, others));
        }
        return out;
    }

    /** A billed or computed quantity (secret-months, requests) to four places at most; null stays null. */
    static String quantity(BigDecimal q) {
        if (q == null) {
            return null;
        }
        BigDecimal r = q.setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return (r.scale() < 0 ? r.setScale(0) : r).toPlainString();
    }

    /** Calls as a whole number (a secret's may be fractional: a call naming n secrets counts 1/n for each). */
    static String calls(BigDecimal calls) {
        return calls.setScale(0, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A path segment for an ARN: ARNs keep their slashes (routes take the rest of the path). */
    static String arnPath(String arn) {
        StringBuilder b = new StringBuilder();
        for (String part : arn.split("/", -1)) {
            // ':', '@' and '=' may stand in a path as they are; '+' is sent as %2B so no proxy reads a space
            b.append(b.length() == 0 ? "" : "/")
                    .append(enc(part).replace("%3A", ":").replace("%40", "@").replace("%3D", "="));
        }
        return b.toString();
    }

    /**
     * The link to a secret's page: its ARN as a query parameter. Percent-encoding in a path does not
     * survive browsers and Jetty ("%2e%2e" becomes "..", "%2F" is refused); a query parameter
     * carries any name exactly ("..", "%", "/", "?", "#" included).
     */
    static String secretHref(String arn, View v) {
        return "/secret?arn=" + enc(arn) + v.filters().replaceFirst("^\\?", "&");
    }

    /** The link to a principal's page, as {@link #secretHref}. */
    static String principalHref(String arn, View v) {
        return "/principal?arn=" + enc(arn) + v.filters().replaceFirst("^\\?", "&");
    }

    /** A loosely typed value (a map's) as text; null stays null, which the templates write as nothing. */
    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    static String overview(Overview o, View v) {
        return render("overview.jte", Map.of("o", o, "v", v));
    }

    static String secrets(Page<SecretRow> p, View v) {
        return render("secrets.jte", Map.of("p", p, "v", v));
    }

    static String secret(SecretDetail d, View v) {
        return render("secret.jte", Map.of("d", d, "v", v));
    }

    static String principals(Page<PrincipalRow> p, View v) {
        return render("principals.jte", Map.of("p", p, "v", v));
    }

    static String principal(String principal, List<Access> rows, String policy, boolean grouped, View v) {
        return render(
                "principal.jte",
                Map.of("principal", principal, "rows", rows, "policy", policy, "grouped", grouped, "v", v));
    }

    static String alerts(Page<AlertRow> p, List<String> rules, View v) {
        return render("alerts.jte", Map.of("p", p, "rules", rules, "v", v));
    }

    static String incident(AlertRow a, View v) {
        return render("incident.jte", Map.of("a", a, "v", v));
    }

    /** @param c null while the first report is being built */
    static String cost(CostPage c, View v) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("c", c);
        params.put("v", v);
        return render("cost.jte", params);
    }

    /** @param r null without billing data (or before the first report) */
    static String reconciliation(ReconciliationPage r, View v) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("r", r);
        params.put("v", v);
        return render("reconciliation.jte", params);
    }

    static String webhooks(List<WebhookView> hooks, View v) {
        return render("webhooks.jte", Map.of("hooks", hooks, "v", v));
    }

    /** @param error null for none */
    static String login(String next, String error) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("next", next);
        params.put("error", error);
        return render("login.jte", params);
    }

    static String notFound(String what, View v) {
        return render("notFound.jte", Map.of("what", what, "v", v));
    }

    static String swagger() {
        return render("swagger.jte", Map.of("version", WebServer.SWAGGER_VERSION));
    }

    private static String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(32_768);
        TEMPLATES.render(template, params, new VisibleHtmlOutput(out));
        return out.toString();
    }
}
