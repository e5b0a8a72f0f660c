package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * webhook.NAME.format=ocsf: a real DuckDB store, the durable outbox and a receiver on loopback. What arrives is
 * signed OCSF JSON lines, every line a valid Detection Finding, the alarm and its clear one finding id.
 */
class OcsfWebhookIT {
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");
    static final String SECRET = "a-shared-signing-secret";

    RuleFixture fx;
    LoopbackReceiver receiver;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
        receiver = LoopbackReceiver.start();
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        fx.close();
    }

    /** Records the transitions at {@code now} and delivers what is due, with the clock at {@code now}. */
    private void pass(WebhookSettings s, Instant now) throws Exception {
        List<Finding> alarms = fx.run("bulk-retrieval", now, Map.of());
        new AlertLedger(fx.store(), s).record(alarms, now);
        new Deliverer(fx.store(), s, Clock.fixed(now, ZoneOffset.UTC)).deliverDue();
    }

    /** The request's findings, each checked against the schema, after checking its signature. */
    private static List<JsonNode> findings(LoopbackReceiver.Request r) throws Exception {
        assertThat(r.headers().get("content-type")).isEqualTo("application/x-ndjson");
        String ts = r.headers().get("x-secrettrail-timestamp");
        assertThat(r.headers().get("x-secrettrail-signature")).isEqualTo("sha256=" + Sender.sign(SECRET, ts, r.body()));
        assertThat(r.body()).endsWith("\n");
        return OcsfTest.SCHEMA.validLines(r.body());
    }

    @Test
    void an_incident_arrives_as_a_signed_create_and_its_clear_closes_the_same_finding() throws Exception {
        WebhookSettings s = receiver.webhook("lake", SECRET, "format", "ocsf");
        fx.burst("intruder", T0.minusSeconds(60));
        pass(s, T0);
        assertThat(receiver.count()).isEqualTo(1);
        JsonNode created = findings(receiver.since(0).get(0)).get(0);
        assertThat(created.get("activity_id").asInt()).isEqualTo(1);
        assertThat(created.at("/resources/0/uid").asText()).isEqualTo(RuleFixture.role("intruder"));

        pass(s, T0.plus(Duration.ofMinutes(5)));
        assertThat(receiver.count()).as("nothing twice").isEqualTo(1);

        pass(s, T0.plus(Duration.ofHours(30)));
        assertThat(receiver.count()).isEqualTo(2);
        JsonNode closed = findings(receiver.since(1).get(0)).get(0);
        assertThat(closed.get("activity_id").asInt()).isEqualTo(3);
        assertThat(closed.get("status").asText()).isEqualTo("Resolved");
        assertThat(closed.at("/finding_info/uid").asText())
                .isEqualTo(created.at("/finding_info/uid").asText());
        assertThat(closed.at("/metadata/uid").asText())
                .isNotEqualTo(created.at("/metadata/uid").asText());
    }

    @Test
    void past_its_rate_an_ocsf_webhook_gets_one_request_of_one_line_per_alert() throws Exception {
        WebhookSettings s = receiver.webhook("lake", SECRET, "format", "ocsf", "perMinute", "1");
        for (String who : List.of("a", "b", "c")) {
            fx.burst(who, T0.minusSeconds(60));
        }
        pass(s, T0);
        assertThat(receiver.count()).isEqualTo(1);
        List<JsonNode> lines = findings(receiver.since(0).get(0));
        assertThat(lines)
                .extracting(f -> f.at("/resources/0/uid").asText())
                .containsExactlyInAnyOrder(RuleFixture.role("a"), RuleFixture.role("b"), RuleFixture.role("c"));
        assertThat(lines).extracting(f -> f.at("/finding_info/uid").asText()).doesNotHaveDuplicates();
    }

    @Test
    void the_test_message_is_a_valid_finding() throws Exception {
        WebhookSettings s = receiver.webhook("lake", SECRET, "format", "ocsf");
        Deliverer.Attempt a = new Deliverer(null, s, Clock.fixed(T0, ZoneOffset.UTC)).test(s.get("lake"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(findings(receiver.since(0).get(0)))
                .singleElement()
                .satisfies(f ->
                        assertThat(f.at("/finding_info/analytic/uid").asText()).isEqualTo("webhook-test"));
    }
}
