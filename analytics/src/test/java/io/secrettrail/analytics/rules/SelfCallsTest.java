package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.snapshot.BatchEntryMatcher;
import io.secrettrail.analytics.snapshot.CallerKinds;
import io.secrettrail.analytics.snapshot.CallerKinds.CallerKind;
import io.secrettrail.analytics.snapshot.SelfCalls;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: SecretTrail's own calls. Its user agent's marker labels a call (caller kind {@code secrettrail}); only a
 * marked call of one of SecretTrail's actions by a principal of {@code self.principals} is its own, and left out of
 * the caller detections. A user agent is chosen by the caller, so the marker alone never hides anyone.
 */
class SelfCallsTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(2));
    /** What ingest's SDK clients send: the SDK's own user agent, then SecretTrail's marker. */
    static final String OURS = "aws-sdk-java/2.57.8 md/io#sync md/http#UrlConnection ua/2.1 os/Linux#6.1"
            + " lang/java#17.0.13 md/OpenJDK_64-Bit_Server_VM#17.0.13 cfg/retry-mode#standard m/D,N secrettrail/0.1.0";

    static final String SELF = role("secrettrail-reader");

    /** {@code n} refused DescribeSecret calls by {@code who} a second apart, with the given user agent and action. */
    private void refused(String who, String agent, String action, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call(action, T0.plusSeconds(i))
                    .by(who)
                    .agent(agent)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .error("AccessDeniedException", "not authorized to perform: secretsmanager:" + action)
                    .json());
        }
        fx.events(out);
    }

    private List<Finding> denied(String selfPrincipals, boolean incremental) throws Exception {
        SelfCalls self = SelfCalls.of(selfPrincipals == null ? Map.of() : Map.of("self.principals", selfPrincipals));
        try (Connection c = fx.reader()) {
            Snapshot s = Snapshot.at(c, AS_OF, BatchEntryMatcher.defaults(), self);
            Rule rule = fx.catalog().get("access-denied-burst");
            Map<String, Object> values = fx.catalog().values(Map.of());
            List<Finding> out = incremental
                    ? new IncrementalRunner(s, IgnoredCallers.NONE).run(rule, values)
                    : new RuleRunner(s).run(rule, values);
            return out.stream().filter(Finding::alarm).toList();
        }
    }

    private List<String> selfCalls(String selfPrincipals) throws Exception {
        try (Connection c = fx.reader()) {
            Snapshot.at(
                    c, AS_OF, BatchEntryMatcher.defaults(), SelfCalls.of(Map.of("self.principals", selfPrincipals)));
            List<String> ids = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT event_id FROM self_calls ORDER BY event_id")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    @Test
    void the_marker_gives_the_secrettrail_kind_before_the_sdk_it_is_appended_to() {
        CallerKinds kinds = CallerKinds.standard();
        assertThat(kinds.classify(OURS, null)).isEqualTo(new CallerKind("secrettrail", "SecretTrail"));
        assertThat(kinds.classify("secrettrail/0.1.0", null).kind()).isEqualTo("secrettrail");
        assertThat(kinds.classify("secrettrail/dev", null).kind()).isEqualTo("secrettrail");
        // boundary: a marker needs its own word and a version
        assertThat(kinds.classify("aws-sdk-java/2.57.8 notsecrettrail/1.0", null)
                        .kind())
                .isEqualTo("sdk");
        assertThat(kinds.classify("aws-sdk-java/2.57.8 secrettrail/", null).kind())
                .isEqualTo("sdk");
        assertThat(kinds.classify("aws-sdk-java/2.57.8 secrettrail", null).kind())
                .isEqualTo("sdk");
        // an AWS service acting is told from invokedBy first, whatever the agent says
        assertThat(kinds.classify(OURS, "secretsmanager.amazonaws.com").kind()).isEqualTo("aws-service");
    }

    @Test
    void self_principals_are_whole_iam_arns_and_a_session_counts_as_its_role() {
        assertThat(SelfCalls.of(Map.of()).isEmpty()).isTrue();
        assertThat(SelfCalls.of(Map.of(
                                "self.principals",
                                "arn:aws:sts::123456789012:assumed-role/secrettrail-reader/i-0abc,"
                                        + " arn:aws:iam::123456789012:user/ci , arn:aws:iam::123456789012:root,"
                                        + "arn:aws:iam::123456789012:role/secrettrail-reader"))
                        .principals())
                .containsExactly(
                        "arn:aws:iam::123456789012:role/secrettrail-reader",
                        "arn:aws:iam::123456789012:root",
                        "arn:aws:iam::123456789012:user/ci");
        for (String bad : List.of(
                "secretsmanager.amazonaws.com",
                "arn:aws:iam::123456789012:role/*",
                "arn:aws:iam::123456789012:role/secrettrail-?",
                "arn:aws:iam::1234:role/x",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
                "role/secrettrail")) {
            assertThatThrownBy(() -> SelfCalls.of(Map.of("self.principals", bad)))
                    .as(bad)
                    .hasMessageStartingWith("self.principals: expected the ARN of a role, user or root")
                    .hasMessageEndingWith(", was " + bad);
        }
    }

    @Test
    void a_call_naming_only_the_callers_account_is_never_our_own_even_with_its_root_listed() throws Exception {
        // CloudTrail names a caller of another account by its account alone (type AWSAccount); the event is keyed as
        // that account's root, which stands for every identity there: any of them could send the marker
        String other = "444455556666";
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode event =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fx.call("DescribeSecret", T0)
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .json());
        event.putObject("userIdentity")
                .put("type", "AWSAccount")
                .put("principalId", "AIDAEXAMPLE")
                .put("accountId", other);
        String byAccount = json.writeValueAsString(event);
        assertThat(byAccount).contains("\"type\":\"AWSAccount\"").doesNotContain("sessionIssuer");
        String rootCall = fx.call("DescribeSecret", T0.plusSeconds(1))
                .by("secrettrail-reader")
                .agent(OURS)
                .json();
        fx.events(List.of(byAccount, rootCall));
        assertThat(selfCalls("arn:aws:iam::" + other + ":root," + SELF)).hasSize(1);
    }

    @Test
    void a_call_is_our_own_only_with_the_principal_the_marker_and_one_of_our_actions() throws Exception {
        fx.events(List.of(
                fx.call("ListSecrets", T0).by("secrettrail-reader").agent(OURS).json(), // 1: ours
                fx.call("DescribeSecret", T0)
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret(DB)
                        .json(), // 2: ours
                fx.call("GetResourcePolicy", T0)
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret(DB)
                        .json(), // 3: ours
                fx.call("GetSecretValue", T0)
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret(DB)
                        .json(), // 4: never
                fx.call("DescribeSecret", T0)
                        .by("secrettrail-reader")
                        .secret(DB)
                        .json(), // 5: no marker
                fx.call("DescribeSecret", T0)
                        .by("attacker")
                        .agent(OURS)
                        .secret(DB)
                        .json())); // 6: not listed
        assertThat(selfCalls(SELF))
                .containsExactly(
                        "00000000-0000-0000-0000-000000000001",
                        "00000000-0000-0000-0000-000000000002",
                        "00000000-0000-0000-0000-000000000003");
        assertThat(selfCalls(role("someone-else"))).isEmpty();
        assertThat(selfCalls("")).isEmpty(); // the default: the relation is there, and empty
    }

    @Test
    void our_own_refused_calls_raise_no_access_denied_burst() throws Exception {
        refused("secrettrail-reader", OURS, "DescribeSecret", 25);
        assertThat(denied(null, false))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence().callerKinds()).containsExactly("secrettrail"));
        assertThat(denied(SELF, false)).isEmpty();
        assertThat(denied(SELF, true)).isEmpty();
        // as a session ARN, the role is the same principal
        assertThat(denied("arn:aws:sts::123456789012:assumed-role/secrettrail-reader/i-0abc", false))
                .isEmpty();
    }

    /** Incidents are stored by the incremental evaluation: naming SecretTrail's role later leaves no alarm behind. */
    @Test
    void naming_self_principals_later_leaves_no_alarm_from_the_incident_our_calls_raised() throws Exception {
        refused("secrettrail-reader", OURS, "DescribeSecret", 25);
        assertThat(denied(null, true)).hasSize(1);
        assertThat(denied(SELF, true)).isEmpty();
    }

    /** The hostile case: any identity may send SecretTrail's user agent. */
    @Test
    void a_caller_claiming_our_user_agent_from_another_principal_is_still_detected_and_labelled() throws Exception {
        refused("attacker", OURS, "DescribeSecret", 25);
        assertThat(denied(SELF, false)).singleElement().satisfies(f -> {
            assertThat(f.principal()).isEqualTo(role("attacker"));
            assertThat(f.evidence().callerKinds()).containsExactly("secrettrail");
            assertThat(f.evidence().userAgents()).containsExactly(OURS);
        });
        assertThat(denied(SELF, true)).hasSize(1);
    }

    @Test
    void our_principal_without_the_marker_or_outside_our_actions_is_still_detected() throws Exception {
        refused("secrettrail-reader", "aws-cli/2.15.0 Python/3.11.6", "DescribeSecret", 25);
        assertThat(denied(SELF, false)).hasSize(1);
    }

    @Test
    void our_principal_reading_values_with_our_marker_is_still_detected() throws Exception {
        refused("secrettrail-reader", OURS, "GetSecretValue", 25);
        assertThat(denied(SELF, false))
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).startsWith("25 calls refused"));
    }

    @Test
    void at_the_threshold_our_calls_beside_another_callers_leave_only_the_others_counted() throws Exception {
        // 19 refused calls of our own and 20 by the app: the app alone is at the threshold (20)
        refused("secrettrail-reader", OURS, "DescribeSecret", 19);
        refused("app", "aws-sdk-java/2.25.0", "DescribeSecret", 20);
        assertThat(denied(SELF, false))
                .singleElement()
                .satisfies(f -> assertThat(f.principal()).isEqualTo(role("app")));
    }

    @Test
    void the_secrettrail_kind_cannot_be_ignored_by_detections_ignore() {
        assertThatThrownBy(() -> IgnoredCallers.of(Map.of("detections.ignore", "secrettrail:" + SELF)))
                .hasMessageStartingWith("detections.ignore: kind secrettrail cannot be ignored: ")
                .hasMessageContaining("self.principals")
                .hasMessageEndingWith(", was secrettrail:" + SELF);
    }
}
