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
                lines.append("• ")
                        .append(escape(a.path("severity").asText().toUpperCase(java.util.Locale.ROOT)))
                        .append(' ')
                        .append(escape(a.path("rule").asText()))
                        .append(": ")
                        .append(escape(a.path("resource").asText()))
                        .append('\n');
            }
            section(blocks, lines.toString());
            link(blocks, publicUrl + "/alerts", "Open the alerts");
            return m;
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
