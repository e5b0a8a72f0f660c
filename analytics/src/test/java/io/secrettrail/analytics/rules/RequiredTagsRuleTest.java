package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** required-tags (Security Hub SecretsManager.5), from ListSecrets' Tags. */
class RequiredTagsRuleTest extends RuleTestBase {
    static final Map<String, String> TEAM_OWNER_COST = Map.of("posture.requiredTagKeys", "team, owner,cost-center");

    private void listed(String arn, String tags) throws Exception {
        fx.listed(arn, "\"Tags\":" + tags);
    }

    private Finding tags(String arn, Map<String, String> settings) throws Exception {
        return fx.finding("required-tags", arn, AS_OF, settings);
    }

    @Test
    void a_secret_missing_required_tags_alarms_listing_them_in_the_settings_order() throws Exception {
        listed(DB, "[{\"Key\":\"team\",\"Value\":\"payments\"}]");
        assertThat(tags(DB, TEAM_OWNER_COST))
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly("alarm", "missing 2 of the 3 required tags: owner, cost-center", "low");
    }

    @Test
    void a_secret_with_every_required_tag_is_ok_and_keys_compare_exactly() throws Exception {
        listed(
                DB,
                "[{\"Key\":\"team\",\"Value\":\"payments\"},{\"Key\":\"owner\",\"Value\":\"ana\"},"
                        + "{\"Key\":\"cost-center\",\"Value\":\"\"}]");
        assertThat(tags(DB, TEAM_OWNER_COST))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "has the 3 required tags");
        // tag keys are case-sensitive: Owner is not owner
        String other = arn("us-east-1", "app/other");
        listed(other, "[{\"Key\":\"team\",\"Value\":\"payments\"},{\"Key\":\"Owner\",\"Value\":\"ana\"}]");
        assertThat(tags(other, Map.of("posture.requiredTagKeys", "team,owner")).reason())
                .isEqualTo("missing 1 of the 2 required tags: owner");
    }

    @Test
    void a_secret_without_any_tag_misses_them_all() throws Exception {
        fx.listed(DB, "");
        assertThat(tags(DB, Map.of("posture.requiredTagKeys", "team")))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "missing 1 of the 1 required tags: team");
    }

    @Test
    void the_rule_is_silent_until_keys_are_required() throws Exception {
        listed(DB, "[]");
        assertThat(tags(DB, Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "not required: posture.requiredTagKeys is empty");
    }

    @Test
    void six_keys_are_allowed_and_a_seventh_is_a_setting_error_naming_the_setting() throws Exception {
        listed(DB, "[]");
        assertThat(tags(DB, Map.of("posture.requiredTagKeys", "a,b,c,d,e,f")).reason())
                .isEqualTo("missing 6 of the 6 required tags: a, b, c, d, e, f");
        assertThatThrownBy(() -> fx.run("required-tags", AS_OF, Map.of("posture.requiredTagKeys", "a,b,c,d,e,f,g")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("posture.requiredTagKeys: at most 6 items, was 7 (a, b, c, d, e, f, g)");
    }

    @Test
    void replicas_deleting_and_uninventoried_secrets_are_skipped_and_a_manager_is_named() throws Exception {
        String replica = arn("eu-west-1", "prod/db");
        fx.inventory(DB, "us-east-1", true, daysAgo(200), daysAgo(10), null, null, null);
        fx.inventory(replica, "us-east-1", false, daysAgo(200), null, null, null, null);
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(400), null, null, daysAgo(0), null);
        String unknown = arn("us-east-1", "legacy/token");
        fx.apiCall("GetSecretValue", unknown, daysAgo(1), null);
        String rds = arn("us-east-1", "rds!db-1");
        fx.inventory(rds, daysAgo(100), "{\"OwningService\":\"rds\"}"); // the fixture tags it team=payments
        Map<String, String> owner = Map.of("posture.requiredTagKeys", "owner");
        assertThat(tags(replica, owner))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "a replica of " + DB + ", which carries its primary's tags");
        assertThat(tags(gone, owner))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "scheduled for deletion on 2026-11-21T12:00:00Z");
        assertThat(tags(unknown, owner))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "not in the inventory, so its tags are unknown");
        assertThat(tags(rds, owner))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("alarm", "missing 1 of the 1 required tags: owner; managed by rds");
        assertThat(tags(rds, Map.of("posture.requiredTagKeys", "team")).reason())
                .isEqualTo("has the 1 required tags; managed by rds");
    }
}
