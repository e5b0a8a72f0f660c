package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a weekly digest per team, Mondays 09:00 Europe/Berlin, as serve runs it after each report: a real
 * signed receiver and a Slack one on loopback, a DuckDB file reopened as a restart does, a clock the test moves
 * across the end of summer time (2026-10-25). payments/db is the payments team's (its team tag) and has
 * rotation off (a posture failure); app/api is the platform team's.
 */
class ScheduledDigestIT {
    static final String SECRET = "digest-webhook-signing-secret";
    static final String PAYMENTS = arn("us-east-1", "payments/db");
    static final String API = arn("us-east-1", "app/api");

    @TempDir
    Path dir;

    LoopbackReceiver receiver;
    final WebhookDeliveryIT.MovingClock clock = new WebhookDeliveryIT.MovingClock();
    RuleFixture fx;
    WebhookSettings hooks;
    final ReportSettings report = ReportSettings.of(Map.of());

    @BeforeEach
    void open() throws Exception {
        receiver = LoopbackReceiver.start();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("webhook.finops.url", receiver.url("/finops"));
        s.put("webhook.finops.format", "generic");
        s.put("webhook.finops.secret", SECRET);
        s.put("webhook.finops.rules", "budget"); // its alerts are few: the digests are what it gets here
        s.put("webhook.chat.url", receiver.url("/chat"));
        s.put("webhook.chat.format", "slack");
        s.put("webhook.chat.rules", "budget");
        s.put("digest.finops.cron", "cron(0 9 ? * MON *)");
        s.put("digest.finops.zone", "Europe/Berlin");
        s.put("digest.payments-chat.cron", "cron(0 9 ? * MON *)");
        s.put("digest.payments-chat.zone", "Europe/Berlin");
        s.put("digest.payments-chat.teams", "payments");
        s.put("digest.payments-chat.webhook", "chat");
        hooks = WebhookSettings.of(
                s, Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
        fx = new RuleFixture(dir.resolve("secrettrail.duckdb"));
        // payments/db is the payments team's by its team tag (the ownership resolution's default); app/api is nobody's
        fx.listed(PAYMENTS, "\"RotationEnabled\":false,\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"}]");
        fx.listed(API, "\"RotationEnabled\":true,\"Tags\":[{\"Key\":\"team\",\"Value\":\"platform\"}]");
        // September in the trail: the report's months run from it, so the digest has a last month
        fx.apiCall("GetSecretValue", API, Instant.parse("2026-09-15T00:00:00Z"), null);
        fx.apiCall("GetSecretValue", PAYMENTS, Instant.parse("2026-10-02T00:00:00Z"), null);
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        fx.close();
    }

    Report last;

    /** One tick of serve at {@code at}: the report, the alerts, the digests due, the deliveries due. */
    private List<LoopbackReceiver.Request> tick(String at) throws Exception {
        clock.now = Instant.parse(at);
        try (Connection c = fx.reader()) {
            last = new ReportService(c, report).build(clock.instant(), 0, 0, 0, false);
        }
        int before = receiver.count();
        new AlertLedger(fx.store(), hooks).record(last.alerts(), last::teamOf, clock.instant());
        new Digests(fx.store(), hooks).run(last, clock.instant());
        new Deliverer(fx.store(), hooks, clock).deliverDue();
        return receiver.since(before);
    }

