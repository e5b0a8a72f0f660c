package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicPolicyRuleTest extends RuleTestBase {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A PutResourcePolicy on DB whose policy (JSON text) is logged as a string, as CloudTrail does. */
    private void put(String statement, int daysAgo) throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
        fx.events(List.of(fx.call("PutResourcePolicy", daysAgo(daysAgo))
                .by("admin")
                .params("{\"secretId\":\"" + DB + "\",\"resourcePolicy\":" + JSON.writeValueAsString(policy) + "}")
                .json()));
    }

    private static String allow(String principal, String condition) {
        return "{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private Finding judged(Map<String, String> settings) throws Exception {
        return fx.finding("public-policy", DB, AS_OF, settings);
    }

    @Test
    void principal_star_without_a_condition_is_public() throws Exception {
        put(allow("\"*\"", null), 1);
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::severity, Finding::principal, Finding::reason)
                .containsExactly(
                        "alarm",
                        "high",
                        role("admin"),
                        "the resource policy set by " + role("admin")
                                + " at 2026-11-20T12:00:00Z grants secretsmanager:GetSecretValue to everyone (\"Principal\": \"*\")"
                                + " with no condition restricting callers to the organisation, a VPC or trusted accounts");
    }

    @Test
    void aws_star_in_a_list_and_not_principal_are_public() throws Exception {
        put(allow("{\"AWS\":[\"arn:aws:iam::123456789012:role/app\",\"*\"]}", null), 2);
        assertThat(judged(Map.of()).status()).isEqualTo("alarm");
        put(
                "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}",
                1);
        assertThat(judged(Map.of()).reason()).contains("grants secretsmanager:* to everyone");
    }

    @Test
    void an_outside_account_alarms_unless_it_is_an_organisation_account() throws Exception {
        put(allow("{\"AWS\":\"arn:aws:iam::999988887777:root\"}", null), 1);
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "the resource policy set by "
                                + role("admin")
                                + " at 2026-11-20T12:00:00Z grants secretsmanager:GetSecretValue to 999988887777, outside the trusted accounts"
                                + " with no condition restricting callers to the organisation, a VPC or trusted accounts");
        assertThat(judged(Map.of("publicPolicy.orgAccounts", "111122223333, 999988887777"))
                        .status())
                .isEqualTo("ok");
        assertThat(judged(Map.of("publicPolicy.orgAccounts", "111122223333")).status())
                .isEqualTo("alarm");
    }

    @Test
    void the_secrets_own_account_is_trusted() throws Exception {
        put(allow("{\"AWS\":[\"123456789012\",\"arn:aws:iam::123456789012:role/app\"]}", null), 1);
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok", "the resource policy grants only trusted accounts, or restricts callers by condition");
    }

    @Test
    void restricting_conditions_close_it_and_negated_or_if_exists_ones_do_not() throws Exception {
        put(allow("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), 6);
        assertThat(judged(Map.of()).status()).isEqualTo("ok");
        put(allow("\"*\"", "{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"), 5);
        assertThat(judged(Map.of()).status()).isEqualTo("ok");
        put(allow("\"*\"", "{\"StringEquals\":{\"aws:PrincipalAccount\":\"123456789012\"}}"), 4);
        assertThat(judged(Map.of()).status()).isEqualTo("ok");
        put(allow("\"*\"", "{\"StringEquals\":{\"aws:PrincipalAccount\":\"999988887777\"}}"), 3);
        assertThat(judged(Map.of()).reason()).contains("to 999988887777, outside the trusted accounts");
        put(allow("\"*\"", "{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), 2);
        assertThat(judged(Map.of()).status()).isEqualTo("alarm");
        put(allow("\"*\"", "{\"StringEqualsIfExists\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), 1);
        assertThat(judged(Map.of()).status()).isEqualTo("alarm");
    }

    @Test
    void deny_statements_do_not_open_anything_and_a_deleted_policy_clears_it() throws Exception {
        put(
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:DeleteSecret\",\"Resource\":\"*\"}",
                3);
        assertThat(judged(Map.of()).status()).isEqualTo("ok");
        put(allow("\"*\"", null), 2);
        assertThat(judged(Map.of()).status()).isEqualTo("alarm");
        fx.events(List.of(fx.call("DeleteResourcePolicy", daysAgo(1))
                .by("security")
                .secret(DB)
                .json()));
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok", "the resource policy was deleted by " + role("security") + " at 2026-11-20T12:00:00Z");
    }

    @Test
    void a_policy_logged_as_an_object_is_read_too() throws Exception {
        fx.events(List.of(fx.call("PutResourcePolicy", daysAgo(1))
                .params("{\"secretId\":\"" + DB + "\",\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":"
                        + allow("{\"AWS\":\"*\"}", null) + "}}")
                .json()));
        assertThat(judged(Map.of()).status()).isEqualTo("alarm");
    }

    @Test
    void an_unreadable_policy_is_skipped_with_the_reason() throws Exception {
        fx.events(List.of(fx.call("PutResourcePolicy", daysAgo(1))
                .params("{\"secretId\":\"" + DB + "\",\"resourcePolicy\":\"{not json\"}")
                .json()));
        Finding f = judged(Map.of());
        assertThat(f.status()).isEqualTo("skip");
        assertThat(f.reason())
                .startsWith(
                        "the resource policy could not be read: requestParameters.resourcePolicy is not valid JSON");
    }

    @Test
    void a_policy_with_a_duplicate_key_is_skipped_not_judged_by_its_last_value() throws Exception {
        // which of two "Principal" keys AWS evaluates is not ours to guess: "*" first, the own account last
        put(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Principal\":{\"AWS\":\"123456789012\"},"
                        + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}",
                1);
        Finding f = judged(Map.of());
        assertThat(f.status()).isEqualTo("skip");
        assertThat(f.reason())
                .isEqualTo("the resource policy could not be read: the policy repeats the key \"Principal\"");
    }

    // Issue 17: the current policy, read with GetResourcePolicy or from a saved output, is judged by the same logic.

    private static String document(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
    }

    private void current(String statement, Instant readAt) throws Exception {
        fx.policy(DB, statement == null ? null : document(statement), readAt, "GetResourcePolicy");
    }

    @Test
    void a_current_policy_granting_everyone_alarms_and_says_it_was_read_not_set() throws Exception {
        current(allow("\"*\"", null), daysAgo(2));
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::principal, Finding::reason)
                .containsExactly(
                        "alarm",
                        null,
                        "the current resource policy (read with GetResourcePolicy at 2026-11-19T12:00:00Z) grants"
                                + " secretsmanager:GetSecretValue to everyone (\"Principal\": \"*\") with no condition"
                                + " restricting callers to the organisation, a VPC or trusted accounts");
    }

    @Test
    void a_current_policy_naming_an_outside_account_alarms_unless_trusted_or_restricted() throws Exception {
        current(allow("{\"AWS\":\"arn:aws:iam::999988887777:role/reader\"}", null), daysAgo(1));
        assertThat(judged(Map.of()).reason())
                .contains("grants secretsmanager:GetSecretValue to 999988887777, outside the trusted accounts");
        assertThat(judged(Map.of("publicPolicy.orgAccounts", "999988887777")))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok",
                        "the current resource policy (read with GetResourcePolicy at 2026-11-20T12:00:00Z) grants only"
                                + " trusted accounts, or restricts callers by condition");
        current(allow("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), daysAgo(1));
        assertThat(judged(Map.of()).status()).isEqualTo("ok");
        current(allow("\"*\"", "{\"StringEqualsIfExists\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), daysAgo(1));
        assertThat(judged(Map.of()).status()).as("IfExists restricts nothing").isEqualTo("alarm");
    }

    @Test
    void the_latest_of_events_and_the_current_read_wins_and_a_read_at_the_same_second_wins_over_the_event()
            throws Exception {
        put(allow("\"*\"", null), 3);
        current(allow("{\"AWS\":\"123456789012\"}", null), daysAgo(2));
        assertThat(judged(Map.of()).status()).as("read after the put").isEqualTo("ok");
        put(allow("\"*\"", null), 1);
        assertThat(judged(Map.of()).reason()).as("put after the read").startsWith("the resource policy set by ");
        current(allow("{\"AWS\":\"123456789012\"}", null), daysAgo(1));
        assertThat(judged(Map.of()).status()).as("read at the put's second").isEqualTo("ok");
    }

    @Test
    void a_read_after_as_of_is_not_used_and_a_secret_without_a_policy_is_ok() throws Exception {
        put(allow("\"*\"", null), 1);
        current(null, AS_OF.plusSeconds(1));
        assertThat(judged(Map.of()).status()).as("read one second after asOf").isEqualTo("alarm");
        current(null, AS_OF);
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok",
                        "the secret has no resource policy (read with GetResourcePolicy at 2026-11-21T12:00:00Z)");
    }

    @Test
    void a_saved_get_resource_policy_output_counts_as_current_at_as_of() throws Exception {
        current(null, daysAgo(3));
        fx.policy(DB, document(allow("\"*\"", null)), null, "policies/prod-db.json");
        put("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}", 1);
        Finding f = judged(Map.of());
        assertThat(f.status()).isEqualTo("alarm");
        assertThat(f.reason())
                .startsWith(
                        "the current resource policy (from the saved get-resource-policy output policies/prod-db.json)"
                                + " grants secretsmanager:GetSecretValue to everyone");
        assertThat(f.evidence().eventIds())
                .as("no event stands behind a read policy")
                .isEmpty();
    }
}
