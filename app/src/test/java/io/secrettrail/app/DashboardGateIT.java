package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.store.EventStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Webhooks stay silent until analytics has caught up with Kafka, then send what the complete data says. */
class DashboardGateIT {
    @Test
    void no_alert_goes_out_before_analytics_has_caught_up() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            got.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        AtomicInteger gateAsked = new AtomicInteger();
        try (EventStore store = EventStore.open(null)) {
            AppFixtures.inventoried(store, arn);
            SettingsOptions settings = new SettingsOptions();
            settings.set.putAll(Map.of(
                    "webhook.soar.url",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/",
                    "webhook.soar.format",
                    "generic",
                    "webhook.soar.secret",
                    "gate-test-signing-secret",
                    "webhook.soar.rules",
                    "rotation-disabled"));
            AppConfig config = new ConfigLoader(Map.of(), Clock.fixed(now, ZoneOffset.UTC))
                    .settings(settings)
                    .asOf(now)
                    .load();
            try (SecretTrailRuntime d = SecretTrailRuntime.startOn(config, Set.of(), store, () -> {
                gateAsked.incrementAndGet();
                return caughtUp.get();
            })) {
                // the gate is asked after each report is built: two reports built while catching up
                await().atMost(Duration.ofSeconds(30)).until(() -> gateAsked.get() >= 2);
                assertThat(got).as("nothing while analytics catches up").isEmpty();
                caughtUp.set(true);
                await().atMost(Duration.ofSeconds(10)).until(() -> !got.isEmpty());
            }
        } finally {
            receiver.stop(0);
        }
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).contains("\"rule\":\"rotation-disabled\"").contains(arn);
    }
}