    private static List<JsonNode> generic(List<LoopbackReceiver.Request> got) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LoopbackReceiver.Request r : got) {
            if (r.headers().containsKey("x-secrettrail-signature")) {
                String ts = r.headers().get("x-secrettrail-timestamp");
                assertThat(r.headers().get("x-secrettrail-signature")).isEqualTo("sha256=" + hmac(ts + "." + r.body()));
                out.add(r.json());
            }
        }
        out.sort(java.util.Comparator.comparing(j -> j.path("team").asText()));
        return out;
    }

    private static List<JsonNode> slack(List<LoopbackReceiver.Request> got) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LoopbackReceiver.Request r : got) {
            if (!r.headers().containsKey("x-secrettrail-signature")) {
                out.add(r.json());
            }
        }
        return out;
    }

    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The rules of the last report's posture alarms on payments/db, or on anything else. */
    private List<String> posture(boolean payments) {
        return last.alerts().stream()
                .filter(f -> f.alarm() && f.incident() == null && f.resource().equals(PAYMENTS) == payments)
                .map(f -> f.rule())
                .sorted()
                .toList();
    }

    private BigDecimal line(String month, String arn, boolean end) {
        MonthCost m = last.cost().months().stream()
                .filter(x -> x.month().equals(month))
                .findFirst()
                .orElseThrow();
        MonthCost.Line l = m.bySecret().stream()
                .filter(x -> x.key().equals(arn))
                .findFirst()
                .orElseThrow();
        // as JSON writes money: to 1e-10 dollars (Money.json)
        return new BigDecimal(io.secrettrail.core.Money.json(end ? l.endUsd() : l.totalUsd()));
    }

    @Test
    void each_team_gets_one_digest_per_period_and_a_restart_after_missed_periods_sends_the_latest_once()
            throws Exception {
        // Monday 2026-10-19 08:59 CEST: the period that began Monday 2026-10-12 09:00 CEST was never sent
        List<LoopbackReceiver.Request> first = tick("2026-10-19T06:59:00Z");
        assertThat(generic(first))
                .extracting(j -> j.path("team").asText() + " "
                        + j.path("period").path("start").asText())
                .containsExactly(
                        "payments 2026-10-12T07:00:00Z",
                        "platform 2026-10-12T07:00:00Z",
                        "unowned 2026-10-12T07:00:00Z");
        assertThat(tick("2026-10-19T06:59:59Z"))
                .as("the same period: nothing again")
                .isEmpty();

        // 09:00 CEST: a new period; each team's digest covers the week before
        List<LoopbackReceiver.Request> monday = tick("2026-10-19T07:00:00Z");
        List<JsonNode> week = generic(monday);
        assertThat(week).hasSize(3);
        JsonNode payments = week.get(0);
        assertThat(payments.path("transition").asText()).isEqualTo("scheduled-digest");
        assertThat(payments.path("digest").asText()).isEqualTo("finops");
        assertThat(payments.path("team").asText()).isEqualTo("payments");
        assertThat(payments.path("period").path("start").asText()).isEqualTo("2026-10-19T07:00:00Z");
        assertThat(payments.path("period").path("coversFrom").asText()).isEqualTo("2026-10-12T07:00:00Z");
        assertThat(payments.path("period").path("zone").asText()).isEqualTo("Europe/Berlin");
        JsonNode cost = payments.path("costUsd");
        assertThat(cost.path("month").asText()).isEqualTo("2026-10");
        assertThat(cost.path("thisMonth").decimalValue())
                .as("the team's secret only")
                .isEqualByComparingTo(line("2026-10", PAYMENTS, false))
                .isPositive();
        assertThat(cost.path("thisMonthProjected").decimalValue())
                .isEqualByComparingTo(line("2026-10", PAYMENTS, true));
        assertThat(cost.path("lastMonthName").asText()).isEqualTo("2026-09");
        assertThat(cost.path("lastMonth").decimalValue()).isEqualByComparingTo(line("2026-09", PAYMENTS, false));
        List<String> postureOfPayments = posture(true);
        assertThat(postureOfPayments)
                .as("rotation off on payments/db, first seen at 08:59")
                .contains("rotation-disabled");
        assertThat(payments.path("newPostureFailures").path("count").asInt()).isEqualTo(postureOfPayments.size());
        List<String> listed = new ArrayList<>();
        payments.path("newPostureFailures")
                .path("top")
                .forEach(f -> listed.add(f.path("rule").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(postureOfPayments);
        assertThat(payments.path("openIncidents").path("count").asInt()).isZero();
        assertThat(payments.toString()).doesNotContain("app/api");
        JsonNode platform = week.get(1);
        assertThat(platform.path("team").asText()).isEqualTo("platform");
        assertThat(platform.path("costUsd").path("thisMonth").decimalValue())
                .isEqualByComparingTo(line("2026-10", API, false));
        assertThat(platform.path("newPostureFailures").path("count").asInt())
                .as("the others' failures: the platform team's")
                .isEqualTo(posture(false).size());
        assertThat(platform.toString()).doesNotContain("payments/db");
        JsonNode unowned = week.get(2);
        assertThat(unowned.path("team").asText())
                .as("listed by default, though no secret is unowned")
                .isEqualTo("unowned");
        assertThat(unowned.path("costUsd").path("thisMonth").decimalValue()).isZero();
        assertThat(unowned.toString()).doesNotContain("payments/db").doesNotContain("app/api");

        List<JsonNode> chat = slack(monday);
        assertThat(chat).as("payments-chat lists the payments team only").hasSize(1);
        assertThat(chat.get(0).path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Digest: payments");
        assertThat(chat.get(0).path("text").asText()).contains("payments-chat");
        assertThat(chat.get(0).path("blocks").toString())
                .contains("rotation-disabled")
                .contains("New posture failures");

        assertThat(tick("2026-10-19T07:01:00Z")).isEmpty();

        // a restart: the file reopened, new services; the marks are on disk
        fx.restart();
        assertThat(tick("2026-10-19T10:00:00Z"))
                .as("sent before the restart: not again")
                .isEmpty();

        // down over 2026-10-26 and 2026-11-02; back on 2026-11-09, after summer time: 09:00 CET is 08:00Z
        fx.restart();
        assertThat(generic(tick("2026-11-09T07:59:00Z")))
                .as("08:59 CET: the latest firing was 2026-11-02, sent once for the three missed")
                .extracting(j -> j.path("team").asText() + " "
                        + j.path("period").path("start").asText())
                .containsExactly(
                        "payments 2026-11-02T08:00:00Z",
                        "platform 2026-11-02T08:00:00Z",
                        "unowned 2026-11-02T08:00:00Z");
        List<JsonNode> back = generic(tick("2026-11-09T08:00:00Z"));
        assertThat(back)
                .extracting(j -> j.path("team").asText() + " "
                        + j.path("period").path("start").asText() + " "
                        + j.path("period").path("coversFrom").asText())
                .containsExactly(
                        "payments 2026-11-09T08:00:00Z 2026-11-02T08:00:00Z",
                        "platform 2026-11-09T08:00:00Z 2026-11-02T08:00:00Z",
                        "unowned 2026-11-09T08:00:00Z 2026-11-02T08:00:00Z");
        assertThat(back.get(0).path("newPostureFailures").path("count").asInt())
                .as("rotation has been off since October: not new")
                .isZero();
        assertThat(back.get(0).path("costUsd").path("lastMonthName").asText()).isEqualTo("2026-10");
        assertThat(tick("2026-11-09T09:00:00Z")).isEmpty();
        try (var c = fx.reader();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM digest_marks")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .as("3 teams x 4 periods to finops, 4 payments-chat")
                    .isEqualTo(16);
        }
    }

    /**
     * A team digest is never folded into the rate limit's digest: anyone who may tag secrets can make teams (one
     * tag value each), and the digests beyond a webhook's perMinute were folded into one "N alerts" message of
     * alert lines, every team's figures lost and its period marked sent. They wait for room instead.
     */
    @Test
    void team_digests_beyond_the_rate_wait_for_room_and_each_arrives_as_a_digest() throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("webhook.chat.url", receiver.url("/chat"));
        s.put("webhook.chat.format", "slack");
        s.put("webhook.chat.rules", "budget");
        s.put("webhook.chat.perMinute", "2");
        s.put("digest.chat.cron", "cron(0 9 ? * MON *)");
        hooks = WebhookSettings.of(
                s, Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
        for (String t : List.of("t1", "t2", "t3")) {
            fx.listed(
                    arn("us-east-1", "app/" + t),
                    "\"RotationEnabled\":true,\"Tags\":[{\"Key\":\"team\",\"Value\":\"" + t + "\"}]");
        }
        List<LoopbackReceiver.Request> got = new ArrayList<>(tick("2026-10-19T09:00:00Z"));
        Deliverer d = new Deliverer(fx.store(), hooks, clock);
        for (int minute = 0; minute < 5; minute++) {
            clock.now = clock.now.plusSeconds(61);
            int before = receiver.count();
            d.deliverDue();
            got.addAll(receiver.since(before));
        }
        List<String> headers = new ArrayList<>();
        for (JsonNode m : slack(got)) {
            headers.add(m.path("blocks").get(0).path("text").path("text").asText());
        }
        assertThat(headers)
                .as("one Slack digest per team, none folded into an alerts digest")
                .containsExactlyInAnyOrder(
                        "Digest: payments",
                        "Digest: platform",
                        "Digest: t1",
                        "Digest: t2",
                        "Digest: t3",
                        "Digest: unowned");
    }
}
