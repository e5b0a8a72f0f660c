package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnusedSecretRuleTest extends RuleTestBase {

    @Test
    void unused_secret_fires_with_the_monthly_saving() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(10), null, null, null);
        fx.apiCall("GetSecretValue", DB, daysAgo(120), null);
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly(
                        "alarm",
                        "not read for 120 days; the window is 90 days; deleting it saves $0.40 a month",
                        "low");
    }

    @Test
    void a_primary_and_its_replica_are_one_alert_on_the_primary_saving_both() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.historyFrom("us-east-1", daysAgo(100));
        fx.historyFrom("eu-west-1", daysAgo(100));
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm", "never read; the window is 90 days; deleting it and its replica saves $0.80 a month");
        assertThat(fx.finding("unused-secret", replica, AS_OF).status()).isEqualTo("skip");
    }

    @Test
    void a_read_of_the_replica_is_a_use_of_the_primary() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.apiCall("GetSecretValue", replica, daysAgo(10), null);
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "last read 10 days ago; the window is 90 days");
    }

    @Test
    void the_inventory_last_accessed_date_is_evidence_and_a_failed_read_is_not() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, Instant.parse("2026-11-01T00:00:00Z"), null, null);
        fx.apiCall("GetSecretValue", DB, daysAgo(1), "AccessDeniedException");
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "last read 20 days ago; the window is 90 days");
    }

    @Test
    void exactly_at_the_window_is_ok_and_one_second_over_fires() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, null, null, null);
        fx.apiCall("GetSecretValue", DB, daysAgo(90), null);
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "last read 90 days ago; the window is 90 days");
        assertThat(fx.finding("unused-secret", DB, AS_OF.plusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "not read for more than 90 days; the window is 90 days; deleting it saves $0.40 a month");
    }

    @Test
    void a_secret_younger_than_the_window_or_scheduled_for_deletion_is_skipped() throws Exception {
        fx.inventory(DB, null, false, daysAgo(30), null, null, null, null);
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(300), null, null, daysAgo(2), null);
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "created 30 days ago, within the window of 90 days");
        assertThat(fx.finding("unused-secret", gone, AS_OF).status()).isEqualTo("skip");
    }

    // Issue 14: "unused for N days" only where the data covers N days. Coverage: the inventory's
    // LastAccessedDate, or the trail of the secret's account and region reaching back N days (its
    // earliest stored event there).

    @Test
    void a_secret_first_seen_a_day_ago_is_insufficient_history_not_never_read_issue_14() throws Exception {
        String seen = arn("us-east-1", "legacy/token");
        fx.apiCall("DescribeSecret", seen, daysAgo(1), null);
        assertThat(fx.finding("unused-secret", seen, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "insufficient history: the trail covers 1 day (its earliest event is of 2026-11-20T12:00:00Z)"
                                + " and the inventory gives no LastAccessedDate; the window is 90 days");
    }

    @Test
    void an_old_secret_with_a_short_trail_is_skipped_and_a_long_trail_judges_it() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), null, null, null, null);
        fx.historyFrom("us-east-1", daysAgo(30));
        assertThat(fx.finding("unused-secret", DB, AS_OF).status()).isEqualTo("skip");
        fx.historyFrom("us-east-1", daysAgo(300));
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "never read; the window is 90 days; deleting it saves $0.40 a month");
    }

    @Test
    void a_trail_of_exactly_the_window_is_enough_and_one_second_less_is_not() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), null, null, null, null);
        fx.historyFrom("us-east-1", daysAgo(90));
        assertThat(fx.finding("unused-secret", DB, AS_OF).status()).isEqualTo("alarm");
        assertThat(fx.finding("unused-secret", DB, AS_OF.minusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "insufficient history: the trail covers 89 days (its earliest event is of 2026-08-23T12:00:00Z)"
                                + " and the inventory gives no LastAccessedDate; the window is 90 days");
    }

    @Test
    void an_old_last_accessed_date_covers_the_window_without_a_trail() throws Exception {
        fx.inventory(DB, null, false, daysAgo(400), null, Instant.parse("2026-07-01T00:00:00Z"), null, null);
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm", "not read for 143 days; the window is 90 days; deleting it saves $0.40 a month");
    }

    @Test
    void no_event_of_the_secrets_region_is_no_history_even_when_another_region_has_one() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(200), null, null, null, null);
        fx.historyFrom("us-east-1", daysAgo(100));
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "insufficient history: the trail holds no event of the account and region of it or a replica"
                                + " and the inventory gives no LastAccessedDate; the window is 90 days");
    }

    @Test
    void a_secret_managed_by_another_service_is_not_offered_for_deletion() throws Exception {
        fx.inventory(DB, daysAgo(200), "{\"OwningService\":\"rds\"}");
        fx.historyFrom("us-east-1", daysAgo(100));
        assertThat(fx.finding("unused-secret", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "managed by rds, which deletes it with the resource it belongs to");
    }
}
