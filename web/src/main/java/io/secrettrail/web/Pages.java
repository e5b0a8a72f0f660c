package io.secrettrail.web;

import static io.secrettrail.web.Html.attr;
import static io.secrettrail.web.Html.escape;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.Saving;
import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.Access;
import io.secrettrail.analytics.dashboard.Count;
import io.secrettrail.analytics.dashboard.Overview;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.PrincipalRow;
import io.secrettrail.analytics.dashboard.SecretDetail;
import io.secrettrail.analytics.dashboard.SecretRow;
import io.secrettrail.analytics.dashboard.Status;

/**
 * The dashboard's pages, rendered on the server. Every value is escaped where it is written; the
 * only script is /assets/app.js (live reload, copy button), allowed by a CSP with no inline code.
 */
final class Pages {
    private Pages() {}

    /** What every page needs besides its data: the filters as given, the CSRF token, the data version. */
    record View(Map<String, String> params, String csrf, Status status, String user, List<ProcessProbe.SourceState> sources) {
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
            p.forEach((k, v) -> b.append(b.length() == 0 ? "?" : "&").append(enc(k)).append('=').append(enc(v)));
            return b.toString();
        }

        /** Only the filters that apply across pages. */
        String filters() {
            StringBuilder b = new StringBuilder();
            for (String k : List.of("days", "from", "to", "account", "region")) {
                if (params.get(k) != null) {
                    b.append(b.length() == 0 ? "?" : "&").append(enc(k)).append('=').append(enc(params.get(k)));
                }
            }
            return b.toString();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A path segment for an ARN: ARNs keep their slashes (routes take the rest of the path). */
    static String arnPath(String arn) {
        StringBuilder b = new StringBuilder();
        for (String part : arn.split("/", -1)) {
            // ':', '@' and '=' may stand in a path as they are; '+' is sent as %2B so no proxy reads a space
            b.append(b.length() == 0 ? "" : "/").append(enc(part).replace("%3A", ":").replace("%40", "@").replace("%3D", "="));
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

    private static String layout(String title, String active, View v, String body) {
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>").append(escape(title)).append(" · SecretTrail</title>")
                .append("<link rel=\"stylesheet\" href=\"/assets/app.css\"><script src=\"/assets/app.js\" defer></script></head>")
                .append("<body data-version=\"").append(v.status() == null ? 0 : v.status().version()).append("\" data-report=\"")
                .append(v.status() == null ? -1 : v.status().reportVersion()).append("\"><header><a class=\"brand\" href=\"/")
                .append(attr(v.filters())).append("\">SecretTrail</a><nav>");
        for (String[] item : new String[][] {{"overview", "/", "Overview"}, {"secrets", "/secrets", "Secrets"},
                {"principals", "/principals", "Principals"}, {"alerts", "/alerts", "Alerts"}, {"cost", "/cost", "Cost"},
                {"webhooks", "/webhooks", "Webhooks"}, {"api", "/api/docs", "API"}}) {
            b.append("<a href=\"").append(item[1]).append(item[0].equals("api") ? "" : attr(v.filters())).append("\"")
                    .append(item[0].equals(active) ? " class=\"active\"" : "").append(">").append(item[2]).append("</a>");
        }
        b.append("</nav>");
        if (v.user() != null) {
            b.append("<form method=\"post\" action=\"/logout\" class=\"logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(attr(v.csrf())).append("\"><button type=\"submit\">Log out</button></form>");
        }
        b.append("</header>");
        b.append(filterBar(v));
        b.append("<main><h1>").append(escape(title)).append("</h1>").append(body).append("</main><footer id=\"status\">");
        Status s = v.status();
        if (s != null) {
            b.append(s.events()).append(" events, ").append(s.secrets()).append(" secret keys; last event ")
                    .append(escape(s.lastEventTime())).append("; alerts and cost as of ").append(escape(s.reportAsOf()))
                    .append(" (report built ").append(escape(s.reportBuiltAt())).append(" in ").append(s.reportBuildSeconds())
                    .append(" s). <span id=\"live\">Live: the page reloads when new events are committed.</span>");
            if (s.unknownNames() != null && s.unknownNames().calls() > 0) {
                b.append(" <span id=\"unknown-names\">").append(s.unknownNames().calls()).append(" calls to ").append(s.unknownNames().names())
                        .append(" unknown names (not listed as secrets).</span>");
            }
            if (s.futureEvents() > 0) {
                b.append(" <span id=\"future\">").append(s.futureEvents()).append(s.futureEvents() == 1 ? " event" : " events")
                        .append(" dated in the future, latest ").append(escape(s.latestFutureEvent()))
                        .append(" (not in the last event, charts or projections).</span>");
            }
        }
        if (v.sources() != null && !v.sources().isEmpty()) {
            List<ProcessProbe.SourceState> down = v.sources().stream().filter(x -> !x.up()).toList();
            b.append(" <span id=\"sources\">Sources: ").append(v.sources().size() - down.size()).append(" of ").append(v.sources().size())
                    .append(" working.");
            for (ProcessProbe.SourceState x : down) {
                b.append(" <span class=\"source-down\">").append(escape(x.name())).append(": ").append(escape(x.lastError()))
                        .append("</span>");
            }
            b.append("</span>");
        }
        return b.append("</footer></body></html>").toString();
    }

    private static String filterBar(View v) {
        StringBuilder b = new StringBuilder("<form class=\"filters\" method=\"get\"><label>Range <select name=\"days\">");
        String days = v.params().getOrDefault("days", "");
        for (String[] o : new String[][] {{"", "all time"}, {"1", "last day"}, {"7", "last 7 days"}, {"30", "last 30 days"},
                {"90", "last 90 days"}}) {
            b.append("<option value=\"").append(o[0]).append("\"").append(o[0].equals(days) ? " selected" : "").append(">")
                    .append(o[1]).append("</option>");
        }
        b.append("</select></label><label>Account <input name=\"account\" size=\"13\" pattern=\"\\d{12}\" value=\"")
                .append(attr(v.params().getOrDefault("account", ""))).append("\"></label><label>Region <input name=\"region\" size=\"14\" value=\"")
                .append(attr(v.params().getOrDefault("region", ""))).append("\"></label>");
        for (String keep : List.of("q", "tag", "hasAlert", "sort", "dir", "rule", "severity", "status")) {
            if (v.params().get(keep) != null) {
                b.append("<input type=\"hidden\" name=\"").append(keep).append("\" value=\"").append(attr(v.params().get(keep))).append("\">");
            }
        }
        return b.append("<button type=\"submit\">Apply</button></form>").toString();
    }

    static String overview(Overview o, View v) {
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"cards\">")
                .append(card("secrets", Long.toString(o.secrets())))
                .append(card("calls", Long.toString(o.calls())))
                .append(card("principals", Long.toString(o.principals())))
                .append(card("errors", Long.toString(o.errors())))
                .append(card("month to date", o.monthToDateUsd() == null ? "…" : "$" + o.monthToDateUsd()))
                .append(card("projected", o.projectedUsd() == null ? "…" : "$" + o.projectedUsd()))
                .append("</section><section class=\"cards\">");
        o.alertsBySeverity().forEach((sev, n) -> b.append("<a class=\"card sev-").append(escape(sev)).append("\" href=\"/alerts")
                .append(attr(v.with("severity", sev))).append("\"><span>").append(escape(sev)).append(" alerts</span><strong>")
                .append(n).append("</strong></a>"));
        b.append("</section>");
        b.append(Svg.stacked("calls-per-day", "Calls per day by event name", o.callsPerDay()));
        b.append("<div class=\"two\"><section><h2>Top secrets</h2><table id=\"top-secrets\"><thead><tr><th>secret</th><th>calls</th></tr></thead><tbody>");
        for (Count c : o.topSecrets()) {
            b.append("<tr><td><a href=\"").append(attr(secretHref(c.key(), v))).append("\">")
                    .append(escape(c.key())).append("</a></td><td>").append(c.calls()).append("</td></tr>");
        }
        b.append("</tbody></table></section><section><h2>Top callers</h2><table id=\"top-callers\"><thead><tr><th>principal</th><th>calls</th></tr></thead><tbody>");
        for (Count c : o.topCallers()) {
            b.append("<tr><td><a href=\"").append(attr(principalHref(c.key(), v))).append("\">")
                    .append(escape(c.key())).append("</a></td><td>").append(c.calls()).append("</td></tr>");
        }
        b.append("</tbody></table></section></div>");
        return layout("Overview", "overview", v, b.toString());
    }

    private static String card(String label, String value) {
        return "<div class=\"card\"><span>" + escape(label) + "</span><strong>" + escape(value) + "</strong></div>";
    }

    static String secrets(Page<SecretRow> p, View v) {
        StringBuilder b = new StringBuilder();
        b.append("<form class=\"search\" method=\"get\">");
        for (String keep : List.of("days", "account", "region", "sort", "dir")) {
            if (v.params().get(keep) != null) {
                b.append("<input type=\"hidden\" name=\"").append(keep).append("\" value=\"").append(attr(v.params().get(keep))).append("\">");
            }
        }
        b.append("<label>Name or ARN <input name=\"q\" value=\"").append(attr(v.params().getOrDefault("q", "")))
                .append("\"></label><label>Tag <input name=\"tag\" placeholder=\"team or team=payments\" value=\"")
                .append(attr(v.params().getOrDefault("tag", ""))).append("\"></label><label>Alerts <select name=\"hasAlert\">");
        String has = v.params().getOrDefault("hasAlert", "");
        for (String[] o : new String[][] {{"", "any"}, {"true", "with alerts"}, {"false", "without"}}) {
            b.append("<option value=\"").append(o[0]).append("\"").append(o[0].equals(has) ? " selected" : "").append(">").append(o[1]).append("</option>");
        }
        b.append("</select></label><button type=\"submit\">Filter</button> <a class=\"export\" href=\"/secrets.csv")
                .append(attr(v.with("page", null))).append("\">Export CSV</a></form>");
        b.append("<p class=\"count\">").append(p.total()).append(" secrets</p>");
        b.append("<table id=\"secrets\"><thead><tr>");
        for (String[] col : new String[][] {{"name", "name"}, {"account", "account"}, {"region", "region"}, {"calls", "calls"},
                {"principals", "principals"}, {"lastAccessed", "last accessed"}, {"lastRotated", "last rotated"}, {"", "rotation"},
                {"projectedUsd", "projected"}, {"alerts", "alerts"}}) {
            if (col[0].isEmpty()) {
                b.append("<th>").append(col[1]).append("</th>");
                continue;
            }
            boolean current = col[0].equals(v.params().getOrDefault("sort", "calls"));
            boolean desc = !"asc".equals(v.params().get("dir"));
            String dir = current && desc ? "asc" : "desc";
            b.append("<th><a href=\"/secrets").append(attr(v.with("sort", col[0], "dir", dir, "page", null))).append("\">")
                    .append(col[1]).append(current ? (desc ? " ▼" : " ▲") : "").append("</a></th>");
        }
        b.append("</tr></thead><tbody>");
        for (SecretRow s : p.items()) {
            b.append("<tr><td><a class=\"secret\" href=\"").append(attr(secretHref(s.arn(), v)))
                    .append("\">").append(escape(s.name())).append("</a></td><td>").append(escape(s.account())).append("</td><td>")
                    .append(escape(s.region())).append("</td><td>").append(s.calls()).append("</td><td>").append(s.principals())
                    .append("</td><td>").append(escape(s.lastAccessed())).append("</td><td>").append(escape(s.lastRotated()))
                    .append("</td><td class=\"rot-").append(escape(s.rotation())).append("\">").append(escape(s.rotation()))
                    .append("</td><td>").append(s.projectedUsd() == null ? "" : "$" + escape(s.projectedUsd())).append("</td><td>");
            for (String a : s.alerts()) {
                b.append("<span class=\"badge\">").append(escape(a)).append("</span> ");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>").append(pager("/secrets", p, v));
        return layout("Secrets", "secrets", v, b.toString());
    }

    private static String pager(String path, Page<?> p, View v) {
        int pages = Math.max(1, (p.total() + p.pageSize() - 1) / p.pageSize());
        StringBuilder b = new StringBuilder("<nav class=\"pager\">");
        if (p.page() > 1) {
            b.append("<a rel=\"prev\" href=\"").append(path).append(attr(v.with("page", Integer.toString(p.page() - 1)))).append("\">previous</a> ");
        }
        b.append("page ").append(p.page()).append(" of ").append(pages);
        if (p.page() < pages) {
            b.append(" <a rel=\"next\" href=\"").append(path).append(attr(v.with("page", Integer.toString(p.page() + 1)))).append("\">next</a>");
        }
        return b.append("</nav>").toString();
    }

    static String secret(SecretDetail d, View v) {
        SecretRow s = d.secret();
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"arn\">").append(escape(s.arn())).append("</p><section class=\"cards\">")
                .append(card("calls", Long.toString(s.calls()))).append(card("errors", Long.toString(s.errors())))
                .append(card("principals", Long.toString(s.principals()))).append(card("rotation", s.rotation()))
                .append(card("month to date", s.monthToDateUsd() == null ? "…" : "$" + s.monthToDateUsd()))
                .append(card("projected", s.projectedUsd() == null ? "…" : "$" + s.projectedUsd())).append("</section>");
        b.append(Svg.stacked("calls-over-time", "Calls per " + d.granularity() + " by event name", d.callsOverTime()));
        b.append("<h2>Alerts</h2>");
        if (d.alerts().isEmpty()) {
            b.append("<p>None.</p>");
        } else {
            b.append("<table id=\"secret-alerts\"><thead><tr><th>rule</th><th>severity</th><th>principal</th><th>reason</th></tr></thead><tbody>");
            for (Map<String, Object> a : d.alerts()) {
                b.append("<tr><td>").append(escape(a.get("rule"))).append("</td><td class=\"sev-").append(escape(a.get("severity"))).append("\">")
                        .append(escape(a.get("severity"))).append("</td><td>").append(escape(a.get("principal"))).append("</td><td>")
                        .append(escape(a.get("reason"))).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Who read it</h2>").append(accessTable("principals", d.principals(), v, false));
        b.append("<h2>Rotation history</h2><dl class=\"inventory\">");
        d.inventory().forEach((k, val) -> b.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(val)).append("</dd>"));
        b.append("</dl><table id=\"rotation\"><thead><tr><th>hour</th><th>event</th><th>count</th></tr></thead><tbody>");
        d.rotationHistory().forEach(r -> b.append("<tr><td>").append(escape(r.day())).append("</td><td>").append(escape(r.eventName()))
                .append("</td><td>").append(r.calls()).append("</td></tr>"));
        b.append("</tbody></table><h2>Roles that need it</h2><table id=\"roles\"><thead><tr><th>principal</th><th>actions</th></tr></thead><tbody>");
        d.rolesThatNeedIt().forEach((p, actions) -> b.append("<tr><td>").append(escape(p)).append("</td><td>")
                .append(escape(String.join(", ", actions))).append("</td></tr>"));
        b.append("</tbody></table>");
        return layout(s.name(), "secrets", v, b.toString());
    }

    private static String accessTable(String id, List<Access> rows, View v, boolean bySecret) {
        StringBuilder b = new StringBuilder("<table id=\"").append(id).append("\"><thead><tr><th>")
                .append(bySecret ? "secret" : "principal")
                .append("</th><th>calls</th><th>errors</th><th>first seen</th><th>last seen</th><th>source IPs</th><th>user agents</th></tr></thead><tbody>");
        for (Access a : rows) {
            String key = bySecret ? a.secret() : a.principal();
            b.append("<tr><td><a href=\"").append(attr(bySecret ? secretHref(key, v) : principalHref(key, v))).append("\">")
                    .append(escape(key)).append("</a></td><td>").append(a.calls())
                    .append("</td><td>").append(a.errors()).append("</td><td>").append(escape(a.firstSeen())).append("</td><td>")
                    .append(escape(a.lastSeen())).append("</td><td>").append(escape(String.join(", ", a.sourceIps())))
                    .append("</td><td class=\"ua\">");
            for (String ua : a.userAgents()) {
                b.append("<div>").append(escape(ua)).append("</div>");
            }
            if (a.otherClients() > 0) {
                b.append("<div class=\"others\">").append(a.otherClients()).append(a.otherClients() == 1 ? " other client (" : " other clients (")
                        .append(a.otherCalls()).append(" calls)</div>");
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    static String principals(Page<PrincipalRow> p, View v) {
        StringBuilder b = new StringBuilder("<form class=\"search\" method=\"get\"><label>Principal <input name=\"q\" value=\"")
                .append(attr(v.params().getOrDefault("q", ""))).append("\"></label><button type=\"submit\">Filter</button></form>");
        b.append("<table id=\"principals\"><thead><tr><th>principal</th><th>secrets</th><th>calls</th><th>errors</th><th>first seen</th>")
                .append("<th>last seen</th><th>cost share (month to date)</th></tr></thead><tbody>");
        for (PrincipalRow r : p.items()) {
            b.append("<tr><td><a href=\"").append(attr(principalHref(r.principal(), v))).append("\">")
                    .append(escape(r.principal())).append("</a></td><td>").append(r.secrets()).append("</td><td>").append(r.calls())
                    .append("</td><td>").append(r.errors()).append("</td><td>").append(escape(r.firstSeen())).append("</td><td>")
                    .append(escape(r.lastSeen())).append("</td><td>").append(r.costShareUsd() == null ? "" : "$" + escape(r.costShareUsd()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>").append(pager("/principals", p, v));
        return layout("Principals", "principals", v, b.toString());
    }

    static String principal(String principal, List<Access> rows, String policy, boolean grouped, View v) {
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"arn\">").append(escape(principal)).append("</p><h2>Secrets it touched</h2")
                .append(">").append(accessTable("access", rows, v, true));
        b.append("<h2>Least-privilege policy</h2><p>Exactly the Secrets Manager actions it used successfully (last 90 days), on the secrets it used them on")
                .append(grouped ? "; <strong>resources were grouped to fit the 6,144-character limit</strong>" : "")
                .append(".</p><button type=\"button\" class=\"copy\" data-copy=\"policy\">Copy</button><pre id=\"policy\">")
                .append(escape(policy)).append("</pre>");
        return layout("Principal", "principals", v, b.toString());
    }

    static String alerts(Page<AlertRow> p, List<String> rules, View v) {
        StringBuilder b = new StringBuilder("<form class=\"search\" method=\"get\"><label>Rule <select name=\"rule\"><option value=\"\">any</option>");
        for (String r : rules) {
            b.append("<option").append(r.equals(v.params().get("rule")) ? " selected" : "").append(">").append(escape(r)).append("</option>");
        }
        b.append("</select></label><label>Severity <select name=\"severity\"><option value=\"\">any</option>");
        for (String s : List.of("critical", "high", "medium", "low")) {
            b.append("<option").append(s.equals(v.params().get("severity")) ? " selected" : "").append(">").append(s).append("</option>");
        }
        b.append("</select></label><label>Status <select name=\"status\"><option value=\"\">any</option>");
        for (String s : List.of("open", "acknowledged", "suppressed")) {
            b.append("<option").append(s.equals(v.params().get("status")) ? " selected" : "").append(">").append(s).append("</option>");
        }
        b.append("</select></label><button type=\"submit\">Filter</button></form><p class=\"count\">").append(p.total()).append(" alerts</p>");
        b.append("<table id=\"alerts\"><thead><tr><th>rule</th><th>severity</th><th>resource</th><th>principal</th><th>reason</th>")
                .append("<th>last seen</th><th>status</th><th>action</th></tr></thead><tbody>");
        for (AlertRow a : p.items()) {
            b.append("<tr><td>").append(escape(a.rule())).append("</td><td class=\"sev-").append(escape(a.severity())).append("\">")
                    .append(escape(a.severity())).append("</td><td>").append(escape(a.resource())).append("</td><td>")
                    .append(escape(a.principal())).append("</td><td>").append(escape(a.reason())).append("</td><td>")
                    .append(escape(a.lastSeen())).append("</td><td>").append(escape(a.state()));
            if (a.stateBy() != null) {
                b.append("<div class=\"audit\">by ").append(escape(a.stateBy())).append(" at ").append(escape(a.stateAt()))
                        .append(a.stateExpires() == null ? "" : " until " + escape(a.stateExpires())).append(": ")
                        .append(escape(a.stateReason())).append("</div>");
            }
            b.append("</td><td><form method=\"post\" action=\"/alerts/action\" class=\"act\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(attr(v.csrf())).append("\">")
                    .append("<input type=\"hidden\" name=\"rule\" value=\"").append(attr(a.rule())).append("\">")
                    .append("<input type=\"hidden\" name=\"resource\" value=\"").append(attr(a.resource())).append("\">")
                    .append("<input type=\"hidden\" name=\"principal\" value=\"").append(attr(a.principal() == null ? "" : a.principal())).append("\">")
                    .append("<input name=\"reason\" required maxlength=\"1000\" placeholder=\"reason\">")
                    .append("<input name=\"expires\" type=\"date\" title=\"expiry (UTC day); empty for none\">")
                    .append("<button name=\"action\" value=\"ack\">Acknowledge</button><button name=\"action\" value=\"suppress\">Suppress</button></form></td></tr>");
        }
        b.append("</tbody></table>").append(pager("/alerts", p, v));
        return layout("Alerts", "alerts", v, b.toString());
    }

    static String cost(CostReport c, View v) {
        StringBuilder b = new StringBuilder();
        if (c == null) {
            return layout("Cost", "cost", v, "<p>The first report is being built.</p>");
        }
        b.append("<section class=\"cards\">").append(card("month", c.month())).append(card("month to date", "$" + c.monthToDateUsd()))
                .append(card("projected", "$" + c.projectedUsd())).append(card("secrets (projected)", "$" + c.secretsProjectedUsd()))
                .append(card("API calls (projected)", "$" + c.apiCallsProjectedUsd())).append(card("unattributed", "$" + c.unattributedMonthToDateUsd()))
                .append("</section>");
        Map<String, Double> mvp = new LinkedHashMap<>();
        mvp.put("month to date", c.monthToDateUsd().doubleValue());
        mvp.put("projected", c.projectedUsd().doubleValue());
        b.append(Svg.bars("mtd-vs-projected", "Month to date vs projected (USD)", mvp, "$"));
        for (var dim : List.of(Map.entry("account", c.byAccount()), Map.entry("region", c.byRegion()), Map.entry("tag", c.byTag()),
                Map.entry("principal", c.topPrincipals()))) {
            Map<String, Double> values = new LinkedHashMap<>();
            boolean projected = dim.getValue().stream().allMatch(l -> l.projectedUsd() != null);
            dim.getValue().stream().limit(15).forEach(l -> values.put(l.key(),
                    (projected ? l.projectedUsd() : l.monthToDateUsd()).doubleValue()));
            b.append(Svg.bars("cost-by-" + dim.getKey(), (projected ? "Projected cost by " : "Month-to-date cost by ") + dim.getKey(),
                    values, "$"));
            b.append("<table class=\"cost\" id=\"cost-").append(dim.getKey()).append("\"><thead><tr><th>").append(dim.getKey())
                    .append("</th><th>calls</th><th>month to date</th><th>projected</th></tr></thead><tbody>");
            for (CostReport.Line l : dim.getValue()) {
                b.append("<tr><td>").append(escape(l.key())).append("</td><td>").append(l.calls()).append("</td><td>$")
                        .append(escape(l.monthToDateUsd().toPlainString())).append("</td><td>")
                        .append(l.projectedUsd() == null ? "" : "$" + escape(l.projectedUsd().toPlainString()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Savings</h2><table id=\"savings\"><thead><tr><th>kind</th><th>resource</th><th>principal</th><th>per month</th><th>why</th></tr></thead><tbody>");
        for (Saving s : c.savings()) {
            b.append("<tr><td>").append(escape(s.kind())).append("</td><td>").append(escape(s.resource())).append("</td><td>")
                    .append(escape(s.principal())).append("</td><td>$").append(escape(s.monthlyUsd().toPlainString())).append("</td><td>")
                    .append(escape(s.reason())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        return layout("Cost", "cost", v, b.toString());
    }

    @SuppressWarnings("unchecked")
    static String webhooks(List<Map<String, Object>> hooks, View v) {
        StringBuilder b = new StringBuilder();
        if (hooks.isEmpty()) {
            b.append("<p>No webhook is configured. Add <code>webhook.NAME.url</code>, <code>.format</code> (slack or generic) and, for")
                    .append(" generic, <code>.secret</code> to the <code>--config</code> file (see the README).</p>");
        }
        for (Map<String, Object> h : hooks) {
            b.append("<section class=\"webhook\"><h2>").append(escape(h.get("name"))).append("</h2><p>").append(escape(h.get("format")))
                    .append(" → <code>").append(escape(h.get("url"))).append("</code>; severity ≥ ").append(escape(h.get("minSeverity")))
                    .append("; rules: ").append(escape(((java.util.Collection<String>) h.get("rules")).isEmpty() ? "all" : h.get("rules")))
                    .append("; at most ").append(escape(h.get("perMinute"))).append(" a minute").append(Boolean.TRUE.equals(h.get("notifyClear"))
                            ? "; clears too" : "").append("</p><form method=\"post\" action=\"/webhooks/").append(attr(enc((String) h.get("name"))))
                    .append("/test\"><input type=\"hidden\" name=\"csrf\" value=\"").append(attr(v.csrf()))
                    .append("\"><button type=\"submit\">Send test</button></form>");
            b.append("<table class=\"deliveries\"><thead><tr><th>created</th><th>kind</th><th>rule</th><th>severity</th><th>resource</th>")
                    .append("<th>status</th><th>attempts</th><th>last status</th><th>last error</th><th>latency ms</th><th>next attempt</th></tr></thead><tbody>");
            for (Map<String, Object> d : (List<Map<String, Object>>) h.get("deliveries")) {
                b.append("<tr>");
                for (String k : List.of("createdAt", "kind", "rule", "severity", "resource", "status", "attempts", "lastStatus", "lastError",
                        "latencyMs", "nextAttemptAt")) {
                    b.append("<td>").append(escape(d.get(k))).append("</td>");
                }
                b.append("</tr>");
            }
            b.append("</tbody></table></section>");
        }
        return layout("Webhooks", "webhooks", v, b.toString());
    }

    static String login(String next, String error) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Log in · SecretTrail</title>"
                + "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body class=\"login\"><main><h1>SecretTrail</h1>"
                + (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<form method=\"post\" action=\"/login\" id=\"login\"><input type=\"hidden\" name=\"next\" value=\"" + attr(next) + "\">"
                + "<label>Access token <input type=\"password\" name=\"token\" required autocomplete=\"current-password\"></label>"
                + "<label>Your name (for the audit log) <input name=\"name\" maxlength=\"64\"></label>"
                + "<button type=\"submit\">Log in</button></form></main></body></html>";
    }

    static String notFound(String what, View v) {
        return layout("Not found", "", v, "<p>" + escape(what) + "</p>");
    }

    static String swagger() {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>API · SecretTrail</title>"
                + "<link rel=\"stylesheet\" href=\"/webjars/swagger-ui/" + WebServer.SWAGGER_VERSION + "/swagger-ui.css\"></head><body>"
                + "<div id=\"swagger-ui\"></div><script src=\"/webjars/swagger-ui/" + WebServer.SWAGGER_VERSION + "/swagger-ui-bundle.js\"></script>"
                + "<script src=\"/assets/swagger-init.js\"></script></body></html>";
    }
}
