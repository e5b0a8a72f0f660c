package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Caller kinds in detections: shown in the evidence, and (principal, kind) pairs ignored by configuration. */
class IgnoredCallersTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(2));
    static final String AGENT = "aws-sdk-rust/1.3.3 os/linux lang/rust/1.82.0 aws-secrets-manager-agent/2.0.0";
    static final String SDK = "aws-sdk-java/2.25.0";

    /** One read on each of {@code n} secrets by {@code role} within a minute, the first {@code cached} by the agent. */
    private void reads(String role, int n, int cached) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by(role)
                    .agent(i < cached ? AGENT : SDK)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        fx.events(out);
    }

    private List<Finding> bulk(String ignore) throws Exception {
        try (Connection c = fx.reader()) {
            RuleCatalog catalog = RuleCatalog.load();
            return new RuleRunner(
                            Snapshot.at(c, AS_OF),
                            IgnoredCallers.of(ignore == null ? Map.of() : Map.of("detections.ignore", ignore)))
                    .run(catalog.get("bulk-retrieval"), catalog.values(Map.of())).stream()
                            .filter(Finding::alarm)
                            .toList();
        }
    }

    @Test
    void the_evidence_lists_the_kinds_of_the_callers_beside_their_user_agents() throws Exception {
        reads("app", 20, 19);
        assertThat(bulk(null)).singleElement().satisfies(f -> {
            assertThat(f.evidence().userAgents()).containsExactly(SDK, AGENT);
            assertThat(f.evidence().callerKinds()).containsExactly("caching", "sdk");
        });
    }

    @Test
    void an_ignored_principal_and_kind_no_longer_count_towards_a_detection() throws Exception {
        reads("app", 20, 20);
        assertThat(bulk(null)).hasSize(1);
        assertThat(bulk("caching:" + role("app"))).isEmpty();
    }

    @Test
    void the_pair_ignores_only_that_kind_of_that_principal() throws Exception {
        reads("app", 21, 20); // 20 secrets via the agent, one by a plain SDK
        assertThat(bulk("caching:" + role("app"))).isEmpty(); // one read left, under the threshold
        assertThat(bulk("console:" + role("app"))).singleElement().satisfies(f -> {
            assertThat(f.evidence().counts()).containsEntry("secrets", 21);
            assertThat(f.evidence().callerKinds()).containsExactly("caching", "sdk");
        });
    }

    /**
     * Review L3: {@code unknown:ROLE} ignored every call of the role whose user agent no rule knows, so
     * anyone with its credentials and a random user agent; sdk and cli are what the stock tools send.
     */
    @Test
    void the_kinds_a_caller_has_without_trying_are_refused_saying_why() {
        for (String kind : List.of("unknown", "sdk", "cli")) {
            String entry = kind + ":" + role("app");
            assertThatThrownBy(
                            () -> IgnoredCallers.of(Map.of("detections.ignore", "caching:" + role("a") + "," + entry)))
                    .hasMessageStartingWith("detections.ignore: kind " + kind + " cannot be ignored: ")
                    .hasMessageContaining("would ignore whoever holds the principal's credentials")
                    .hasMessageEndingWith(", was " + entry);
        }
        assertThatThrownBy(() -> IgnoredCallers.of(Map.of("detections.ignore", "unknown:" + role("app"))))
                .hasMessageContaining("any user agent no rule knows");
        assertThat(IgnoredCallers.of(Map.of(
                                "detections.ignore",
                                "caching:" + role("a") + " iac:" + role("b") + " console:" + role("c") + " aws-service:"
                                        + role("d")))
                        .kinds())
                .containsExactly("caching", "iac", "console", "aws-service");
    }

    @Test
    void a_principal_that_is_not_a_whole_arn_nor_a_service_name_is_refused() {
        for (String principal : List.of(
                "arn:",
                "arn:aws:iam::",
                "arn:aws:iam::1:role/app",
                "arn:aws:iam::123456789012:",
                "arn:aws:iam::12345678901x:role/app",
                ".amazonaws.com",
                "role/app")) {
            assertThatThrownBy(() -> IgnoredCallers.of(Map.of("detections.ignore", "caching:" + principal)))
                    .as(principal)
                    .hasMessageStartingWith("detections.ignore: expected kind:principal with a principal ARN")
                    .hasMessageEndingWith(", was caching:" + principal);
        }
        assertThat(IgnoredCallers.of(Map.of(
                                "detections.ignore",
                                "caching:arn:aws:iam::123456789012:role/app caching:arn:aws:iam::123456789012:root"
                                        + " caching:arn:aws:iam::123456789012:user/ci"
                                        + " caching:arn:aws-cn:iam::123456789012:role/app"
                                        + " aws-service:ecs-tasks.amazonaws.com"))
                        .principals())
                .hasSize(5);
    }

    @Test
    void another_principal_or_another_kind_is_not_ignored() throws Exception {
        reads("app", 20, 20);
        assertThat(bulk("caching:" + role("other"))).hasSize(1);
        assertThat(bulk("iac:" + role("app"))).hasSize(1);
    }

    @Test
    void a_rule_about_state_reads_every_event_whatever_is_ignored() throws Exception {
        RuleCatalog catalog = RuleCatalog.load();
        assertThat(catalog.get("bulk-retrieval").callerDetection()).isTrue();
        assertThat(catalog.get("public-policy").callerDetection()).isFalse();
        assertThat(catalog.get("stale-rotation").callerDetection()).isFalse();
    }

    @Test
    void a_bad_entry_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> IgnoredCallers.of(Map.of("detections.ignore", role("app"))))
                .hasMessageStartingWith("detections.ignore: expected kind:principal");
        assertThat(IgnoredCallers.of(Map.of("detections.ignore", " ")).isEmpty())
                .isTrue();
    }
}
