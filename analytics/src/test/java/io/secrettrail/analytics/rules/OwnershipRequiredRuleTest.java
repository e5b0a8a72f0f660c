package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.analytics.snapshot.SecretOwners;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ownership-required: an unowned secret is a posture failure once ownership.required=true. */
class OwnershipRequiredRuleTest extends RuleTestBase {
    static final Map<String, String> REQUIRED = Map.of("ownership.required", "true");

    /** The rule's finding on {@code arn}, with secret_owners built from the same settings, as a report does. */
    private Finding owned(String arn, Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            Snapshot s = Snapshot.at(c, AS_OF);
            SecretOwners.build(c, Ownership.of(settings));
            return new RuleRunner(s)
                    .run(fx.catalog().get("ownership-required"), fx.catalog().values(settings)).stream()
                            .filter(f -> f.resource().equals(arn))
                            .findFirst()
                            .orElseThrow();
        }
    }

    private static Map<String, String> with(Map<String, String> a, String k, String v) {
        Map<String, String> out = new HashMap<>(a);
        out.put(k, v);
        return out;
    }

    @Test
    void an_untagged_secret_no_prefix_or_account_places_alarms_saying_where_ownership_was_looked_for()
            throws Exception {
        fx.listed(DB, "\"Tags\":[]");
        assertThat(owned(DB, REQUIRED))
                .extracting(Finding::status, Finding::reason, Finding::severity)
                .containsExactly(
                        "alarm",
                        "prod/db has no owning team: no team tag (ownership.teamTag), no ownership.prefix.* starts its"
                                + " name, no ownership.account.123456789012 is set",
                        "low");
    }

    @Test
    void a_tag_a_prefix_or_the_account_makes_it_owned() throws Exception {
        fx.listed(DB, "\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"}]");
        assertThat(owned(DB, REQUIRED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "prod/db is owned by team payments (by its tag)");
        String other = arn("us-east-1", "prod/api");
        fx.listed(other, "\"Tags\":[]");
        assertThat(owned(other, with(REQUIRED, "ownership.prefix.platform", "prod/"))
                        .reason())
                .isEqualTo("prod/api is owned by team platform (by its prefix)");
        assertThat(owned(other, with(REQUIRED, "ownership.account.123456789012", "core"))
                        .reason())
                .isEqualTo("prod/api is owned by team core (by its account)");
    }

    @Test
    void a_team_tag_that_is_no_team_name_is_named_in_the_alarm() throws Exception {
        fx.listed(DB, "\"Tags\":[{\"Key\":\"team\",\"Value\":\"unowned\"}]");
        assertThat(owned(DB, REQUIRED).reason())
                .startsWith(
                        "prod/db has no owning team: its team tag (ownership.teamTag) \"unowned\" is not a team name");
    }

    @Test
    void the_rule_is_silent_until_ownership_is_required() throws Exception {
        fx.listed(DB, "\"Tags\":[]");
        assertThat(owned(DB, Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "not required: ownership.required is false");
        assertThat(owned(DB, Map.of("ownership.required", "false")).status()).isEqualTo("skip");
    }

    @Test
    void boundary_a_prefix_one_character_longer_than_the_name_does_not_place_it() throws Exception {
        fx.listed(DB, "\"Tags\":[]");
        assertThat(owned(DB, with(REQUIRED, "ownership.prefix.data", "prod/db")).status())
                .isEqualTo("ok");
        assertThat(owned(DB, with(REQUIRED, "ownership.prefix.data", "prod/dbx"))
                        .status())
                .isEqualTo("alarm");
    }

    @Test
    void secrets_outside_the_inventory_say_their_tags_are_unknown_and_deleting_ones_are_skipped() throws Exception {
        String seen = arn("us-east-1", "legacy/token");
        fx.apiCall("GetSecretValue", seen, daysAgo(1), null);
        assertThat(owned(seen, REQUIRED).reason())
                .isEqualTo("legacy/token has no owning team: not in the inventory, so its tags are unknown, no"
                        + " ownership.prefix.* starts its name, no ownership.account.123456789012 is set");
        String gone = arn("us-east-1", "old/db");
        fx.inventory(gone, null, false, daysAgo(400), null, null, daysAgo(0), null);
        assertThat(owned(gone, REQUIRED).status()).isEqualTo("skip");
    }
}
