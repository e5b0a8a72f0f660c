package io.secrettrail.analytics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot's caller_kinds: each distinct caller up to asOf once, classified by the same rules as Java. */
class CallerKindsTableTest extends RuleTestBase {

    @Test
    void each_distinct_caller_up_to_as_of_is_classified_once() throws Exception {
        String agent = "aws-sdk-java/2.25.0 Linux/6.1 AwsSecretCache/2.0.0";
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(3)).secret(DB).agent(agent).json(),
                fx.call("GetSecretValue", daysAgo(2)).secret(DB).agent(agent).json(),
                fx.call("GetSecretValue", daysAgo(1)).secret(DB).agent(null).json(),
                fx.call("GetSecretValue", AS_OF.plusSeconds(1))
                        .secret(DB)
                        .agent("aws-cli/2.9.1")
                        .json()));
        fx.serviceEvent("RotationFailed", DB, daysAgo(1), "boom");
        try (Connection c = fx.reader()) {
            Snapshot.at(c, AS_OF);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT user_agent, invoked_by, kind, label FROM caller_kinds ORDER BY ALL")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .containsExactly("", "", "unknown");
                assertThat(rs.getString(4)).isNull();
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .containsExactly(agent, "", "caching", "Secrets Manager caching (Java)");
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .containsExactly(
                                "secretsmanager.amazonaws.com",
                                "secretsmanager.amazonaws.com",
                                "aws-service",
                                "AWS service");
                assertThat(rs.next()).isFalse(); // the CLI call is after asOf
            }
        }
    }
}
