package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security Hub as a target of the durable outbox: each transition imported once as its account's ASFF finding,
 * the webhook deliverer leaving its rows alone, failures kept for later (throttling never given up).
 */
class SecurityHubDeliveryTest {
    static final String OTHER = "222222222222";

    final WebhookDeliveryIT.MovingClock clock = new WebhookDeliveryIT.MovingClock();
    /** What the importer was called with: account, then the findings' Ids and record states. */
    final List<String> calls = new ArrayList<>();
    /** The importer's next answers: an exception to throw, or refusals by Id; none: all imported. */
    final List<Object> answers = new ArrayList<>();

    EventStore store;

    final FindingImporter importer = (account, findings) -> {
        StringBuilder s = new StringBuilder(account);
        for (ObjectNode f : findings) {
            assertThat(f.get("AwsAccountId").asText()).isEqualTo(account);
            s.append(' ')
                    .append(f.get("Id").asText())
                    .append('=')
                    .append(f.get("RecordState").asText());
        }
        calls.add(s.toString());
        Object a = answers.isEmpty() ? Map.of() : answers.remove(0);
        if (a instanceof IOException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> refused = (Map<String, String>) a;
        return refused;
    };

    @BeforeEach
    void open() throws Exception {
        store = EventStore.open(null);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    static WebhookSettings settings(String... kv) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return WebhookSettings.of(
                m, Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
    }

    static Finding postureOf(String account) {
        Finding p = OcsfTest.posture();
        return new Finding(
                p.rule(),
                p.severity(),
                p.resource().replace("111111111111", account),
                p.status(),
                p.reason(),
                account,
                p.region(),
                p.firstSeen(),
                p.lastSeen(),
                p.principal(),
                p.evidence());
    }

    static String id(String account) {
        return "secrettrail:stale-rotation:" + OcsfTest.SECRET.replace("111111111111", account);
    }

    SecurityHubDelivery delivery(WebhookSettings hooks) {
        SecurityHubSettings hub = new SecurityHubSettings("eu-west-1", "low");
        RetryPolicy retry = new RetryPolicy(clock)
                .first(Duration.ofSeconds(1))
                .cap(Duration.ofHours(1))
                .jitter(1.0, 1.0)
                .giveUpAfter(Deliverer.GIVE_UP_AFTER);
        return new SecurityHubDelivery(new Outbox(store), hub, importer, retry, clock);
    }

    List<String> statuses() throws Exception {
        return Deliverer.log(store, SecurityHubSettings.TARGET, 50).stream()
                .map(m -> m.get("status") + (m.get("lastError") == null ? "" : ": " + m.get("lastError")))
                .toList();
    }

    @Test
    void each_account_is_imported_as_itself_once_and_the_webhook_deliverer_leaves_the_rows_alone() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true", "securityhub.region", "eu-west-1");
        new AlertLedger(store, hooks)
                .record(List.of(postureOf("111111111111"), postureOf(OTHER)), WebhookDeliveryIT.T0);

        assertThat(new Deliverer(store, hooks, clock).deliverDue()).isZero();
        SecurityHubDelivery d = delivery(hooks);
        assertThat(d.deliverDue()).isEqualTo(2);
        assertThat(calls)
                .containsExactlyInAnyOrder(
                        "111111111111 " + id("111111111111") + "=ACTIVE", OTHER + " " + id(OTHER) + "=ACTIVE");
        assertThat(statuses()).containsExactly("delivered", "delivered");
        // delivered once: a later pass has nothing to send
        assertThat(d.deliverDue()).isZero();
        assertThat(calls).hasSize(2);
    }

    @Test
    void an_alarm_and_its_clear_due_together_go_as_one_archived_finding() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true");
        AlertLedger ledger = new AlertLedger(store, hooks);
        ledger.record(List.of(postureOf(OTHER)), WebhookDeliveryIT.T0);
        ledger.record(List.of(), WebhookDeliveryIT.T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(60));

        delivery(hooks).deliverDue();
        assertThat(calls).containsExactly(OTHER + " " + id(OTHER) + "=ARCHIVED");
        assertThat(statuses()).containsExactly("delivered", "delivered");
    }

    @Test
    void an_account_that_could_not_be_imported_waits_and_goes_on_the_next_due_pass() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true");
        new AlertLedger(store, hooks).record(List.of(postureOf(OTHER)), WebhookDeliveryIT.T0);
        SecurityHubDelivery d = delivery(hooks);
        answers.add(new IOException("Security Hub could not be reached"));

