package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationDisabledRuleTest extends RuleTestBase {

    @Test
    void rotation_disabled_fires_with_the_age_of_the_value() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), daysAgo(131), null, null, null);
        Finding f = fx.finding("rotation-disabled", DB, AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly("alarm", "rotation is not enabled; last rotated 131 days ago", "medium");
    }

    @Test
    void rotation_disabled_on_a_secret_never_rotated_counts_from_its_creation() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, null, null, null);
        assertThat(fx.finding("rotation-disabled", DB, AS_OF).reason())
                .isEqualTo("rotation is not enabled; never rotated since it was created 200 days ago");
    }

    @Test
    void rotation_enabled_is_ok() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), daysAgo(10), null, null, daysAgo(-20));
        assertThat(fx.finding("rotation-disabled", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "rotation is enabled");
    }

    @Test
    void a_replica_a_secret_scheduled_for_deletion_and_one_outside_the_inventory_are_skipped() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", true, daysAgo(200), daysAgo(10), null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(200), null, null, null, null);
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(400), null, null, Instant.parse("2026-11-21T11:59:59Z"), null);
        String unknown = arn("us-east-1", "legacy/token");
        fx.apiCall("GetSecretValue", unknown, daysAgo(1), null);
        assertThat(fx.finding("rotation-disabled", replica, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "a replica of " + DB + ", which rotates it");
        assertThat(fx.finding("rotation-disabled", gone, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "scheduled for deletion on 2026-11-21T11:59:59Z");
        assertThat(fx.finding("rotation-disabled", unknown, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "not in the inventory, so its rotation setting is unknown");
    }

    // Issue 14: secrets another service manages (ListSecrets' OwningService) and managed external
    // secrets (ListSecrets' Type, the partner's secret type) are not "rotation disabled" as such.

    @Test
    void a_secret_managed_by_rds_is_classified_not_alarmed_issue_14() throws Exception {
        // the ListSecrets shape of an RDS-managed master user secret (rds!db-..., OwningService rds)
        String rds =
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-3f4c1a2b-9d8e-4f70-a1b2-c3d4e5f60718-Ab12Cd";
        fx.listing("""
                {"ARN":"%s","Name":"rds!db-3f4c1a2b-9d8e-4f70-a1b2-c3d4e5f60718",
                 "Description":"Secret associated with primary RDS DB instance: arn:aws:rds:us-east-1:123456789012:db:orders",
                 "KmsKeyId":"alias/aws/secretsmanager","RotationEnabled":false,"CreatedDate":"2026-05-05T12:00:00Z",
                 "LastChangedDate":"2026-05-05T12:00:00Z","OwningService":"rds",
                 "Tags":[{"Key":"aws:rds:primaryDBInstanceArn","Value":"arn:aws:rds:us-east-1:123456789012:db:orders"}],
                 "SecretVersionsToStages":{"a1b2c3d4-0000-4000-8000-000000000001":["AWSCURRENT"]}}""".formatted(rds));
        assertThat(fx.finding("rotation-disabled", rds, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip", "managed by rds, which sets its rotation; rotation is not enabled in Secrets Manager");
        fx.inventory(DB, daysAgo(200), "{\"OwningService\":\"rds\",\"RotationEnabled\":false}");
        assertThat(fx.finding("rotation-disabled", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip", "managed by rds, which sets its rotation; rotation is not enabled in Secrets Manager");
    }

    @Test
    void a_managed_external_secret_is_classified_by_its_partner_type() throws Exception {
        fx.inventory(DB, daysAgo(200), "{\"Type\":\"SalesforceClientSecret\"}");
        assertThat(fx.finding("rotation-disabled", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "a managed external secret (SalesforceClientSecret), rotated through its partner integration;"
                                + " rotation is not enabled");
    }

    @Test
    void an_empty_owning_service_or_type_is_an_ordinary_secret() throws Exception {
        fx.inventory(DB, daysAgo(200), "{\"OwningService\":\"\",\"Type\":\"\"}");
        assertThat(fx.finding("rotation-disabled", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "rotation is not enabled; never rotated since it was created 200 days ago");
    }
}
