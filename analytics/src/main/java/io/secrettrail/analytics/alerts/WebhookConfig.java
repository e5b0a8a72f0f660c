package io.secrettrail.analytics.alerts;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * One webhook.
 *
 * @param format slack (Slack incoming-webhook JSON), generic (signed JSON) or ocsf (signed OCSF Detection Finding JSON lines)
 * @param minSeverity alerts below it are not sent
 * @param rules rule ids to send, or empty for every rule
 * @param secret the HMAC-SHA256 signing secret (generic and ocsf; null for slack)
 * @param notifyClear also send when an alert clears
 * @param perMinute deliveries per minute at most; beyond it, pending alerts go out as one digest
 * @param route the teams, accounts and tags it takes alerts of ({@link Route#ANY}: all)
 */
public record WebhookConfig(
        String name,
        URI url,
        String format,
        String minSeverity,
        Set<String> rules,
        String secret,
        boolean notifyClear,
        int perMinute,
        Route route) {
    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    /** Whether it takes an alert of this rule and severity about this subject (its route's team, account, tags). */
    public boolean wants(String rule, String severity, Route.Subject subject) {
        return (rules.isEmpty() || rules.contains(rule))
                && rank(severity) >= rank(minSeverity)
                && route.matches(subject);
    }

    static int rank(String severity) {
        return SEVERITIES.indexOf(severity == null ? "low" : severity);
    }

    /** The URL fit for logs, the API and the UI: no user info, query or path secrets (Slack hook tokens). */
    public String maskedUrl() {
        return mask(url);
    }

    public static String mask(URI u) {
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String[] parts = path.split("/", -1);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                p.append('/');
            }
            // keep the first two segments (/services, /hooks...), mask the rest (tokens, ids)
            p.append(i <= 1 || parts[i].isEmpty() ? parts[i] : "****");
        }
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + p
                + (u.getRawQuery() == null ? "" : "?****");
    }
}
