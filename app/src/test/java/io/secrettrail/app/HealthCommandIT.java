package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The container health check: 0 on 200, 1 otherwise or when nothing listens. */
class HealthCommandIT {
    @Test
    void health_is_zero_only_for_a_200() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/health/ready") ? 200 : 503, -1);
            ex.close();
        });
        s.start();
        String base = "http://127.0.0.1:" + s.getAddress().getPort();
        try {
            assertThat(Main.run("health", base + "/health/ready")).isZero();
            assertThat(Main.run("health", base + "/health/other")).isEqualTo(Main.FATAL);
        } finally {
            s.stop(0);
        }
        assertThat(Main.run("health", base + "/health/ready")).isEqualTo(Main.FATAL);
    }
}
