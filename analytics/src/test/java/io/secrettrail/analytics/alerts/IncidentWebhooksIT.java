package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each incident its own webhook notification (issue 14), against a real HTTP receiver on loopback and a
 * DuckDB file, with a clock the test moves: one message per incident, one update on escalation, a clear on
 * close, exactly one notification per incident across a restart, and a late file that never reopens a
 * notified incident; a standing public policy replaced by another still public is a new incident.
 */
class IncidentWebhooksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DB = arn("us-east-1", "prod/db");
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");

    @TempDir
    Path dir;

    LoopbackReceiver receiver;
    final WebhookDeliveryIT.MovingClock clock = new WebhookDeliveryIT.MovingClock();
    RuleFixture fx;
    WebhookSettings hooks;

    @BeforeEach
    void open() throws Exception {
        receiver = LoopbackReceiver.start();
        hooks = receiver.webhook("soc", "a-shared-signing-secret");
        fx = new RuleFixture(dir.resolve("secrettrail.duckdb"));
        clock.now = T0;
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        fx.close();
    }

    /** {@code secrets} reads of distinct secrets by {@code role} within 19 s from {@code at}: one hit at its end. */
    private void burst(String role, Instant at, int secrets) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < secrets; i++) {
            out.add(fx.call("GetSecretValue", at.plusSeconds(i * 19L / (secrets - 1)))
                    .by(role)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        fx.events(out);
    }

    /** One evaluation of bulk-retrieval at the clock's now, as serve makes after each report. */
    private List<JsonNode> evaluate() throws Exception {
        return evaluate("bulk-retrieval");
    }

    /** One evaluation of {@code rule} at the clock's now, as serve makes after each report: rule, ledger, delivery. */
    private List<JsonNode> evaluate(String rule) throws Exception {
        int before = receiver.count();
        List<Finding> alarms = fx.run(rule, clock.instant(), Map.of());
        new AlertLedger(fx.store(), hooks).record(alarms, clock.instant());
        new Deliverer(fx.store(), hooks, clock).deliverDue();
        List<JsonNode> out = new ArrayList<>();
        for (LoopbackReceiver.Request r : receiver.since(before)) {
            out.add(r.json());
        }
        return out;
    }

    /** A PutResourcePolicy by admin on DB at {@code at} granting GetSecretValue to "*"; returns its eventID. */
    private String putPublicPolicy(Instant at) throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        String record = fx.call("PutResourcePolicy", at)
                .by("admin")
                .params("{\"secretId\":\"" + DB + "\",\"resourcePolicy\":" + JSON.writeValueAsString(policy) + "}")
                .json();
        fx.events(List.of(record));
        return JSON.readTree(record).path("eventID").asText();
    }

    private static List<String> eventIds(JsonNode message) {
        List<String> ids = new ArrayList<>();
        message.path("evidence").path("eventIds").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static List<String> transitions(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("transition").asText()).toList();
    }

    @Test
    void two_bursts_by_one_role_three_weeks_apart_send_two_alarms_each_cleared() throws Exception {
        burst("intruder", T0.minusSeconds(60), 20);
        List<JsonNode> first = evaluate();
        assertThat(transitions(first)).containsExactly("alarm");
        assertThat(first.get(0).path("state").asText()).isEqualTo("open");
        assertThat(first.get(0).path("mitre").path("id").asText()).isEqualTo("T1555.006");
        clock.advance(Duration.ofHours(23));
        assertThat(evaluate()).isEmpty();
        clock.advance(Duration.ofHours(1));
        List<JsonNode> clear = evaluate();
        assertThat(transitions(clear)).containsExactly("ok");
        assertThat(clear.get(0).path("incident").asText())
                .isEqualTo(first.get(0).path("incident").asText());
        clock.advance(Duration.ofDays(21));
        burst("intruder", clock.instant().minusSeconds(60), 20);
        List<JsonNode> second = evaluate();
        assertThat(transitions(second)).containsExactly("alarm");
        assertThat(second.get(0).path("incident").asText())
                .isNotEqualTo(first.get(0).path("incident").asText());
        assertThat(second.get(0).path("resource").asText()).isEqualTo(role("intruder"));
        assertThat(evaluate()).isEmpty();
    }

    @Test
    void an_escalation_inside_an_open_incident_sends_one_update_not_a_new_incident() throws Exception {
        burst("intruder", T0.minusSeconds(3600), 20);
        List<JsonNode> alarm = evaluate();
        assertThat(alarm).extracting(m -> m.path("severity").asText()).containsExactly("high");
        burst("intruder", T0.minusSeconds(600), 100);
        clock.advance(Duration.ofMinutes(5));
        List<JsonNode> update = evaluate();
        assertThat(transitions(update)).containsExactly("escalation");
        assertThat(update.get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(update.get(0).path("incident").asText())
                .isEqualTo(alarm.get(0).path("incident").asText());
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate()).isEmpty();
    }

    @Test
    void across_a_restart_each_incident_is_notified_once_and_a_late_file_never_reopens_a_notified_one()
            throws Exception {
        burst("intruder", T0.minusSeconds(60), 20);
        assertThat(transitions(evaluate())).containsExactly("alarm");
        fx.restart();
        assertThat(evaluate()).isEmpty();
        clock.advance(Duration.ofHours(30));
        assertThat(transitions(evaluate())).containsExactly("ok");
        fx.restart();
        assertThat(evaluate()).isEmpty();
        // a file delivered late: a burst 10 hours after the closed, notified incident's last hit
        burst("intruder", T0.plus(Duration.ofHours(10)), 20);
        List<JsonNode> late = evaluate();
        assertThat(transitions(late)).containsExactly("alarm");
        assertThat(late.get(0).path("firstHit").asText())
                .isEqualTo(T0.plus(Duration.ofHours(10)).plusSeconds(19).toString());
        assertThat(late.get(0).path("state").asText()).isEqualTo("open");
        fx.restart();
        assertThat(evaluate()).isEmpty();
    }

    /** A suppression made on the dashboard for one incident, as its form records it (incident id set). */
    private void suppressIncident(String incident) throws Exception {
        fx.store().writeTransaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO alert_actions (acted_at, rule, resource, principal, action,"
                    + " reason, expires, actor, incident) VALUES (?, 'bulk-retrieval', ?, '', 'suppress', 'known test',"
                    + " NULL, 'alice', ?)")) {
                ps.setObject(1, java.time.LocalDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
                ps.setString(2, role("intruder"));
                ps.setString(3, incident);
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void a_suppressed_incident_sends_no_escalation_nor_clear_and_the_next_incident_is_notified() throws Exception {
        burst("intruder", T0.minusSeconds(3600), 20);
        List<JsonNode> alarm = evaluate();
        assertThat(transitions(alarm)).containsExactly("alarm");
        String first = alarm.get(0).path("incident").asText();
        suppressIncident(first);
        burst("intruder", T0.minusSeconds(600), 100);
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate()).as("escalation of the suppressed incident").isEmpty();
        clock.advance(Duration.ofHours(30));
        assertThat(evaluate()).as("clear of the suppressed incident").isEmpty();
        clock.advance(Duration.ofDays(21));
        burst("intruder", clock.instant().minusSeconds(60), 20);
        List<JsonNode> second = evaluate();
        assertThat(transitions(second)).as("another incident of the same role").containsExactly("alarm");
        assertThat(second.get(0).path("incident").asText()).isNotEqualTo(first);
    }

    @Test
    void suppressing_another_incident_does_not_silence_this_one() throws Exception {
        suppressIncident("00000000-0000-3000-8000-000000000000");
        burst("intruder", T0.minusSeconds(60), 20);
        assertThat(transitions(evaluate())).containsExactly("alarm");
    }

    /**
     * Issue 15: the public-policy rule's standing incident is keyed on the secret, the principal and the time of the
     * policy that opened it, so a new PutResourcePolicy that still grants everyone is a new incident of the rule. The
     * secret never stopped being public, though: its alert episode stands (only a rule judged per period, the
     * budget's month, alarms anew when its incident begins again). No clear, no second alarm; a file arriving late
     * with earlier policies changes nothing either.
     */
    @Test
    void a_second_public_policy_sends_no_clear_nor_a_second_alarm_and_a_late_earlier_file_changes_nothing()
            throws Exception {
        Instant firstAt = T0.minus(Duration.ofHours(1));
        String first = putPublicPolicy(firstAt);
        List<JsonNode> opened = evaluate("public-policy");
        assertThat(opened).extracting(m -> m.path("transition").asText()).containsExactly("alarm");
        JsonNode alarm = opened.get(0);
        assertThat(alarm.path("rule").asText()).isEqualTo("public-policy");
        assertThat(alarm.path("resource").asText()).isEqualTo(DB);
        assertThat(alarm.path("principal").asText()).isEqualTo(role("admin"));
        assertThat(alarm.path("firstHit").asText()).isEqualTo(firstAt.toString());
        assertThat(eventIds(alarm)).containsExactly(first);
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate("public-policy"))
                .as("the same policy at the next tick: no second message")
                .isEmpty();

        // the policy is replaced by another that still grants everyone: the rule's incident is the new policy's
        Instant secondAt = T0.plus(Duration.ofHours(1));
        String second = putPublicPolicy(secondAt);
        clock.advance(Duration.ofHours(2));
        assertThat(fx.run("public-policy", clock.instant(), Map.of()))
                .filteredOn(f -> f.resource().equals(DB))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.incident().id())
                            .isNotEqualTo(alarm.path("incident").asText());
                    assertThat(f.incident().firstHit()).isEqualTo(secondAt);
                    assertThat(f.evidence().eventIds()).contains(second);
                });
        assertThat(evaluate("public-policy"))
                .as("still public all along: no clear (notifyClear) and no second alarm")
                .isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate("public-policy")).isEmpty();

        // a file delivered late: a public policy put before both, and one between them
        putPublicPolicy(T0.minus(Duration.ofDays(1)));
        putPublicPolicy(T0);
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate("public-policy"))
                .as("the one alert stands, nothing is sent")
                .isEmpty();
        fx.restart();
        clock.advance(Duration.ofMinutes(5));
        assertThat(evaluate("public-policy")).as("and across a restart").isEmpty();
    }
}
