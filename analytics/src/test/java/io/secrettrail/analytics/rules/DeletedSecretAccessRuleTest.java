package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletedSecretAccessRuleTest extends RuleTestBase {
    /** The message Secrets Manager returns for a secret in its recovery window. */
    static final String MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

    @Test
    void reads_of_a_secret_marked_for_deletion_raise_one_incident_per_secret_whoever_calls() throws Exception {
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(2))
                        .by("legacy-app")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json(),
                fx.call("DescribeSecret", daysAgo(2).plusSeconds(60))
                        .by("legacy-app")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json(),
                fx.call("GetSecretValue", daysAgo(1).plusSeconds(30))
                        .by("other")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json()));
        List<Finding> found = fx.run("deleted-secret-access", AS_OF, Map.of());
        assertThat(found)
                .singleElement()
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
                        "3 attempts (DescribeSecret, GetSecretValue) to use the secret after it was marked for deletion,"
                                + " by 2 callers",
                        daysAgo(2),
                        daysAgo(1).plusSeconds(30));
        assertThat(found.get(0).incident().subject()).isEqualTo(DB);
        assertThat(found.get(0).incident().state()).isEqualTo("open");
    }

    @Test
    void ten_refused_calls_within_an_hour_are_high_nine_are_medium() throws Exception {
        List<String> events = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(fx.call("GetSecretValue", daysAgo(1).plusSeconds(i * 399L))
                    .by("legacy-app")
                    .secret(DB)
                    .error("InvalidRequestException", MARKED)
                    .json());
        }
        fx.events(events.subList(0, 9));
        assertThat(fx.run("deleted-secret-access", AS_OF, Map.of()))
                .extracting(Finding::severity)
                .containsExactly("medium");
        fx.events(events.subList(9, 10));
        assertThat(fx.run("deleted-secret-access", AS_OF, Map.of()))
                .extracting(Finding::severity)
                .containsExactly("high");
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
