package io.secrettrail.analytics.snapshot;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** secret_owners: tag, then the longest name prefix, then the account, else unowned. */
class SecretOwnersTest extends RuleTestBase {
    static final String PAY = arn("us-east-1", "prod/payments/db");
    static final Map<String, String> SETTINGS = Map.of(
            "ownership.prefix.payments", "prod/payments/",
            "ownership.prefix.platform", "prod/, shared/",
            "ownership.account.123456789012", "core");

    private void listed(String arn, String tags) throws Exception {
        fx.listed(arn, tags == null ? "" : "\"Tags\":" + tags);
    }

    private SecretOwners.Owner owner(String arn, Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            Snapshot.at(c, AS_OF);
            SecretOwners.build(c, Ownership.of(settings));
            return SecretOwners.read(c).get(arn);
        }
    }

    @Test
    void the_team_tag_wins_over_every_prefix_and_the_owner_tag_is_read() throws Exception {
        listed(PAY, "[{\"Key\":\"team\",\"Value\":\"ledger\"},{\"Key\":\"owner\",\"Value\":\"ana@example.com\"}]");
        assertThat(owner(PAY, SETTINGS))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::owner, SecretOwners.Owner::resolvedBy)
                .containsExactly("ledger", "ana@example.com", "tag");
    }

    @Test
    void the_tag_keys_are_configurable_and_compare_exactly() throws Exception {
        listed(PAY, "[{\"Key\":\"Team\",\"Value\":\"ledger\"},{\"Key\":\"squad\",\"Value\":\"risk\"}]");
        assertThat(owner(PAY, Map.of("ownership.teamTag", "squad")).team()).isEqualTo("risk");
        // the default key is team, and Team is another key
        assertThat(owner(PAY, Map.of()))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::resolvedBy)
                .containsExactly("unowned", "none");
    }

    @Test
    void without_a_tag_the_longest_matching_prefix_wins() throws Exception {
        listed(PAY, "[]");
        String other = arn("us-east-1", "prod/search/key");
        listed(other, "[]");
        assertThat(owner(PAY, SETTINGS))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::owner, SecretOwners.Owner::resolvedBy)
                .containsExactly("payments", null, "prefix");
        assertThat(owner(other, SETTINGS).team()).isEqualTo("platform");
    }

    @Test
    void a_prefix_matches_the_name_from_its_start_only() throws Exception {
        String inside = arn("us-east-1", "dev/prod/payments/db");
        listed(inside, "[]");
        assertThat(owner(inside, Map.of("ownership.prefix.payments", "prod/payments/"))
                        .team())
                .isEqualTo("unowned");
        // boundary: the prefix may be the whole name
        String whole = arn("us-east-1", "prod/payments/");
        listed(whole, "[]");
        assertThat(owner(whole, Map.of("ownership.prefix.payments", "prod/payments/"))
                        .team())
                .isEqualTo("payments");
    }

    @Test
    void without_a_tag_or_prefix_the_account_places_it_and_else_it_is_unowned() throws Exception {
        String lone = arn("us-east-1", "legacy/token");
        listed(lone, null);
        assertThat(owner(lone, SETTINGS))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::resolvedBy)
                .containsExactly("core", "account");
        assertThat(owner(lone, Map.of("ownership.account.210987654321", "core")))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::resolvedBy)
                .containsExactly("unowned", "none");
    }

    @Test
    void an_invalid_tag_value_or_unowned_falls_through_to_the_prefix() throws Exception {
        listed(PAY, "[{\"Key\":\"team\",\"Value\":\"pay ments!\"}]");
        assertThat(owner(PAY, SETTINGS))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::resolvedBy)
                .containsExactly("payments", "prefix");
        String other = arn("us-east-1", "prod/payments/api");
        listed(other, "[{\"Key\":\"team\",\"Value\":\"unowned\"}]");
        assertThat(owner(other, SETTINGS).resolvedBy()).isEqualTo("prefix");
        String empty = arn("us-east-1", "prod/payments/web");
        listed(empty, "[{\"Key\":\"team\",\"Value\":\"\"}]");
        assertThat(owner(empty, SETTINGS).resolvedBy()).isEqualTo("prefix");
    }

    @Test
    void a_replica_takes_its_primarys_tags() throws Exception {
        listed(PAY, "[{\"Key\":\"team\",\"Value\":\"ledger\"},{\"Key\":\"owner\",\"Value\":\"ana\"}]");
        String replica = arn("eu-west-1", "prod/payments/db");
        fx.listed(replica, "\"PrimaryRegion\":\"us-east-1\",\"Tags\":[{\"Key\":\"team\",\"Value\":\"other\"}]");
        assertThat(owner(replica, Map.of()))
                .extracting(SecretOwners.Owner::team, SecretOwners.Owner::owner, SecretOwners.Owner::resolvedBy)
                .containsExactly("ledger", "ana", "tag");
    }

    @Test
    void a_secret_only_events_name_is_placed_by_its_name_without_the_arn_suffix() throws Exception {
        String seen = arn("us-east-1", "prod/payments/token");
        fx.apiCall("GetSecretValue", seen, AS_OF.minusSeconds(60), null);
        assertThat(owner(seen, Map.of("ownership.prefix.payments", "prod/payments/token")))
                .extracting(SecretOwners.Owner::name, SecretOwners.Owner::team)
                .containsExactly("prod/payments/token", "payments");
    }

    @Test
    void every_snapshot_carries_secret_owners_by_the_defaults() throws Exception {
        listed(PAY, "[{\"Key\":\"team\",\"Value\":\"ledger\"}]");
        try (Connection c = fx.reader()) {
            Snapshot.at(c, AS_OF);
            assertThat(SecretOwners.read(c).get(PAY).team()).isEqualTo("ledger");
        }
    }
}
