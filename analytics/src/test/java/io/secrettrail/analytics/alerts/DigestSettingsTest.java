package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** digest.NAME.* in the one validated config: defaults, and each bad value refused at load, named. */
class DigestSettingsTest {
    private static WebhookSettings load(String... kv) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("webhook.finops.url", "http://127.0.0.1:9/finops");
        m.put("webhook.finops.format", "slack");
        m.put("webhook.chat.url", "http://127.0.0.1:9/chat");
        m.put("webhook.chat.format", "slack");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return WebhookSettings.of(m, Set.of());
    }

    @Test
    void a_digest_defaults_to_utc_every_team_and_the_webhook_of_its_name() throws Exception {
        DigestConfig d =
                load("digest.finops.cron", "cron(0 9 ? * MON *)").digests().get(0);
        assertThat(d.name()).isEqualTo("finops");
        assertThat(d.zone().getId()).isEqualTo("UTC");
        assertThat(d.teams()).isEmpty();
        assertThat(d.webhook()).isEqualTo("finops");
    }

    @Test
    void a_digest_names_its_zone_teams_and_webhook() throws Exception {
        DigestConfig d = load(
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.zone", "Europe/Berlin",
                        "digest.weekly.teams", "payments, unowned",
                        "digest.weekly.webhook", "chat")
                .digests()
                .get(0);
        assertThat(d.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(d.teams()).containsExactlyInAnyOrder("payments", "unowned");
        assertThat(d.webhook()).isEqualTo("chat");
    }

    @Test
    void bad_digest_settings_fail_at_load_naming_the_key() {
        assertThatThrownBy(() -> load("digest.weekly.zone", "UTC", "digest.weekly.webhook", "chat"))
                .hasMessage("digest.weekly.cron: required");
        assertThatThrownBy(() -> load("digest.weekly.cron", "0 9 * * ? *", "digest.weekly.webhook", "chat"))
                .hasMessageStartingWith("digest.weekly.cron: expected cron(");
        assertThatThrownBy(() -> load("digest.weekly.cron", "cron(0 25 * * ? *)", "digest.weekly.webhook", "chat"))
                .hasMessage("digest.weekly.cron: hours 25 outside 0-23");
        assertThatThrownBy(() -> load(
                        "digest.weekly.cron", "cron(0 9 * * ? *)",
                        "digest.weekly.webhook", "chat",
                        "digest.weekly.zone", "Mars/Olympus"))
                .hasMessageStartingWith("digest.weekly.zone: not a time zone");
        assertThatThrownBy(() -> load("digest.weekly.cron", "cron(0 9 * * ? *)"))
                .hasMessageStartingWith("digest.weekly.webhook: no webhook weekly; configured: ");
        assertThatThrownBy(() -> load("digest.weekly.cron", "cron(0 9 * * ? *)", "digest.weekly.time", "9"))
                .hasMessageStartingWith("digest.weekly.time: unknown digest setting; known: digest.NAME.");
        assertThatThrownBy(() -> load("digest.finops.cron", "cron(0 9 * * ? *)", "digest.finops.teams", "a b"))
                .hasMessageStartingWith("digest.finops.teams: each item must be a team name");
    }

    @Test
    void an_ocsf_webhook_cannot_carry_a_digest() {
        // OCSF carries one finding per alert; a digest sent there would arrive as a bogus finding
        assertThatThrownBy(() -> load(
                        "webhook.lake.url", "http://127.0.0.1:9/lake",
                        "webhook.lake.format", "ocsf",
                        "webhook.lake.secret", "0123456789abcdef0123",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.webhook", "lake"))
                .hasMessageStartingWith("digest.weekly.webhook: lake has format=ocsf");
        // the same digest on a slack webhook loads
        org.assertj.core.api.Assertions.assertThatCode(
                        () -> load("digest.weekly.cron", "cron(0 9 ? * MON *)", "digest.weekly.webhook", "chat"))
                .doesNotThrowAnyException();
    }

    @Test
    void a_digest_to_a_webhook_routed_by_team_covers_only_that_webhooks_teams() throws Exception {
        // webhook.chat.teams=payments says the channel sees payments' secrets only: by default its digest
        // reported every team (their costs, incidents and posture failures) to it
        DigestConfig d = load(
                        "webhook.chat.teams", "payments",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.webhook", "chat")
                .digests()
                .get(0);
        assertThat(d.teams()).containsExactly("payments");
        assertThatThrownBy(() -> load(
                        "webhook.chat.teams", "payments",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.teams", "payments,platform",
                        "digest.weekly.webhook", "chat"))
                .hasMessage("digest.weekly.teams: webhook chat takes only the teams [payments] (webhook.chat.teams);"
                        + " platform is not among them");
    }

    @Test
    void a_digest_cannot_go_to_a_webhook_routed_by_account_or_tag() {
        // a team's digest sums all its secrets, whatever their account or tags: sent to a webhook that takes one
        // account's alerts, it told that channel about every other account's secrets
        assertThatThrownBy(() -> load(
                        "webhook.chat.accounts", "111122223333",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.webhook", "chat"))
                .hasMessageStartingWith("digest.weekly.webhook: chat routes by account or tag (webhook.chat.accounts,"
                        + " webhook.chat.tags)");
        assertThatThrownBy(() -> load(
                        "webhook.chat.tags", "env=prod",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.webhook", "chat"))
                .hasMessageStartingWith("digest.weekly.webhook: chat routes by account or tag");
    }

    @Test
    void two_digests_and_teams_never_share_a_message_id() {
        // receivers dedupe by id, and anyone who may tag a secret picks a team name: with dashes for separators,
        // digest weekly of team eu-payments and digest weekly-eu of team payments were one message
        Instant period = Instant.parse("2026-10-19T07:00:00Z");
        assertThat(Digests.id("weekly", "eu-payments", period))
                .isNotEqualTo(Digests.id("weekly-eu", "payments", period))
                .isEqualTo("scheduled-digest:weekly:eu-payments:1792393200");
    }

    @Test
    void a_digest_name_is_letters_digits_dash_and_underscore() {
        assertThatThrownBy(() -> load("digest.a:b.cron", "cron(0 9 ? * MON *)", "digest.a:b.webhook", "chat"))
                .hasMessageStartingWith("digest.a:b.*: a digest name is letters, digits, _ and - (at most 40)");
    }
}
