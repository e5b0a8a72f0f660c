package io.secrettrail.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The defence against DNS rebinding: a page on {@code evil.example} whose name an attacker points at
 * 127.0.0.1 is same-origin with the dashboard as far as the browser knows, but its requests still
 * say {@code Host: evil.example}. So only host names the dashboard is known by are served:
 * loopback (localhost, 127.0.0.0/8, [::1]) with any port, the address it is bound to when that is
 * not a wildcard, the host of {@code web.publicUrl}, and {@code web.allowedHosts}. Any other
 * {@code Host} gets 421, any other {@code Origin} (including {@code null}) 403, before any handler.
 *
 * <p>{@code /health/live} and {@code /health/ready} stay open to a GET or HEAD without an
 * {@code Origin} whatever the {@code Host} (Kubernetes probes name the pod's IP): they tell only
 * whether the process is up and ready.
 */
final class HostGuard {
    private final Set<String> allowed = new LinkedHashSet<>();

    HostGuard(WebConfig config) {
        String bound = config.host().toLowerCase(Locale.ROOT);
        if (!bound.equals("0.0.0.0") && !bound.equals("::") && !bound.equals("[::]") && !bound.isEmpty()) {
            allowed.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
        }
        if (config.publicUrl() != null) {
            allowed.add(WebConfig.publicHost(config.publicUrl()));
        }
        allowed.addAll(config.allowedHosts());
    }

    /** Whether a {@code Host} header value (host, optional port) names this dashboard. */
    boolean hostAllowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        String name;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0 || !(end == h.length() - 1 || port(h.substring(end + 1)))) {
                return false;
            }
            name = h.substring(0, end + 1);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && !port(h.substring(colon))) {
                return false;
            }
            name = colon < 0 ? h : h.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return loopback(name) || allowed.contains(name);
    }

    /** Whether an {@code Origin} header value (scheme://host[:port]) is one of this dashboard's. */
    boolean originAllowed(String origin) {
        try {
            URI u = new URI(origin.strip());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getRawAuthority() == null
                    || u.getRawUserInfo() != null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty())) {
                return false;
            }
            return hostAllowed(u.getRawAuthority());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean port(String colonPort) {
        return colonPort.matches(":\\d{1,5}");
    }

    static boolean loopback(String name) {
        if (name.equals("localhost") || name.equals("[::1]")) {
            return true;
        }
        String[] p = name.split("\\.", -1);
        if (p.length != 4 || !p[0].equals("127")) {
            return false;
        }
        for (String part : p) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
