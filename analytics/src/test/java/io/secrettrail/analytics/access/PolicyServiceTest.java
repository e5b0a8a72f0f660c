package io.secrettrail.analytics.access;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyServiceTest extends RuleTestBase {
    static final String ROLE = "arn:aws:iam::123456789012:role/app";

    private PolicyService.Policy policy(Duration lookback) throws Exception {
        try (Connection c = fx.reader()) {
            return new PolicyService(c).forPrincipal(ROLE, AS_OF, lookback);
        }
    }

    /** The (action, resource) pairs a policy grants. */
    static Set<String> pairs(String json) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode st : new ObjectMapper().readTree(json).get("Statement")) {
            assertThat(st.get("Effect").asText()).isEqualTo("Allow");
            JsonNode r = st.get("Resource");
            List<JsonNode> resources = new ArrayList<>();
            if (r.isArray()) {
                r.forEach(resources::add);
            } else {
                resources.add(r);
            }
            List<String> actions = new ArrayList<>();
            if (st.get("Action").isArray()) {
                st.get("Action").forEach(a -> actions.add(a.asText()));
            } else {
                actions.add(st.get("Action").asText());
            }
            actions.forEach(a -> resources.forEach(x -> out.add(a + " " + x.asText())));
        }
        return out;
    }

    @Test
    void the_policy_grants_exactly_the_successful_actions_on_the_secrets_they_named() throws Exception {
        String cache = arn("us-east-1", "prod/cache");
        String denied = arn("us-east-1", "prod/admin");
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.apiCall("DescribeSecret", cache, daysAgo(2), null);
        fx.apiCall("GetSecretValue", denied, daysAgo(1), "AccessDenied");
        fx.apiCall("PutSecretValue", DB, daysAgo(200), null); // outside --days 90
        fx.unattributedCall("ListSecrets", daysAgo(3));
        PolicyService.Policy p = policy(Duration.ofDays(90));
        JsonNode doc = new ObjectMapper().readTree(p.json());
        assertThat(doc.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(pairs(p.json()))
                .containsExactlyInAnyOrder(
                        "secretsmanager:GetSecretValue " + DB,
                        "secretsmanager:DescribeSecret " + cache,
                        "secretsmanager:ListSecrets *");
        assertThat(p.grouped()).isFalse();
        assertThat(pairs(policy(Duration.ofDays(365)).json())).contains("secretsmanager:PutSecretValue " + DB);
    }

    @Test
    void a_batch_grants_get_secret_value_on_what_it_returned_and_a_filter_batch_also_list_secrets() throws Exception {
        String listed = arn("us-east-1", "app/listed");
        String filtered = arn("us-east-1", "app/filtered");
        fx.events(List.of(
                fx.call("BatchGetSecretValue", daysAgo(2))
                        .params("{\"secretIdList\":[\"" + listed + "\"]}")
                        .json(),
                fx.call("GetSecretValue", daysAgo(2)).secret(listed).json(),
                fx.call("BatchGetSecretValue", daysAgo(1))
                        .params("{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"team\"]}]}")
                        .json(),
                fx.call("GetSecretValue", daysAgo(1)).secret(filtered).json()));
        assertThat(pairs(policy(Duration.ofDays(90)).json()))
                .containsExactlyInAnyOrder(
                        "secretsmanager:GetSecretValue " + listed,
                        "secretsmanager:GetSecretValue " + filtered,
                        "secretsmanager:BatchGetSecretValue *",
                        "secretsmanager:ListSecrets *");
    }

    @Test
    void a_listing_batch_alone_needs_no_list_secrets() throws Exception {
        String listed = arn("us-east-1", "app/listed");
        fx.events(List.of(fx.call("BatchGetSecretValue", daysAgo(2))
                .params("{\"secretIdList\":[\"" + listed + "\"]}")
                .json()));
        assertThat(pairs(policy(Duration.ofDays(90)).json()))
                .containsExactlyInAnyOrder(
                        "secretsmanager:GetSecretValue " + listed, "secretsmanager:BatchGetSecretValue *");
    }

    @Test
    void a_secret_known_only_by_name_gets_the_suffix_wildcard() {
        assertThat(PolicyService.resource("arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/key", false))
                .isEqualTo("arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/key-??????");
    }

    @Test
    void five_hundred_secrets_are_grouped_by_path_to_stay_under_the_managed_policy_limit() throws Exception {
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            arns.add(arn("us-east-1", "team-" + (i % 7) + "/service-" + i + "/database-credentials"));
        }
        fx.readsOf(arns, daysAgo(1));
        PolicyService.Policy p = policy(Duration.ofDays(90));
        assertThat(p.grouping()).isEqualTo(PolicyService.Grouping.PATH);
        assertThat(p.chars()).isLessThanOrEqualTo(PolicyService.MAX_POLICY_CHARS);
        assertThat(pairs(p.json()))
                .hasSize(7)
                .allSatisfy(
                        pair -> assertThat(pair)
                                .matches(
                                        "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:team-\\d/\\*"));
    }

    @Test
    void actions_used_on_the_same_secrets_share_one_statement() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.apiCall("DescribeSecret", DB, daysAgo(1), null);
        JsonNode statements =
                new ObjectMapper().readTree(policy(Duration.ofDays(90)).json()).get("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).get("Action"))
                .extracting(JsonNode::asText)
                .containsExactly("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue");
        assertThat(statements.get(0).get("Resource").asText()).isEqualTo(DB);
    }

    @Test
    void names_without_a_path_are_widened_to_their_account_and_region_only_when_nothing_else_fits() throws Exception {
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            arns.add(arn("us-east-1", "service-" + i + "-database-credentials"));
        }
        arns.add(arn("eu-west-1", "payments-key"));
        fx.readsOf(arns, daysAgo(1));
        PolicyService.Policy p = policy(Duration.ofDays(90));
        assertThat(p.grouping()).isEqualTo(PolicyService.Grouping.REGION);
        assertThat(p.chars()).isLessThanOrEqualTo(PolicyService.MAX_POLICY_CHARS);
        // the crowded region is widened, the other keeps its one exact secret
        assertThat(pairs(p.json()))
                .containsExactlyInAnyOrder(
                        "secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
                        "secretsmanager:GetSecretValue " + arn("eu-west-1", "payments-key"));
    }

    @Test
    void the_inverse_view_lists_the_roles_that_need_a_secret() throws Exception {
        fx.apiCall("GetSecretValue", DB, daysAgo(1), null);
        fx.apiCall("DescribeSecret", DB, daysAgo(1), null);
        try (Connection c = fx.reader()) {
            assertThat(new PolicyService(c).principalsOf(Snapshot.at(c, AS_OF), DB, Duration.ofDays(90)))
                    .containsOnlyKeys(ROLE)
                    .containsEntry(
                            ROLE,
                            new java.util.TreeSet<>(
                                    Set.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")));
        }
    }
}
