package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.alerts.AlertLedger;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a quiet account still gets its posture alerts. A secret with no traffic crosses its 90
 * days unrotated while no event arrives; the report built on the clock raises stale-rotation and
 * its webhook reaches a real receiver on loopback, once.
 */
class PostureOnTheClockIT {
    static final String DB = RuleFixture.arn("us-east-1", "prod/db");
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    HttpServer receiver;
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    RuleFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        receiver.start();
    }

    @AfterEach
    void close() throws Exception {
        receiver.stop(0);
        fx.close();
    }

    @Test
    void stale_rotation_fires_on_the_clock_and_its_webhook_is_sent() throws Exception {
        fx.inventory(
                DB,
                null,
                true,
                T0.minus(Duration.ofDays(400)),
                T0.minus(Duration.ofDays(90)).plus(Duration.ofMinutes(10)),
                null,
                null,
                null);
        WebhookSettings hooks = WebhookSettings.of(
                Map.of(
                        "webhook.soar.url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "webhook.soar.format",
                        "generic",
                        "webhook.soar.secret",
                        "a-shared-signing-secret"),
                Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
        MovingClock clock = new MovingClock(T0);
        AlertLedger ledger = new AlertLedger(fx.store(), hooks);
        Deliverer deliverer = new Deliverer(fx.store(), hooks, clock);
        long version = fx.store().version();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            reports.onBuilt(r -> {
                try {
                    ledger.record(r.alerts(), clock.instant());
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return true;
            });
            reports.tick(clock);
            deliverer.deliverDue();
            List<String> before = List.copyOf(received);
            assertThat(before).noneMatch(b -> b.contains("stale-rotation"));

            clock.advance(Duration.ofMinutes(10));
            assertThat(reports.tick(clock)).as("no event and not yet max age").isFalse();
            clock.advance(Duration.ofMinutes(5));
            assertThat(reports.tick(clock)).isTrue();
            deliverer.deliverDue();
            List<String> stale = received.stream()
                    .filter(b -> b.contains("\"stale-rotation\""))
                    .toList();
            assertThat(stale).singleElement().satisfies(b -> {
                JsonNode p = io.secrettrail.core.Json.mapper().readTree(b);
                assertThat(p.get("rule").asText()).isEqualTo("stale-rotation");
                assertThat(p.get("resource").asText()).isEqualTo(DB);
            });
            assertThat(fx.store().version()).as("no event arrived").isEqualTo(version);

            // the next build on the clock sends nothing again: the episode is open
            clock.advance(Duration.ofMinutes(15));
            assertThat(reports.tick(clock)).isTrue();
            deliverer.deliverDue();
            assertThat(received.stream().filter(b -> b.contains("\"stale-rotation\"")))
                    .hasSize(1);
        } finally {
            deliverer.close();
        }
    }
}
