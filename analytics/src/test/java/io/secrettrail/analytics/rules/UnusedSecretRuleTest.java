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
}
