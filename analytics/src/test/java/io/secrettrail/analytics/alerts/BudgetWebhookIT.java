package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget rule (issue 15 §3) through the webhooks, as serve runs them after each report: a real signed receiver
 * on loopback, a DuckDB file and a clock the test moves. Five inventoried secrets cost $0.40 a month each; five
 * more are created on 2026-11-11T12:00Z, so November projects $2.00 before and 2.00 + 5 x 0.40 x 468 h / 720 h =
 * $3.30 after (+ five CreateSecret calls, $0.000025); December, with all ten for the whole month, $4.00. The budget
 * is $3.00 for all accounts together. Regression (issue 15): the budget is a standing state keyed on its line ("all
 * accounts"), and December's breach was taken for November's still-open episode, so it was never notified.
 */
class BudgetWebhookIT {
    static final String SECRET = "budget-webhook-signing-secret";
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant CREATED = Instant.parse("2026-11-11T12:00:00Z");

    @TempDir
    Path dir;

    LoopbackReceiver receiver;
    final WebhookDeliveryIT.MovingClock clock = new WebhookDeliveryIT.MovingClock();
    RuleFixture fx;
    WebhookSettings hooks;
    final ReportSettings report = ReportSettings.of(Map.of("budget.monthlyUsd", "3"));

    @BeforeEach
    void open() throws Exception {
        receiver = LoopbackReceiver.start();
        hooks = receiver.webhook("finops", SECRET, "rules", "budget");
        fx = new RuleFixture(dir.resolve("secrettrail.duckdb"));
        for (int i = 0; i < 5; i++) {
            fx.inventory(arn("us-east-1", "app/s" + i), null, true, OLD, null, null, null, null);
            fx.apiCall("CreateSecret", arn("us-east-1", "new/s" + i), CREATED, null);
        }
        // the trail reaches back into October, so October is a closed month of the report
        fx.apiCall("GetSecretValue", arn("us-east-1", "app/s0"), Instant.parse("2026-10-15T00:00:00Z"), null);
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        fx.close();
    }

    /** One tick of serve at {@code at}: the report, its alert transitions into the ledger, the deliveries due. */
    private List<JsonNode> tick(Instant at) throws Exception {
        clock.now = at;
        Report r;
        try (Connection c = fx.reader()) {
            r = new ReportService(c, report).build(clock.instant(), 0, 0, 0, false);
        }
        int before = receiver.count();
        new AlertLedger(fx.store(), hooks).record(r.alerts(), clock.instant());
        new Deliverer(fx.store(), hooks, clock).deliverDue();
        List<JsonNode> out = new ArrayList<>();
        for (LoopbackReceiver.Request got : receiver.since(before)) {
            String ts = got.headers().get("x-secrettrail-timestamp");
            assertThat(ts).isEqualTo(Long.toString(at.getEpochSecond()));
            assertThat(got.headers().get("x-secrettrail-signature"))
                    .as("HMAC-SHA256 of timestamp.body with the shared secret")
                    .isEqualTo("sha256=" + hmac(SECRET, ts + "." + got.body()))
                    .isNotEqualTo("sha256=" + hmac("another-secret", ts + "." + got.body()));
            out.add(got.json());
        }
        return out;
    }

    private static String hmac(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_projection_crossing_the_budget_alerts_once_and_the_next_month_is_a_new_incident() throws Exception {
        assertThat(tick(Instant.parse("2026-11-05T12:00:00Z")))
                .as("$2.00 projected: within the budget")
                .isEmpty();

        List<JsonNode> crossed = tick(Instant.parse("2026-11-21T12:00:00Z"));
        assertThat(crossed).hasSize(1);
        JsonNode alarm = crossed.get(0);
        assertThat(alarm.path("rule").asText()).isEqualTo("budget");
        assertThat(alarm.path("transition").asText()).isEqualTo("alarm");
        assertThat(alarm.path("resource").asText()).isEqualTo("all accounts");
        assertThat(alarm.path("reason").asText())
                .isEqualTo("projected $3.30 for 2026-11 passes the budget of $3.00 (budget.monthlyUsd)");

        assertThat(tick(Instant.parse("2026-11-21T12:01:00Z")))
                .as("still over at the next tick: the same incident, no second alert")
                .isEmpty();
        assertThat(tick(Instant.parse("2026-11-28T00:00:00Z")))
                .as("still over a week later")
                .isEmpty();

        List<JsonNode> december = tick(Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(december)
                .extracting(m -> m.path("transition").asText())
                .as("November's incident clears (notifyClear), December's opens")
                .containsExactlyInAnyOrder("ok", "alarm");
        assertThat(LoopbackReceiver.one(december, "ok").path("incident").asText())
                .isEqualTo(alarm.path("incident").asText());
        JsonNode next = LoopbackReceiver.one(december, "alarm");
        assertThat(next.path("reason").asText())
                .isEqualTo("projected $4.00 for 2026-12 passes the budget of $3.00 (budget.monthlyUsd)");
        assertThat(next.path("incident").asText())
                .as("a new month is a new incident")
                .isNotBlank()
                .isNotEqualTo(alarm.path("incident").asText());
        assertThat(tick(Instant.parse("2026-12-01T12:01:00Z"))).isEmpty();
        assertThat(Duration.between(CREATED, Instant.parse("2026-12-01T00:00:00Z"))
                        .toHours())
                .as("the new secrets' November hours, as the class comment counts them")
                .isEqualTo(468);
    }

    @Test
    void a_stored_first_hit_that_does_not_parse_keeps_the_episode_and_the_ledger_records_on() throws Exception {
        assertThat(tick(Instant.parse("2026-11-21T12:00:00Z"))).hasSize(1);
        int changed = fx.store().writeTransaction(w -> {
            try (var st = w.prepareStatement(
                    "UPDATE alert_state SET payload = regexp_replace(payload, '\"firstHit\":\"[^\"]*\"',"
                            + " '\"firstHit\":\"not-a-time\"') WHERE rule = 'budget'")) {
                return st.executeUpdate();
            }
        });
        assertThat(changed).isEqualTo(1);
        assertThat(tick(Instant.parse("2026-12-01T12:00:00Z")))
                .as("the month turn cannot be told from the stored episode: it stands, nothing is thrown or sent")
                .isEmpty();
        assertThat(tick(Instant.parse("2026-12-01T12:01:00Z"))).isEmpty();
    }
}
