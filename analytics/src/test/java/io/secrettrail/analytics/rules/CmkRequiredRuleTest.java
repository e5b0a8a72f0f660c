package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.cost.KmsEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cmk-required (AWS Config secretsmanager-using-cmk), on the key the cost model bills (secret_kms_keys). */
class CmkRequiredRuleTest extends RuleTestBase {
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID;
    static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab";
    static final Map<String, String> REQUIRED = Map.of("posture.cmkRequired", "true");

    private Finding cmk(String arn, Map<String, String> settings) throws Exception {
        return fx.finding("cmk-required", arn, AS_OF, settings);
    }

    @Test
    void the_rule_is_silent_until_a_cmk_is_required() throws Exception {
        fx.inventory(DB, daysAgo(100), "{}");
        assertThat(cmk(DB, Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip", "not required: posture.cmkRequired is false and posture.allowedKmsKeys is empty");
    }

    @Test
    void a_secret_on_the_default_key_alarms_when_a_cmk_is_required() throws Exception {
        fx.inventory(DB, daysAgo(100), "{}");
        String byAlias = arn("us-east-1", "app/alias");
        fx.inventory(byAlias, daysAgo(100), "{\"KmsKeyId\":\"alias/aws/secretsmanager\"}");
        assertThat(cmk(DB, REQUIRED))
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly(
                        "alarm",
                        "encrypted with the AWS managed key aws/secretsmanager (alias/aws/secretsmanager, Secrets"
                                + " Manager's default: the inventory names no KmsKeyId)",
                        "medium");
        assertThat(cmk(byAlias, REQUIRED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "encrypted with the AWS managed key aws/secretsmanager (alias/aws/secretsmanager, its KmsKeyId)");
    }

    @Test
    void a_secret_listed_with_a_customer_managed_key_is_ok() throws Exception {
        fx.inventory(DB, daysAgo(100), "{\"KmsKeyId\":\"" + KEY + "\"}");
        assertThat(cmk(DB, REQUIRED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "encrypted with the customer managed key " + KEY + ", its KmsKeyId");
    }

    @Test
    void a_key_learned_from_kms_requests_is_judged_though_the_inventory_names_none() throws Exception {
        fx.inventory(DB, daysAgo(100), "{}");
        fx.events(List.of(
                KmsEvents.decrypt("k1", daysAgo(3), DB, OTHER_KEY),
                KmsEvents.decrypt("k2", daysAgo(1), DB, KEY))); // the latest names KEY
        // allowed by its key id: the key the requests name, not the inventory's default
        assertThat(cmk(DB, Map.of("posture.allowedKmsKeys", KEY_ID)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok",
                        "encrypted with " + KEY + ", as its latest KMS request names it, allowed by"
                                + " posture.allowedKmsKeys (1 keys)");
        // the earlier key only: not allowed
        assertThat(cmk(DB, Map.of("posture.allowedKmsKeys", OTHER_KEY + ", alias/payments")))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "encrypted with the AWS managed key aws/secretsmanager (" + KEY
                                + ", as its latest KMS request names it)");
        // no allow-list: a key ARN no secret is listed with is the AWS managed one, as the cost model takes it
        assertThat(cmk(DB, REQUIRED).status()).isEqualTo("alarm");
    }

    @Test
    void keys_compare_canonically_key_id_to_key_arn_and_alias_name_to_alias_arn() throws Exception {
        String byId = arn("us-east-1", "app/by-id");
        String byAliasArn = arn("us-east-1", "app/by-alias-arn");
        fx.inventory(byId, daysAgo(100), "{\"KmsKeyId\":\"" + KEY_ID + "\"}");
        fx.inventory(byAliasArn, daysAgo(100), "{\"KmsKeyId\":\"arn:aws:kms:us-east-1:123456789012:alias/payments\"}");
        Map<String, String> allowed = Map.of("posture.allowedKmsKeys", KEY + ",alias/payments");
        assertThat(cmk(byId, allowed).status()).isEqualTo("ok");
        assertThat(cmk(byAliasArn, allowed).status()).isEqualTo("ok");
        // boundary: the same key id in another account is another key
        Map<String, String> elsewhere =
                Map.of("posture.allowedKmsKeys", "arn:aws:kms:us-east-1:210987654321:key/" + KEY_ID);
        assertThat(cmk(byId, elsewhere))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "encrypted with " + KEY_ID + ", its KmsKeyId, not among posture.allowedKmsKeys (1 keys)");
    }

    @Test
    void an_allowed_alias_matches_the_key_arn_the_requests_of_a_secret_listed_under_it_name() throws Exception {
        fx.inventory(DB, daysAgo(100), "{\"KmsKeyId\":\"alias/payments\"}");
        fx.events(List.of(KmsEvents.decrypt("k1", daysAgo(1), DB, KEY)));
        assertThat(cmk(DB, Map.of("posture.allowedKmsKeys", "alias/payments")))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok",
                        "encrypted with " + KEY + ", as its latest KMS request names it, allowed by"
                                + " posture.allowedKmsKeys (1 keys)");
        assertThat(cmk(DB, Map.of("posture.allowedKmsKeys", "alias/other")).status())
                .isEqualTo("alarm");
    }

    @Test
    void deleting_unknown_and_unlisted_secrets_are_skipped_saying_why_and_a_manager_is_named() throws Exception {
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(400), null, null, Instant.parse("2026-11-21T11:59:59Z"), null);
        String outside = arn("us-east-1", "legacy/token"); // not inventoried, its requests name a key ARN
        fx.apiCall("GetSecretValue", outside, daysAgo(2), null);
        fx.events(List.of(KmsEvents.decrypt("k1", daysAgo(2), outside, KEY)));
        String rds = arn("us-east-1", "rds!db-1");
        fx.inventory(rds, daysAgo(100), "{\"OwningService\":\"rds\"}");
        assertThat(cmk(gone, REQUIRED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "scheduled for deletion on 2026-11-21T11:59:59Z");
        assertThat(cmk(outside, REQUIRED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "skip",
                        "encrypted with " + KEY + ", as its latest KMS request names it, which no inventoried secret"
                                + " lists, so whether it is customer managed is unknown");
        assertThat(cmk(outside, Map.of("posture.allowedKmsKeys", KEY)).status()).isEqualTo("ok");
        assertThat(cmk(rds, REQUIRED).reason())
                .isEqualTo("encrypted with the AWS managed key aws/secretsmanager (alias/aws/secretsmanager, Secrets"
                        + " Manager's default: the inventory names no KmsKeyId; managed by rds)");
    }

    @Test
    void a_malformed_allowed_key_is_a_setting_error_naming_it() {
        assertThatThrownBy(() -> fx.run("cmk-required", AS_OF, Map.of("posture.allowedKmsKeys", "payments-key")))
                .hasMessageStartingWith("posture.allowedKmsKeys: must look like");
    }
}
