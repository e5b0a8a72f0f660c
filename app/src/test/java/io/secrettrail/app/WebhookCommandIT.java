package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.alerts.Sender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./secrettrail webhook test NAME}: a signed test message reaches a real receiver. */
class WebhookCommandIT {
    @Test
    void webhook_test_sends_a_signed_message_and_reports_the_status() throws Exception {
        List<String[]> got = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            got.add(new String[] {
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                ex.getRequestHeaders().getFirst("X-SecretTrail-Timestamp"),
                ex.getRequestHeaders().getFirst("X-SecretTrail-Signature")
            });
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/gone") ? 410 : 200, -1);
            ex.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(Main.run(
                            "webhook",
                            "test",
                            "soar",
                            "--set",
                            "webhook.soar.url=" + base + "/hook/sEcReT",
                            "--set",
                            "webhook.soar.format=generic",
                            "--set",
                            "webhook.soar.secret=sixteen-chars-secret"))
                    .isZero();
            assertThat(Main.run(
                            "webhook",
                            "test",
                            "old",
                            "--set",
                            "webhook.old.url=" + base + "/gone",
                            "--set",
                            "webhook.old.format=slack"))
                    .isEqualTo(Main.FATAL);
            assertThat(Main.run("webhook", "test", "missing", "--set", "webhook.old.url=" + base + "/gone"))
                    .isEqualTo(2);
        } finally {
            System.setOut(out);
            receiver.stop(0);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("webhook soar (generic, " + base + "/hook/****): HTTP 200 in ")
                .contains("webhook old (slack, " + base + "/gone): failed after")
                .contains("HTTP 410")
                .doesNotContain("sEcReT");
        String[] first = got.get(0);
        assertThat(first[2]).isEqualTo("sha256=" + Sender.sign("sixteen-chars-secret", first[1], first[0]));
    }
}
