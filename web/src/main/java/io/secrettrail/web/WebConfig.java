package io.secrettrail.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where the dashboard listens and who may use it. Loopback needs no token (a token, if set, is
 * still required); any other address refuses to start without one.
 *
 * @param token        the access token, or null; at least 16 characters and not simple ({@link TokenStrength})
 * @param publicUrl    {@code web.publicUrl}: the address people open (its host is allowed), or null
 * @param allowedHosts {@code web.allowedHosts}: further host names or addresses requests may name in
 *                     {@code Host} and {@code Origin} besides loopback ({@link HostGuard}); lower case
 */
public record WebConfig(String host, int port, String token, String publicUrl, List<String> allowedHosts) {
    /** The {@code web.*} settings; any other {@code web.} key is refused at start. */
    public static final Set<String> KEYS = Set.of("web.publicUrl", "web.allowedHosts");

    private static final Pattern HOST_NAME =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]{2,45}\\]");

    public WebConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("web.port: must be 0..65535, was " + port);
        }
        if (token != null) {
            String weak = TokenStrength.problem(token);
            if (weak != null) {
                throw new IllegalArgumentException("web.token: " + weak);
            }
        }
        if (!loopback(host) && token == null) {
            throw new IllegalArgumentException(
                    "web.host: " + host + " is not loopback; set an access token (--token-file or"
                            + " SECRETTRAIL_WEB_TOKEN) to serve beyond 127.0.0.1");
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    public WebConfig(String host, int port, String token) {
        this(host, port, token, null, List.of());
    }

    public WebConfig(String host, int port) {
        this(host, port, null);
    }

    /**
     * This config with {@code web.publicUrl} and {@code web.allowedHosts} (comma-separated host
     * names or addresses, IPv6 in brackets; ports are not compared) from the settings, checked.
     */
    public WebConfig withSettings(Map<String, String> settings) {
        for (String k : settings.keySet()) {
            if (k.startsWith("web.") && !KEYS.contains(k)) {
                throw new IllegalArgumentException(k + ": unknown web setting; known: " + new TreeSet<>(KEYS));
            }
        }
        String url = settings.get("web.publicUrl");
        if (url != null) {
            url = url.strip();
            publicHost(url);
        }
        List<String> hosts = new ArrayList<>();
        for (String h : settings.getOrDefault("web.allowedHosts", "").split(",")) {
            if (h.isBlank()) {
                continue;
            }
            String v = h.strip().toLowerCase(Locale.ROOT);
            if (!HOST_NAME.matcher(v).matches()
                    && !IPV4.matcher(v).matches()
                    && !IPV6.matcher(v).matches()) {
                throw new IllegalArgumentException(
                        "web.allowedHosts: not a host name or address (no scheme, port or path): " + h.strip());
            }
            hosts.add(v.endsWith(".") ? v.substring(0, v.length() - 1) : v);
        }
        return new WebConfig(host, port, token, url, hosts);
    }

    /** The host of {@code web.publicUrl}, lower case. */
    static String publicHost(String url) {
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(url, "no http(s) scheme and host");
            }
            return u.getHost().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "web.publicUrl: expected an http(s) URL such as https://secrettrail.example.com, was " + url);
        }
    }

    static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
}
