package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A webhook receiver on loopback (port 0) that answers 200 and keeps every request, in arrival order. */
final class LoopbackReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: its headers (names in lower case, first value) and body. */
    record Request(Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private LoopbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            requests.add(new Request(h, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    static LoopbackReceiver start() throws IOException {
        return new LoopbackReceiver();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /**
     * The settings of one generic, signed webhook {@code name} posting here, clears included, with further
     * {@code webhook.NAME.*} settings as key/value pairs (e.g. {@code "rules", "budget"}).
     */
    WebhookSettings webhook(String name, String secret, String... more) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        String prefix = "webhook." + name + ".";
        m.put(prefix + "url", url("/" + name));
        m.put(prefix + "format", "generic");
        m.put(prefix + "notifyClear", "true");
        m.put(prefix + "secret", secret);
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put(prefix + more[i], more[i + 1]);
        }
        return WebhookSettings.of(
                m, Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
    }

    /** How many requests arrived so far. */
    int count() {
        return requests.size();
    }

    /** The requests that arrived after the first {@code n}. */
    /** The message of {@code messages} with this {@code transition} (alarm, ok, escalation...). */
    static JsonNode one(List<JsonNode> messages, String transition) {
        return messages.stream()
                .filter(m -> m.path("transition").asText().equals(transition))
                .findFirst()
                .orElseThrow();
    }

    List<Request> since(int n) {
        synchronized (requests) {
            return List.copyOf(requests.subList(n, requests.size()));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
