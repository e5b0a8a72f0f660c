package io.secrettrail.web;

/** Where the dashboard listens. Loopback only until access tokens land (see the README). */
public record WebConfig(String host, int port) {
    public WebConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("web.port: must be 0..65535, was " + port);
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("web.host: only loopback is allowed without an access token, was " + host);
        }
    }
}
