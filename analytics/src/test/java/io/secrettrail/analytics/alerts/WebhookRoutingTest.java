package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 17: webhooks route by the owning team, the account and the secret's tags, beside rule and severity. */
class WebhookRoutingTest {
    static final Instant NOW = Instant.parse("2026-10-01T09:00:00Z");
    static final Set<String> RULES =
            Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList());
    static final String PAYMENTS_DB = arn("us-east-1", "payments/db");
    static final String PROD_API = arn("us-east-1", "prod/api");
    static final String LOOSE = arn("us-east-1", "scratch/loose");

    RuleFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private static Map<String, String> hook(String name, String... routing) {
        Map<String, String> m = new HashMap<>();
        m.put("webhook." + name + ".url", "http://127.0.0.1:9/" + name);
        m.put("webhook." + name + ".format", "slack");
        for (int i = 0; i < routing.length; i += 2) {
            m.put("webhook." + name + "." + routing[i], routing[i + 1]);
        }
        return m;
    }

    private static WebhookSettings settings(List<Map<String, String>> hooks) throws Exception {
        Map<String, String> all = new HashMap<>();
        hooks.forEach(all::putAll);
        return WebhookSettings.of(all, RULES);
    }

    private static Finding posture(String resource, String account) {
        return new Finding(
                "public-policy",
                "high",
                resource,
                "alarm",
                "the policy allows *",
                account,
                "us-east-1",
                NOW,
                NOW,
                null,
                null);
    }

    /** Which webhook got which resource's alarm, as "webhook resource-name". */
    private List<String> routed() throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = fx.reader();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT webhook, resource FROM webhook_outbox ORDER BY webhook, resource")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2).replaceAll(".*:secret:", ""));
            }
        }
        return out;
    }

    /** A secret_owners table in the store: the ledger's fallback when no report's ownership is passed. */
    private void owners() throws Exception {
        fx.store().writeTransaction(c -> {
            try (var st = c.createStatement()) {
                st.execute(
                        "CREATE TABLE secret_owners (arn VARCHAR, team VARCHAR, owner VARCHAR, resolved_by VARCHAR)");
                return st.executeUpdate("INSERT INTO secret_owners VALUES ('" + PAYMENTS_DB
                        + "', 'payments', 'ana', 'tag'), ('" + PROD_API + "', 'platform', 'bo', 'prefix')");
            }
        });
    }

    @Test
    void an_alarm_goes_to_the_webhooks_whose_team_account_and_tag_filters_all_take_it() throws Exception {

        fx.listed(PAYMENTS_DB, "\"Tags\":[{\"Key\":\"pci\",\"Value\":\"yes\"}]");
        fx.listed(PROD_API, "\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]");
        fx.listed(LOOSE, "\"Tags\":[{\"Key\":\"env\",\"Value\":\"dev\"}]");
        WebhookSettings s = settings(List.of(
                hook("all"),
                hook("payments", "teams", "payments"),
                hook("nobody", "teams", "unowned"),
                hook("other-account", "accounts", "111122223333"),
                hook("prod", "tags", "env=prod"),
                hook("pci", "tags", "pci"),
                hook("platform-prod", "teams", "platform", "tags", "env=prod", "accounts", "123456789012")));
        new AlertLedger(fx.store(), s)
                .record(
                        List.of(
                                posture(PAYMENTS_DB, "123456789012"),
                                posture(PROD_API, "123456789012"),
                                posture(LOOSE, "123456789012"),
                                posture(RuleFixture.role("ci"), "111122223333")),
                        // the report's ownership, as serve passes it (Report::teamOf)
                        Map.of(PAYMENTS_DB, "payments", PROD_API, "platform")::get,
                        NOW);
        assertThat(routed())
                .containsExactly(
                        "all " + RuleFixture.role("ci"),
                        "all payments/db-a1b2c3",
                        "all prod/api-a1b2c3",
                        "all scratch/loose-a1b2c3",
                        "nobody " + RuleFixture.role("ci"),
                        "nobody scratch/loose-a1b2c3",
                        "other-account " + RuleFixture.role("ci"),
                        "payments payments/db-a1b2c3",
                        "pci payments/db-a1b2c3",
                        "platform-prod prod/api-a1b2c3",
                        "prod prod/api-a1b2c3");
    }

    @Test
    void without_ownership_every_secret_is_unowned_and_a_team_filter_takes_only_unowned() throws Exception {
        WebhookSettings s = settings(List.of(hook("payments", "teams", "payments"), hook("rest", "teams", "unowned")));
        new AlertLedger(fx.store(), s).record(List.of(posture(PAYMENTS_DB, "123456789012")), NOW);
        assertThat(routed()).containsExactly("rest payments/db-a1b2c3");
    }

    @Test
    void a_cleared_alarm_is_routed_as_its_alarm_was() throws Exception {
        owners();
        Map<String, String> payments = hook("payments", "teams", "payments", "notifyClear", "true");
        Map<String, String> platform = hook("platform", "teams", "platform", "notifyClear", "true");
        WebhookSettings s = settings(List.of(payments, platform));
        AlertLedger ledger = new AlertLedger(fx.store(), s);
        ledger.record(List.of(posture(PAYMENTS_DB, "123456789012")), NOW);
        ledger.record(List.of(), NOW.plusSeconds(60));
        assertThat(routed()).containsExactly("payments payments/db-a1b2c3", "payments payments/db-a1b2c3");
    }

    /** The payloads queued, by resource then kind ("alarm", "clear"). */
    private Map<String, JsonNode> payloads() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        try (var c = fx.reader();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT resource, kind, payload FROM webhook_outbox")) {
            while (rs.next()) {
                out.put(rs.getString(1) + " " + rs.getString(2), Payloads.read(rs.getString(3), "test"));
            }
        }
        return out;
    }

    @Test
    void an_alarm_payload_names_its_secrets_team_and_the_slack_message_shows_it() throws Exception {
        WebhookSettings s = settings(List.of(hook("all")));
        new AlertLedger(fx.store(), s)
                .record(
                        List.of(
                                posture(PAYMENTS_DB, "123456789012"),
                                posture(LOOSE, "123456789012"),
                                posture(RuleFixture.role("ci"), "111122223333")),
                        Map.of(PAYMENTS_DB, "payments", LOOSE, "unowned")::get,
                        NOW);
        Map<String, JsonNode> p = payloads();
        assertThat(p).hasSize(3);
        assertThat(p.get(PAYMENTS_DB + " alarm").path("team").asText()).isEqualTo("payments");
        assertThat(p.get(LOOSE + " alarm").path("team").asText()).isEqualTo("unowned");
        // an alert about a principal is no team's: no team field at all
        JsonNode role = p.get(RuleFixture.role("ci") + " alarm");
        assertThat(role.has("team")).isFalse();
        assertThat(Slack.message(p.get(PAYMENTS_DB + " alarm"), "https://st.example.com")
                        .toString())
                .contains("*Team*\\npayments");
        assertThat(Slack.message(role, "https://st.example.com").toString()).doesNotContain("*Team*");
    }

    @Test
    void without_a_reports_ownership_the_payload_takes_the_stores_secret_owners_and_the_clear_keeps_it()
            throws Exception {
        owners();
        WebhookSettings s = settings(List.of(hook("all", "notifyClear", "true")));
        AlertLedger ledger = new AlertLedger(fx.store(), s);
        ledger.record(List.of(posture(PROD_API, "123456789012"), posture(LOOSE, "123456789012")), NOW);
        ledger.record(List.of(), NOW.plusSeconds(60));
        Map<String, JsonNode> p = payloads();
        assertThat(p.get(PROD_API + " alarm").path("team").asText()).isEqualTo("platform");
        assertThat(p.get(PROD_API + " clear").path("team").asText()).isEqualTo("platform");
        // a secret the table does not list: no team named
        assertThat(p.get(LOOSE + " alarm").has("team")).isFalse();
    }

    @Test
    void a_clear_goes_where_its_alarm_went_though_the_secret_was_retagged_in_between() throws Exception {
        // whoever may tag the secret moved it to platform after the alarm: the clear went to platform, which never
        // saw the alarm, and payments kept an alarm that never cleared
        Map<String, String> payments = hook("payments", "teams", "payments", "notifyClear", "true");
        Map<String, String> platform = hook("platform", "teams", "platform", "notifyClear", "true");
        AlertLedger ledger = new AlertLedger(fx.store(), settings(List.of(payments, platform)));
        ledger.record(List.of(posture(PAYMENTS_DB, "123456789012")), Map.of(PAYMENTS_DB, "payments")::get, NOW);
        ledger.record(List.of(), Map.of(PAYMENTS_DB, "platform")::get, NOW.plusSeconds(60));
        assertThat(routed()).containsExactly("payments payments/db-a1b2c3", "payments payments/db-a1b2c3");
    }

    @Test
    void a_route_matches_on_the_boundaries_of_its_filters() {
        Route r = new Route(Set.of("payments"), Set.of("123456789012"), Set.of("env=prod", "pci"));
        Route.Subject ok = new Route.Subject("payments", "123456789012", List.of("pci=no"));
        assertThat(r.matches(ok)).isTrue();
        assertThat(r.matches(new Route.Subject("payments", "123456789012", List.of("env=prod2"))))
                .isFalse();
        assertThat(r.matches(new Route.Subject("payments", "123456789013", List.of("pci=no"))))
                .isFalse();
        assertThat(r.matches(new Route.Subject(null, "123456789012", List.of("pci=no"))))
                .isFalse();
        assertThat(r.matches(new Route.Subject("payments", null, List.of("pci=no"))))
                .isFalse();
        assertThat(Route.ANY.matches(Route.Subject.NONE)).isTrue();
        assertThat(new Route(Set.of("unowned"), Set.of(), Set.of()).matches(new Route.Subject(" ", null, List.of())))
                .isTrue();
    }

    @Test
    void bad_route_settings_fail_at_load_naming_the_key() {
        assertThatThrownBy(() -> settings(List.of(hook("a", "accounts", "12345"))))
                .hasMessageStartingWith("webhook.a.accounts: each item must be a 12-digit account id, was '12345'");
        assertThatThrownBy(() -> settings(List.of(hook("a", "accounts", "123456789012,"))))
                .hasMessageStartingWith("webhook.a.accounts:");
        assertThatThrownBy(() -> settings(List.of(hook("a", "tags", "=prod"))))
                .hasMessageStartingWith("webhook.a.tags: each item must be key=value or key");
        assertThatThrownBy(() -> settings(List.of(hook("a", "teams", "pay ments"))))
                .hasMessageStartingWith("webhook.a.teams:");
        // a name the ownership resolution never gives a team would route nothing, silently
        assertThatThrownBy(() -> settings(List.of(hook("a", "teams", "pay/ments"))))
                .hasMessageStartingWith("webhook.a.teams: each item must be a team name");
        assertThatThrownBy(() -> settings(List.of(hook("a", "teams", "-payments"))))
                .hasMessageStartingWith("webhook.a.teams: each item must be a team name");
        assertThatThrownBy(() -> settings(List.of(hook("a", "teams", "p".repeat(65)))))
                .hasMessageStartingWith("webhook.a.teams: each item must be a team name");
        org.assertj.core.api.Assertions.assertThatCode(() ->
                        settings(List.of(hook("a", "teams", "payments-eu.2,unowned," + "p".repeat(64)))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> settings(List.of(hook("a", "team", "payments"))))
                .hasMessageStartingWith("webhook.a.team: unknown webhook setting");
    }
}
