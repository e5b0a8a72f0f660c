package io.secrettrail.web;

/**
 * Where the dashboard listens and who may use it. Loopback needs no token (a token, if set, is
 * still required); any other address refuses to start without one.
 *
 * @param token the access token, or null; at least 16 characters
 */
public record WebConfig(String host, int port, String token) {
    public WebConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("web.port: must be 0..65535, was " + port);
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("web.token: must be at least 16 characters");
        }
        if (!loopback(host) && token == null) {
            throw new IllegalArgumentException("web.host: " + host + " is not loopback; set an access token (--token-file or"
                    + " SECRETTRAIL_WEB_TOKEN) to serve beyond 127.0.0.1");
        }
    }

    public WebConfig(String host, int port) {
        this(host, port, null);
    }

    static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
}
