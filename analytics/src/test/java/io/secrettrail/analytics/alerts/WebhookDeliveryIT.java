package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.rules.Evidence;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.store.EventStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver on loopback, with a clock the test moves. */
class WebhookDeliveryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "a-shared-signing-secret";
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final String DB = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** What the receiver got. */
    record Received(Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    HttpServer receiver;
    int port;
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    /** Scripted answers, in order; when empty, 200. Each: status, then header name/value pairs. */
    final ConcurrentLinkedQueue<String[]> answers = new ConcurrentLinkedQueue<>();

    EventStore store;
    MovingClock clock = new MovingClock();

    @BeforeEach
    void open() throws Exception {
        store = EventStore.open(null);
        startReceiver(0);
    }

    void startReceiver(int onPort) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        receiver.createContext("/", ex -> {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String[] a = answers.poll();
            int status = a == null ? 200 : Integer.parseInt(a[0]);
            if (status >= 200 && status < 300) {
                received.add(new Received(h, body));
            } else {
                received.add(new Received(
                        Map.of(
                                "refused",
                                Integer.toString(status),
                                "x-secrettrail-delivery",
                                h.getOrDefault("x-secrettrail-delivery", "")),
                        body));
            }
            for (int i = 1; a != null && i + 1 < a.length; i += 2) {
                ex.getResponseHeaders().add(a[i], a[i + 1]);
            }
            byte[] out = ("answer " + status).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void close() throws Exception {
        receiver.stop(0);
        store.close();
    }

    WebhookSettings settings(String... kv) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        Set<String> ids =
                Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList());
        return WebhookSettings.of(m, ids);
    }

    WebhookSettings generic(String... more) throws IOException {
        List<String> kv = new ArrayList<>(List.of(
                "webhook.soar.url",
                "http://127.0.0.1:" + port + "/hook",
                "webhook.soar.format",
                "generic",
                "webhook.soar.secret",
                SECRET));
        kv.addAll(List.of(more));
        return settings(kv.toArray(String[]::new));
    }

    static Finding alarm(String rule, String severity, String resource) {
        return new Finding(
                rule,
                severity,
                resource,
                "alarm",
                "read 20 distinct secrets in 4 s",
                "111111111111",
                "us-east-1",
                T0.minusSeconds(60),
                T0,
                "arn:aws:iam::111111111111:role/app",
                new Evidence(
                        "arn:aws:iam::111111111111:role/app",
                        T0.minusSeconds(4),
                        T0,
                        Map.of("secrets", 20),
                        20,
                        List.of("203.0.113.7"),
                        List.of("aws-cli/2"),
                        List.of("e1", "e2")));
    }

    List<Received> accepted() {
        return received.stream()
                .filter(r -> !r.headers().containsKey("refused"))
                .toList();
    }

    List<Map<String, Object>> log(String webhook) throws Exception {
        return Deliverer.log(store, webhook, 100);
    }

    @Test
    void generic_payloads_are_signed_and_verify_with_the_shared_secret_only() throws Exception {
        WebhookSettings s = generic();
        new AlertLedger(store, s)
                .record(
                        List.of(alarm("bulk-retrieval", "high", "arn:aws:iam::111111111111:role/app")),
                        clock.instant());
        assertThat(new Deliverer(store, s, clock).deliverDue()).isEqualTo(1);
        Received r = accepted().get(0);
        String ts = r.headers().get("x-secrettrail-timestamp");
        assertThat(ts).isEqualTo(Long.toString(T0.getEpochSecond()));
        assertThat(r.headers().get("x-secrettrail-signature")).isEqualTo("sha256=" + Sender.sign(SECRET, ts, r.body()));
        assertThat(r.headers().get("x-secrettrail-signature"))
                .isNotEqualTo("sha256=" + Sender.sign("another-secret-entirely", ts, r.body()));
        assertThat(r.headers().get("x-secrettrail-signature"))
                .isNotEqualTo(
                        "sha256=" + Sender.sign(SECRET, ts, r.body().replace("bulk-retrieval", "bulk-retrieva1")));
        JsonNode p = r.json();
        assertThat(p.get("rule").asText()).isEqualTo("bulk-retrieval");
        for (String field :
                List.of("id", "severity", "resource", "reason", "account", "region", "firstSeen", "occurredAt")) {
            assertThat(p.get(field).asText()).as(field).isNotBlank();
        }
        assertThat(p.get("evidence").get("sourceIps").get(0).asText()).isEqualTo("203.0.113.7");
        assertThat(r.headers().get("x-secrettrail-delivery"))
                .isEqualTo(p.get("id").asText() + ":soar");
        assertThat(log("soar").get(0)).containsEntry("status", "delivered").containsEntry("attempts", 1);
    }

    @Test
    void slack_gets_text_and_blocks_with_event_strings_escaped() throws Exception {
        WebhookSettings s = settings(
                "webhook.chat.url",
                "http://127.0.0.1:" + port + "/services/T000/B000/XXXXSECRET",
                "webhook.chat.format",
                "slack",
                "web.publicUrl",
                "https://secrettrail.example.com");
        String hostile = "arn:aws:secretsmanager:us-east-1:111111111111:secret:<!channel>&<script>-AbCdEf";
        new AlertLedger(store, s).record(List.of(alarm("public-policy", "high", hostile)), clock.instant());
        new Deliverer(store, s, clock).deliverDue();
        JsonNode m = accepted().get(0).json();
        assertThat(m.get("text").asText())
                .startsWith("[HIGH] public-policy on ")
                .contains("&lt;!channel&gt;&amp;&lt;script&gt;");
        assertThat(m.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(m.get("blocks").toString())
                .contains("*Rule*\\npublic-policy")
                .contains("*Severity*\\nHIGH")
                .contains("<https://secrettrail.example.com/secret?arn=arn%3Aaws%3Asecretsmanager%3A")
                .doesNotContain("<!channel>")
                .doesNotContain("<script>");
        assertThat(accepted().get(0).headers()).doesNotContainKey("x-secrettrail-signature");
        assertThat(s.get("chat").maskedUrl()).isEqualTo("http://127.0.0.1:" + port + "/services/****/****/****");
    }

    @Test
    void severity_and_rule_filters_choose_the_webhooks() throws Exception {
        WebhookSettings s = generic(
                "webhook.soar.minSeverity",
                "high",
                "webhook.sec.url",
                "http://127.0.0.1:" + port + "/sec",
                "webhook.sec.format",
                "generic",
                "webhook.sec.secret",
                SECRET,
                "webhook.sec.rules",
                "public-policy");
        new AlertLedger(store, s)
                .record(
                        List.of(
                                alarm("unused-secret", "low", DB),
                                alarm("bulk-retrieval", "high", "role/a"),
                                alarm("public-policy", "high", DB)),
                        clock.instant());
        new Deliverer(store, s, clock).deliverDue();
        assertThat(log("soar"))
                .extracting(m -> m.get("rule"))
                .containsExactlyInAnyOrder("bulk-retrieval", "public-policy");
        assertThat(log("sec")).extracting(m -> m.get("rule")).containsExactly("public-policy");
        assertThatThrownBy(() -> generic("webhook.soar.rules", "no-such-rule"))
                .hasMessageStartingWith("webhook.soar.rules: no rule no-such-rule");
        assertThatThrownBy(() -> settings("webhook.x.url", "http://h/", "webhook.x.format", "generic"))
                .hasMessageContaining("webhook.x.secret: a generic webhook needs a signing secret");
        assertThatThrownBy(() -> generic("webhook.soar.minSeverity", "urgent"))
                .hasMessageStartingWith("webhook.soar.minSeverity");
    }

    @Test
    void five_oh_three_three_times_then_two_hundred_is_one_accepted_delivery() throws Exception {
        WebhookSettings s = generic();
        answers.add(new String[] {"503"});
        answers.add(new String[] {"503"});
        answers.add(new String[] {"503"});
        new AlertLedger(store, s).record(List.of(alarm("bulk-retrieval", "high", "role/a")), clock.instant());
        Deliverer d = new Deliverer(store, s, clock);
        for (int i = 0; i < 4; i++) {
            d.deliverDue();
            clock.advance(Duration.ofMinutes(2)); // beyond any backoff of the first attempts (at most 1.5 x 4 s)
        }
        d.deliverDue();
        assertThat(received).hasSize(4);
        assertThat(accepted()).hasSize(1);
        assertThat(received.stream()
                        .map(r -> r.headers().get("x-secrettrail-delivery"))
                        .distinct())
                .hasSize(1);
        Map<String, Object> row = log("soar").get(0);
        assertThat(row)
                .containsEntry("status", "delivered")
                .containsEntry("attempts", 4)
                .containsEntry("lastStatus", 200);
    }

    @Test
    void retry_after_is_honoured() throws Exception {
        WebhookSettings s = generic();
        answers.add(new String[] {"429", "Retry-After", "2"});
        new AlertLedger(store, s).record(List.of(alarm("bulk-retrieval", "high", "role/a")), clock.instant());
        Deliverer d = new Deliverer(store, s, clock);
        d.deliverDue();
        assertThat(log("soar").get(0))
                .containsEntry("nextAttemptAt", "2026-11-21T12:00:02Z")
                .containsEntry("status", "pending")
                .containsEntry("lastStatus", 429);
        clock.advance(Duration.ofMillis(1999));
        assertThat(d.deliverDue()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(d.deliverDue()).isEqualTo(1);
        assertThat(accepted()).hasSize(1);
    }

    @Test
    void a_receiver_down_for_a_while_gets_every_alert_exactly_once() throws Exception {
        WebhookSettings s = generic("webhook.soar.perMinute", "100");
        receiver.stop(0); // down: connections refused
        new AlertLedger(store, s)
                .record(
                        List.of(
                                alarm("bulk-retrieval", "high", "role/a"),
                                alarm("public-policy", "high", DB),
                                alarm("secret-deleted", "high", DB + "x")),
                        clock.instant());
        Deliverer d = new Deliverer(store, s, clock);
        d.deliverDue();
        assertThat(log("soar")).allSatisfy(r -> {
            assertThat(r).containsEntry("status", "pending");
            assertThat((String) r.get("lastError")).startsWith("connection failed");
        });
        clock.advance(Duration.ofMinutes(5));
        d.deliverDue(); // still down
        startReceiver(port); // back up
        clock.advance(Duration.ofMinutes(10));
        d.deliverDue();
        clock.advance(Duration.ofMinutes(10));
        d.deliverDue();
        List<String> ids = new ArrayList<>();
        for (Received r : accepted()) {
            ids.add(r.json().get("id").asText());
        }
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(log("soar")).allSatisfy(r -> assertThat(r).containsEntry("status", "delivered"));
        // a later pass, and a new deliverer after a restart, send nothing again
        clock.advance(Duration.ofHours(1));
        assertThat(d.deliverDue()).isZero();
        assertThat(new Deliverer(store, s, clock).deliverDue()).isZero();
        assertThat(accepted()).hasSize(3);
    }

    @Test
    void a_redirect_is_not_followed_and_a_400_is_not_retried() throws Exception {
        WebhookSettings s = generic("webhook.soar.perMinute", "100");
        answers.add(new String[] {"302", "Location", "http://elsewhere.example/steal?token=abc"});
        answers.add(new String[] {"400"});
        new AlertLedger(store, s)
                .record(
                        List.of(alarm("bulk-retrieval", "high", "role/a"), alarm("public-policy", "high", DB)),
                        clock.instant());
        Deliverer d = new Deliverer(store, s, clock);
        d.deliverDue();
        clock.advance(Duration.ofHours(2));
        d.deliverDue();
        assertThat(received).hasSize(2);
        List<Map<String, Object>> rows = log("soar");
        assertThat(rows)
                .allSatisfy(r -> assertThat(r).containsEntry("status", "failed").containsEntry("attempts", 1));
        assertThat(rows)
                .anySatisfy(r -> assertThat((String) r.get("lastError"))
                        .isEqualTo(
                                "HTTP 302, redirect to http://elsewhere.example/steal?**** not followed: answer 302"));
        assertThat(rows).anySatisfy(r -> assertThat((String) r.get("lastError")).isEqualTo("HTTP 400: answer 400"));
    }

    @Test
    void one_notification_per_episode_and_clears_when_asked() throws Exception {
        WebhookSettings s = generic("webhook.soar.notifyClear", "true", "webhook.soar.perMinute", "100");
        AlertLedger ledger = new AlertLedger(store, s);
        Deliverer d = new Deliverer(store, s, clock);
        Finding f = alarm("bulk-retrieval", "high", "role/a");
        ledger.record(List.of(f), clock.instant());
        clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.record(List.of(f), clock.instant()).enqueued()).isZero(); // same episode
        d.deliverDue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.record(List.of(), clock.instant()))
                .extracting(AlertLedger.Transitions::closed, AlertLedger.Transitions::enqueued)
                .containsExactly(1, 1);
        clock.advance(Duration.ofMinutes(1));
        ledger.record(List.of(f), clock.instant()); // a new episode
        d.deliverDue();
        List<JsonNode> bodies = new ArrayList<>();
        for (Received r : accepted()) {
            bodies.add(r.json());
        }
        assertThat(bodies).extracting(b -> b.get("transition").asText()).containsExactly("alarm", "ok", "alarm");
        assertThat(bodies.get(1).get("id").asText())
                .isEqualTo(bodies.get(0).get("id").asText() + "-clear");
        assertThat(bodies.get(2).get("id").asText())
                .isNotEqualTo(bodies.get(0).get("id").asText());
    }

    @Test
    void a_burst_beyond_the_rate_goes_out_as_one_digest() throws Exception {
        WebhookSettings s = generic("webhook.soar.perMinute", "2");
        List<Finding> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(alarm("first-seen-principal", "low", DB + i));
        }
        new AlertLedger(store, s).record(burst, clock.instant());
        Deliverer d = new Deliverer(store, s, clock);
        assertThat(d.deliverDue()).isEqualTo(2);
        assertThat(accepted()).hasSize(2);
        JsonNode digest = accepted().get(1).json();
        assertThat(digest.get("transition").asText()).isEqualTo("digest");
        assertThat(digest.get("count").asInt()).isEqualTo(5);
        assertThat(digest.get("alerts")).hasSize(5);
        assertThat(log("soar"))
                .filteredOn(r -> "digested".equals(r.get("status")))
                .hasSize(5);
        assertThat(d.deliverDue()).isZero(); // nothing left, nothing sent twice
    }

    @Test
    void suppressions_from_config_and_from_the_dashboard_silence_deliveries() throws Exception {
        WebhookSettings s = generic(
                "suppress.sandbox.rule",
                "unused-secret",
                "suppress.sandbox.resource",
                "arn:aws:secretsmanager:*:*:secret:sandbox/*",
                "suppress.sandbox.reason",
                "sandbox churn",
                "webhook.soar.perMinute",
                "100");
        try (Connection c = store.reader();
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO alert_actions (acted_at, rule, resource, principal, action, reason, expires, actor)"
                    + " VALUES (TIMESTAMP '2026-11-21 11:00:00', 'public-policy', '" + DB
                    + "', '', 'suppress', 'approved exception', TIMESTAMP '2026-12-01 00:00:00', 'alice')");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        AlertLedger.Transitions t = new AlertLedger(store, s)
                .record(
                        List.of(
                                alarm(
                                        "unused-secret",
                                        "low",
                                        "arn:aws:secretsmanager:us-east-1:111111111111:secret:sandbox/tmp-AbCdEf"),
                                alarm("unused-secret", "low", DB),
                                alarm("public-policy", "high", DB)),
                        clock.instant());
        assertThat(t.suppressed()).isEqualTo(2);
        new Deliverer(store, s, clock).deliverDue();
        assertThat(accepted()).hasSize(1);
        assertThat(accepted().get(0).json().get("resource").asText()).isEqualTo(DB);
        assertThat(accepted().get(0).json().get("rule").asText()).isEqualTo("unused-secret");
    }

    @Test
    void the_test_message_reaches_the_receiver() throws Exception {
        WebhookSettings s = generic();
        Deliverer.Attempt a = new Deliverer(store, s, clock).test(s.get("soar"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.error()).isNull();
        assertThat(accepted().get(0).json().get("transition").asText()).isEqualTo("test");
        try (Connection c = store.reader();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM webhook_outbox")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void latency_and_the_pass_budget_come_from_the_injected_monotonic_source() throws Exception {
        WebhookSettings s = generic("webhook.soar.perMinute", "100");
        new AlertLedger(store, s)
                .record(
                        List.of(alarm("bulk-retrieval", "high", "role/a"), alarm("public-policy", "high", DB)),
                        clock.instant());
        // every reading moves the source half a deadline on: the first attempt "takes" 10 s, and then the
        // webhook's budget of one deadline per pass is spent, whatever the wall clock did
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        long half = Sender.DEADLINE.toNanos() / 2;
        Deliverer d = new Deliverer(
                new Outbox(store),
                new Sender(Sender.DEADLINE, s.publicUrl()),
                Deliverer.retryPolicy(clock),
                s,
                clock,
                () -> nanos.getAndAdd(half));
        assertThat(d.deliverDue()).isEqualTo(1);
        List<Map<String, Object>> rows = log("soar");
        assertThat(rows)
                .filteredOn(r -> "delivered".equals(r.get("status")))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("latencyMs", 10_000L));
        assertThat(rows)
                .filteredOn(r -> "pending".equals(r.get("status")))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("attempts", 0));
        assertThat(d.deliverDue()).isEqualTo(1); // the next pass has its own budget
        assertThat(log("soar")).allSatisfy(r -> assertThat(r).containsEntry("status", "delivered"));
    }
}
