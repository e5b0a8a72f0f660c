package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Slack incoming-webhook message for a payload: {@code text} (the notification line) and
 * {@code blocks} (rule, severity, resource or principal, reason, a link to the dashboard). Event
 * strings are escaped for Slack's mrkdwn ({@code & < >}), so a name cannot forge a link or mention.
 */
final class Slack {
    private Slack() {}

    static ObjectNode message(JsonNode p, String publicUrl) {
        ObjectNode m = Payloads.JSON.createObjectNode();
        String transition = p.path("transition").asText();
        if (transition.equals("digest")) {
            m.put(
                    "text",
                    p.path("count").asInt() + " SecretTrail alerts (digest: the webhook's rate limit was reached)");
            ArrayNode blocks = m.putArray("blocks");
            section(blocks, "*" + p.path("count").asInt() + " alerts* arrived faster than this channel's limit:");
            StringBuilder lines = new StringBuilder();
            int n = 0;
            for (JsonNode a : p.path("alerts")) {
                if (n++ == 40) {
                    lines.append("…and ").append(p.path("count").asInt() - 40).append(" more\n");
                    break;
                }
                alertLine(lines, a);
            }
            section(blocks, lines.toString());
            link(blocks, publicUrl + "/alerts", "Open the alerts");
            return m;
        }
        if (transition.equals("scheduled-digest")) {
            return scheduledDigest(p, publicUrl);
        }
        String sev = p.path("severity").asText().toUpperCase(java.util.Locale.ROOT);
        String rule = p.path("rule").asText();
        String resource = p.path("resource").asText();
        String head = (transition.equals("ok") ? "Cleared: " : transition.equals("test") ? "Test: " : "[" + sev + "] ")
                + rule;
        m.put("text", escape(head + " on " + resource));
        ArrayNode blocks = m.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode ht = header.putObject("text");
        ht.put("type", "plain_text");
        String shown = Text.visible(head);
        ht.put("text", shown.length() > 150 ? shown.substring(0, 150) : shown);
        ObjectNode fields = blocks.addObject();
        fields.put("type", "section");
        ArrayNode f = fields.putArray("fields");
        field(f, "Rule", rule);
        field(f, "Severity", sev);
        field(f, "Resource", resource);
        if (p.hasNonNull("team")) {
            field(f, "Team", p.path("team").asText());
        }
        if (p.hasNonNull("principal") && !p.path("principal").asText().isEmpty()) {
            field(f, "Principal", p.path("principal").asText());
        }
        if (p.hasNonNull("account")) {
            field(
                    f,
                    "Account / region",
                    p.path("account").asText() + " / " + p.path("region").asText(""));
        }
        section(blocks, escape(p.path("reason").asText()));
        // the ARN as a query parameter, URL-encoded: a name with "..", "%" or "?" survives the browser's normalisation
        String page = resource.startsWith("arn:aws:secretsmanager:")
                ? "/secret?arn="
                        + URLEncoder.encode(resource, StandardCharsets.UTF_8).replace("+", "%20")
                : "/alerts";
        link(blocks, publicUrl + page, "Open in SecretTrail");
        return m;
    }

    /** A team's scheduled digest: cost against last month, movers, open incidents, new posture failures, savings. */
    private static ObjectNode scheduledDigest(JsonNode p, String publicUrl) {
        ObjectNode m = Payloads.JSON.createObjectNode();
        String team = p.path("team").asText();
        JsonNode cost = p.path("costUsd");
        m.put(
                "text",
                escape("SecretTrail digest for " + team + " ("
                        + p.path("digest").asText() + ")"));
        ArrayNode blocks = m.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode ht = header.putObject("text");
        ht.put("type", "plain_text");
        String shown = Text.visible("Digest: " + team);
        ht.put("text", shown.length() > 150 ? shown.substring(0, 150) : shown);
        section(
                blocks,
                "*Cost " + escape(cost.path("month").asText("-")) + "*: $" + money(cost.path("thisMonth"))
                        + " to date, $" + money(cost.path("thisMonthProjected")) + " projected; "
                        + escape(cost.path("lastMonthName").asText("last month")) + ": $"
                        + money(cost.path("lastMonth")));
        StringBuilder movers = new StringBuilder("*Biggest movers*\n");
        for (JsonNode mv : p.path("movers")) {
            movers.append("• ")
                    .append(escape(mv.path("secret").asText()))
                    .append(": ")
                    .append(mv.path("changeUsd").decimalValue().signum() >= 0 ? "+$" : "-$")
                    .append(money(mv.path("changeUsd")).replace("-", ""))
                    .append('\n');
        }
        section(blocks, p.path("movers").isEmpty() ? "*Biggest movers*: none" : movers.toString());
        lines(blocks, "Open incidents", p.path("openIncidents"));
        lines(blocks, "New posture failures", p.path("newPostureFailures"));
        StringBuilder savings = new StringBuilder("*Top savings*\n");
        for (JsonNode s : p.path("topSavings")) {
            savings.append("• $")
                    .append(money(s.path("monthlyUsd")))
                    .append("/month: ")
                    .append(escape(s.path("reason").asText()))
                    .append('\n');
        }
        section(blocks, p.path("topSavings").isEmpty() ? "*Top savings*: none" : savings.toString());
        link(blocks, publicUrl + "/", "Open SecretTrail");
        return m;
    }

    private static void lines(ArrayNode blocks, String title, JsonNode list) {
        StringBuilder b =
                new StringBuilder("*" + title + "*: " + list.path("count").asInt() + "\n");
        for (JsonNode a : list.path("top")) {
            alertLine(b, a);
        }
        section(blocks, b.toString());
    }

    /** "• SEVERITY rule: resource", escaped: one alert of a list. */
    private static void alertLine(StringBuilder b, JsonNode a) {
        b.append("• ")
                .append(escape(a.path("severity").asText().toUpperCase(java.util.Locale.ROOT)))
                .append(' ')
                .append(escape(a.path("rule").asText()))
                .append(": ")
                .append(escape(a.path("resource").asText()))
                .append('\n');
    }

    private static String money(JsonNode usd) {
        return usd.isNumber() ? io.secrettrail.core.Money.display(usd.decimalValue()) : "-";
    }

    private static void field(ArrayNode f, String label, String value) {
        ObjectNode o = f.addObject();
        o.put("type", "mrkdwn");
        o.put("text", "*" + label + "*\n" + escape(value));
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        ObjectNode t = s.putObject("text");
        t.put("type", "mrkdwn");
        t.put("text", mrkdwn.length() > 2900 ? mrkdwn.substring(0, 2900) + "…" : mrkdwn);
    }

    private static void link(ArrayNode blocks, String url, String label) {
        ObjectNode ctx = blocks.addObject();
        ctx.put("type", "context");
        ObjectNode t = ctx.putArray("elements").addObject();
        t.put("type", "mrkdwn");
        t.put("text", "<" + url.replace("|", "%7C").replace(">", "%3E") + "|" + label + ">");
    }

    /** mrkdwn escaping, after making control and bidi characters visible ({@link Text#visible}). */
    static String escape(String s) {
        return Text.visible(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
