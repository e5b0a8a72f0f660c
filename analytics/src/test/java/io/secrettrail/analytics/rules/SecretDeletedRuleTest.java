package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretDeletedRuleTest extends RuleTestBase {
    @Test
    void a_forced_deletion_is_high() throws Exception {
        fx.events(List.of(fx.call("DeleteSecret", daysAgo(1))
                .by("admin")
                .secret(DB)
                .params("{\"secretId\":\"" + DB + "\",\"forceDeleteWithoutRecovery\":true}")
                .json()));
        assertThat(fx.finding("secret-deleted", DB, AS_OF))
                .extracting(Finding::status, Finding::severity, Finding::principal, Finding::reason)
                .containsExactly(
                        "alarm",
                        "high",
                        role("admin"),
                        "deleted by " + role("admin")
                                + " at 2026-11-20T12:00:00Z with forceDeleteWithoutRecovery: gone at once, it cannot be restored");
    }

    @Test
    void a_deletion_with_a_recovery_window_is_low_and_says_until_when() throws Exception {
        fx.events(List.of(fx.call("DeleteSecret", daysAgo(1))
                .by("admin")
                .params("{\"secretId\":\"" + DB + "\",\"recoveryWindowInDays\":7}")
                .json()));
        Finding f = fx.finding("secret-deleted", DB, AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "low",
                        "scheduled for deletion by " + role("admin")
                                + " at 2026-11-20T12:00:00Z with a 7-day recovery window: restorable until 2026-11-27T12:00:00Z");
        assertThat(f.evidence().counts()).containsEntry("recoveryWindowDays", 7);
    }

    @Test
    void a_restore_clears_it_and_failed_deletions_do_not_count() throws Exception {
        fx.events(List.of(
                fx.call("DeleteSecret", daysAgo(3)).secret(DB).json(),
                fx.call("RestoreSecret", daysAgo(2)).secret(DB).json(),
                fx.call("DeleteSecret", daysAgo(1))
                        .by("intruder")
                        .params("{\"secretId\":\"" + DB + "\",\"forceDeleteWithoutRecovery\":true}")
                        .error("AccessDenied", null)
                        .json()));
        assertThat(fx.finding("secret-deleted", DB, AS_OF))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "deleted at 2026-11-18T12:00:00Z, restored at 2026-11-19T12:00:00Z");
        // as of a second before the restore, it was still deleted (30 days by default)
        assertThat(fx.finding("secret-deleted", DB, daysAgo(2).minusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "alarm",
                        "scheduled for deletion by " + role("app")
                                + " at 2026-11-18T12:00:00Z with a 30-day recovery window: restorable until 2026-12-18T12:00:00Z");
        assertThat(fx.run("secret-deleted", AS_OF, Map.of())).hasSize(1);
    }
}
