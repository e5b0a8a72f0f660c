package io.secrettrail.analytics.alerts;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Silences deliveries of a rule (or every rule, {@code *}) for resources matching a glob
 * ({@code *} any run of characters, {@code ?} one), until it expires.
 */
public record Suppression(String rule, String resourcePattern, String reason, Instant expires) {
    public boolean matches(String alertRule, String resource, Instant now) {
        return (rule.equals("*") || rule.equals(alertRule))
                && (expires == null || expires.isAfter(now))
                && glob(resourcePattern).matcher(resource).matches();
    }

    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
