package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletedSecretAccessRuleTest extends RuleTestBase {
    /** The message Secrets Manager returns for a secret in its recovery window. */
    static final String MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

    @Test
    void reads_of_a_secret_marked_for_deletion_raise_it_per_caller() throws Exception {
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(2))
                        .by("legacy-app")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json(),
                fx.call("DescribeSecret", daysAgo(1))
                        .by("legacy-app")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json(),
                fx.call("GetSecretValue", daysAgo(1))
                        .by("other")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json()));
        List<Finding> found = fx.run("deleted-secret-access", AS_OF, Map.of());
        assertThat(found).extracting(Finding::principal).containsExactly(role("legacy-app"), role("other"));
        assertThat(found.get(0))
                .extracting(
                        Finding::resource,
                        Finding::status,
                        Finding::severity,
                        Finding::reason,
                        Finding::firstSeen,
                        Finding::lastSeen)
                .containsExactly(
                        DB,
                        "alarm",
                        "medium",
                        "2 attempts (DescribeSecret, GetSecretValue) to use the secret after it was marked for deletion",
                        daysAgo(2),
                        daysAgo(1));
        assertThat(found.get(1).reason())
                .isEqualTo("1 attempt (GetSecretValue) to use the secret after it was marked for deletion");
    }

    @Test
    void other_invalid_requests_and_successful_reads_do_not() throws Exception {
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(2))
                        .secret(DB)
                        .error(
                                "InvalidRequestException",
                                "You can't perform this operation on the secret because it was deleted.")
                        .json(),
                fx.call("GetSecretValue", daysAgo(1)).secret(DB).json()));
        assertThat(fx.run("deleted-secret-access", AS_OF, Map.of())).isEmpty();
    }
}