        d.deliverDue();
        assertThat(statuses()).containsExactly("pending: IOException: Security Hub could not be reached");
        assertThat(d.deliverDue()).as("not due before its backoff").isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.deliverDue()).isEqualTo(1);
        assertThat(statuses()).containsExactly("delivered");
    }

    @Test
    void throttled_rows_are_never_given_up_while_other_failures_fail_after_24_hours() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true");
        new AlertLedger(store, hooks)
                .record(List.of(postureOf("111111111111"), postureOf(OTHER)), WebhookDeliveryIT.T0);
        SecurityHubDelivery d = delivery(hooks);
        clock.advance(Duration.ofHours(25));
        // the calls' order follows the outbox's; each account gets the answer its call takes
        answers.add(new FindingImporter.Throttled("TooManyRequestsException"));
        answers.add(new FindingImporter.Throttled("TooManyRequestsException"));
        d.deliverDue();
        assertThat(statuses()).containsOnly("pending: Throttled: TooManyRequestsException");

        clock.advance(Duration.ofHours(2));
        answers.add(new IOException("AccessDeniedException"));
        answers.add(new IOException("AccessDeniedException"));
        d.deliverDue();
        assertThat(statuses())
                .hasSize(2)
                .allMatch(s -> s.startsWith("failed: IOException: AccessDeniedException; gave up after 2 attempts"));
    }

    @Test
    void a_finding_security_hub_refuses_fails_with_its_error_and_the_others_are_delivered() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true");
        new AlertLedger(store, hooks)
                .record(List.of(postureOf("111111111111"), postureOf(OTHER)), WebhookDeliveryIT.T0);
        Map<String, String> refused =
                Map.of(id("111111111111"), "InvalidInput: Finding does not have a required attribute");
        answers.add(refused); // whichever account goes first, only this Id is refused
        answers.add(refused);

        delivery(hooks).deliverDue();
        assertThat(statuses())
                .containsExactlyInAnyOrder(
                        "delivered",
                        "failed: refused by Security Hub: InvalidInput: Finding does not have a required attribute");
    }

    @Test
    void below_the_minimum_severity_nothing_is_enqueued_for_security_hub() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true", "securityhub.minSeverity", "high");
        new AlertLedger(store, hooks).record(List.of(postureOf(OTHER)), WebhookDeliveryIT.T0); // medium
        assertThat(delivery(hooks).deliverDue()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void the_settings_are_off_by_default_and_a_bad_one_is_refused_naming_its_key() throws Exception {
        assertThat(SecurityHubSettings.of(Map.of())).isNull();
        assertThat(settings().webhooks()).isEmpty();
        assertThat(settings("securityhub.enabled", "true")
                        .get(SecurityHubSettings.TARGET)
                        .url()
                        .getHost())
                .isEqualTo("securityhub.us-east-1.amazonaws.com");
        assertThatThrownBy(() -> settings("securityhub.enabled", "true", "securityhub.region", "Ireland"))
                .hasMessageStartingWith("securityhub.region: not an AWS region");
        assertThatThrownBy(() -> settings("securityhub.enabled", "true", "securityhub.minSeverity", "urgent"))
                .hasMessageStartingWith("securityhub.minSeverity: must be one of");
        assertThatThrownBy(() -> settings("securityhub.enabled", "yes please"))
                .hasMessageStartingWith("securityhub.enabled");
        assertThatThrownBy(() -> settings(
                        "securityhub.enabled", "true",
                        "webhook.securityhub.url", "https://example.com/hook",
                        "webhook.securityhub.format", "slack"))
                .hasMessageStartingWith("webhook.securityhub.*: that name is the Security Hub target's");
        assertThatThrownBy(() -> settings(
                        "securityhub.enabled", "true",
                        "digest.weekly.cron", "cron(0 9 ? * MON *)",
                        "digest.weekly.webhook", "securityhub"))
                .hasMessageStartingWith("digest.weekly.webhook: securityhub has format=securityhub");
    }

    @Test
    void the_webhook_test_does_not_send_to_security_hub() throws Exception {
        WebhookSettings hooks = settings("securityhub.enabled", "true");
        Deliverer.Attempt a = new Deliverer(null, hooks, clock).test(hooks.get(SecurityHubSettings.TARGET));
        assertThat(a.status()).isZero();
        assertThat(a.error()).contains("Security Hub");
    }
}
