package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A standing alarm's episode against its rule's incidents. public-policy is a standing state whose first_seen is the
 * latest PutResourcePolicy's time: putting the same public policy again moves first_seen, so the rule's incident id
 * changes and its firstHit is later. Only a rule judged per period ({@code "episodes": "per-period"}, the budget:
 * BudgetWebhookIT) makes that a new episode; here the secret never stopped being public, so no clear to
 * notifyClear webhooks and no second alarm, however often the policy is put.
 */
class StandingEpisodesTest extends RuleTestBase {
    static final ObjectMapper JSON = new ObjectMapper();

    private void putPublic(Instant at) throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        fx.events(List.of(fx.call("PutResourcePolicy", at)
                .by("admin")
                .params("{\"secretId\":\"" + DB + "\",\"resourcePolicy\":" + JSON.writeValueAsString(policy) + "}")
                .json()));
    }

    private AlertLedger.Transitions tick(AlertLedger ledger, Instant at) throws Exception {
        Report r;
        try (Connection c = fx.reader()) {
            r = new ReportService(c, ReportSettings.defaults()).build(at, 0, 0, 0, false);
        }
        return ledger.record(r.alerts(), at);
    }

    @Test
    void the_same_public_policy_put_again_keeps_the_one_open_episode() throws Exception {
        AlertLedger ledger = new AlertLedger(fx.store(), WebhookSettings.none());
        putPublic(daysAgo(2));
        assertThat(tick(ledger, AS_OF).opened()).as("the exposure alarms once").isEqualTo(1);
        putPublic(daysAgo(1));
        AlertLedger.Transitions again = tick(ledger, AS_OF.plus(Duration.ofMinutes(1)));
        assertThat(again.closed())
                .as("the secret never stopped being public: no clear")
                .isZero();
        assertThat(again.opened()).as("and no second alarm").isZero();
        putPublic(daysAgo(1).plus(Duration.ofHours(1)));
        AlertLedger.Transitions third = tick(ledger, AS_OF.plus(Duration.ofMinutes(2)));
        assertThat(List.of(third.opened(), third.closed()))
                .as("nor at a third put")
                .containsExactly(0, 0);
    }

    @Test
    void the_policy_made_private_clears_the_one_episode() throws Exception {
        AlertLedger ledger = new AlertLedger(fx.store(), WebhookSettings.none());
        putPublic(daysAgo(2));
        putPublic(daysAgo(1));
        assertThat(tick(ledger, AS_OF).opened()).isEqualTo(1);
        fx.events(List.of(fx.call("DeleteResourcePolicy", AS_OF.minus(Duration.ofHours(1)))
                .by("admin")
                .params("{\"secretId\":\"" + DB + "\"}")
                .json()));
        AlertLedger.Transitions after = tick(ledger, AS_OF.plus(Duration.ofMinutes(1)));
        assertThat(List.of(after.opened(), after.closed())).containsExactly(0, 1);
    }
}
