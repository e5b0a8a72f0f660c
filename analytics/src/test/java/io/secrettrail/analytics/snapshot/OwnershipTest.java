package io.secrettrail.analytics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ownership.* settings, validated at once and naming the bad key. */
class OwnershipTest {

    @Test
    void the_defaults_are_the_team_and_owner_tags_and_nothing_required() {
        assertThat(Ownership.of(Map.of())).isEqualTo(Ownership.DEFAULTS);
        assertThat(Ownership.DEFAULTS.teamTag()).isEqualTo("team");
        assertThat(Ownership.DEFAULTS.ownerTag()).isEqualTo("owner");
        assertThat(Ownership.DEFAULTS.required()).isFalse();
    }

    @Test
    void prefixes_are_comma_lists_per_team_and_accounts_name_a_team() {
        Ownership o = Ownership.of(Map.of(
                "ownership.prefix.payments", "prod/payments/, stage/payments/",
                "ownership.account.123456789012", "core",
                "ownership.required", "true",
                "ownership.teamTag", "squad"));
        assertThat(o.prefixes())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("prod/payments/", "payments", "stage/payments/", "payments"));
        assertThat(o.accounts()).containsExactlyEntriesOf(Map.of("123456789012", "core"));
        assertThat(o.required()).isTrue();
        assertThat(o.teamTag()).isEqualTo("squad");
    }

    @Test
    void an_unknown_ownership_key_is_refused_by_name() {
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.teamtag", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ownership.teamtag: unknown ownership setting");
    }

    @Test
    void an_account_must_be_twelve_digits() {
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.account.12345678901", "core")))
                .hasMessageStartingWith("ownership.account.12345678901: expected ownership.account.<12-digit");
        assertThat(Ownership.of(Map.of("ownership.account.000000000000", "core"))
                        .accounts())
                .containsKey("000000000000");
    }

    @Test
    void a_team_name_is_checked_and_unowned_is_reserved() {
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.prefix.pay ments", "prod/")))
                .hasMessageStartingWith("ownership.prefix.pay ments: expected a team name");
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.account.123456789012", "unowned")))
                .hasMessageStartingWith("ownership.account.123456789012: unowned is reserved");
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.prefix.unowned", "prod/")))
                .hasMessageStartingWith("ownership.prefix.unowned: unowned is reserved");
        // boundary: 64 characters is a team, 65 is not
        assertThat(Ownership.of(Map.of("ownership.prefix." + "a".repeat(64), "p/"))
                        .prefixes())
                .containsValue("a".repeat(64));
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.prefix." + "a".repeat(65), "p/")))
                .hasMessageContaining("expected a team name");
    }

    @Test
    void one_prefix_names_one_team() {
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.prefix.a", "prod/", "ownership.prefix.b", "prod/")))
                .hasMessageStartingWith("ownership.prefix.b: prefix prod/ is already ownership.prefix.a's");
    }

    @Test
    void required_is_true_or_false() {
        assertThatThrownBy(() -> Ownership.of(Map.of("ownership.required", "yes")))
                .hasMessage("ownership.required: must be true or false, was yes");
    }

    @Test
    void a_user_given_team_is_checked_and_may_be_unowned() {
        assertThat(Ownership.teamName("--team", "unowned")).isEqualTo("unowned");
        assertThat(Ownership.teamName("--team", "payments")).isEqualTo("payments");
        assertThatThrownBy(() -> Ownership.teamName("--team", "<b>"))
                .hasMessageStartingWith("--team: expected a team name");
    }
}
