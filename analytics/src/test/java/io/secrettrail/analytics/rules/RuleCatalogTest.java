package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {
    private final RuleCatalog catalog = RuleCatalog.load();

    @Test
    void the_issue_rules_are_shipped_in_order() {
        assertThat(catalog.all())
                .extracting(Rule::id)
                .containsExactly(
                        "rotation-disabled",
                        "stale-rotation",
                        "rotation-failed",
                        "rotation-overdue",
                        "rotation-schedule-too-long",
                        "unused-secret",
                        "bulk-retrieval",
                        "batch-retrieval",
                        "batch-multi-region",
                        "access-denied-burst",
                        "name-probing",
                        "first-seen-principal",
                        "deleted-secret-access",
                        "public-policy",
                        "cmk-required",
                        "required-tags",
                        "ownership-required",
                        "replica-region-not-allowed",
                        "secret-deleted",
                        "rejected-records",
                        "logging-stopped",
                        "trail-silent",
                        "budget");
    }

    @Test
    void every_rule_file_is_listed_and_every_listed_rule_is_complete() throws IOException {
        Set<String> stems;
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/rules"))) {
            stems = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") || n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.lastIndexOf('.')))
                    .collect(Collectors.toSet());
        }
        assertThat(stems)
                .containsExactlyInAnyOrderElementsOf(
                        catalog.all().stream().map(Rule::id).toList());
        assertThat(catalog.all()).allSatisfy(r -> {
            assertThat(r.title()).isNotBlank();
            assertThat(r.severity()).isIn("low", "medium", "high", "critical");
            assertThat(r.description()).isNotBlank();
            assertThat(r.runbook()).isNotBlank();
            assertThat(r.reference()).startsWith("https://");
            assertThat(r.sql())
                    .doesNotContainIgnoringCase("current_date")
                    .doesNotContainIgnoringCase("now()")
                    .doesNotContainIgnoringCase("current_timestamp");
            r.parameters().forEach(p -> assertThat(p.accept(p.defaultValue())).isEqualTo(p.defaultValue()));
        });
    }

    @Test
    void defaults_are_the_documented_ones_and_bad_settings_are_named() {
        Map<String, Object> values = catalog.values(Map.of());
        assertThat(values)
                .containsEntry("rotation.maxDays", 90)
                .containsEntry("unused.days", 90)
                .containsEntry("rotation.mode", "lenient")
                .containsEntry("rotation.graceHours", 24);
        assertThat(values.get("price.secretMonthUsd")).hasToString("0.40");
        assertThat(values)
                .containsEntry("bulk.secrets", 20)
                .containsEntry("bulk.windowMinutes", 10)
                .containsEntry("batch.calls", 5)
                .containsEntry("batch.windowMinutes", 10)
                .containsEntry("multiRegion.regions", 5)
                .containsEntry("multiRegion.windowMinutes", 10)
                .containsEntry("denied.calls", 20)
                .containsEntry("denied.windowHours", 24)
                .containsEntry("probing.names", 20)
                .containsEntry("probing.windowMinutes", 60)
                .containsEntry("firstSeen.historyDays", 7)
                .containsEntry("publicPolicy.orgAccounts", "")
                .containsEntry("rejected.records", 10)
                .containsEntry("rejected.windowHours", 24)
                // issue 17: the posture rules are silent until their settings say what is required
                .containsEntry("posture.cmkRequired", "false")
                .containsEntry("posture.allowedKmsKeys", "")
                .containsEntry("posture.requiredTagKeys", "")
                .containsEntry("posture.maxRotationInterval", "");
        assertThat(catalog.values(Map.of("publicPolicy.orgAccounts", "111122223333, 444455556666")))
                .containsEntry("publicPolicy.orgAccounts", "111122223333, 444455556666");
        assertThatThrownBy(() -> catalog.values(Map.of("publicPolicy.orgAccounts", "1111-2222-3333")))
                .hasMessage("publicPolicy.orgAccounts: must look like 111122223333,444455556666, was 1111-2222-3333");
        assertThatThrownBy(() -> catalog.values(Map.of("unused.days", "0")))
                .hasMessage("unused.days: must be 1..365, was 0");
        assertThatThrownBy(() -> catalog.values(Map.of("unused.days", "ninety")))
                .hasMessage("unused.days: expected a number, was ninety");
        assertThatThrownBy(() -> catalog.get("no-such-rule")).hasMessageStartingWith("no rule no-such-rule");
    }

    @Test
    void detections_quiet_hours_set_every_detection_that_has_none_of_its_own() {
        Map<String, Object> v = catalog.values(Map.of("detections.quietHours", "48", "bulk.quietHours", "6"));
        assertThat(v).containsEntry("bulk.quietHours", 6); // its own wins
        assertThat(v)
                .containsEntry("batch.quietHours", 48)
                .containsEntry("denied.quietHours", 48)
                .containsEntry("logging.quietHours", 48);
        assertThat(catalog.values(Map.of())).containsEntry("batch.quietHours", 24);
        assertThat(catalog.values(Map.of("detections.quietHours", "1"))).containsEntry("firstSeen.quietHours", 1);
        assertThatThrownBy(() -> catalog.values(Map.of("detections.quietHours", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("detections.quietHours");
        assertThatThrownBy(() -> catalog.values(Map.of("detections.quietHours", "8761")))
                .hasMessageStartingWith("detections.quietHours");
    }

    @Test
    void only_the_budget_makes_a_standing_incident_that_begins_again_a_new_episode() {
        assertThat(catalog.all())
                .filteredOn(r -> r.detection() != null && r.detection().episodePerPeriod())
                .extracting(Rule::id)
                .containsExactly("budget");
        assertThat(catalog.get("public-policy").detection().episodePerPeriod()).isFalse();
    }

    private static Rule withBlock(String block) {
        return RuleCatalog.parse("x", "{\"id\": \"x\", " + block + "}", "SELECT 1");
    }

    @Test
    void a_standing_blocks_episodes_is_one_or_per_period_and_anything_else_is_named() {
        assertThat(withBlock("\"standing\": {\"subject\": \"s\"}").detection().episodePerPeriod())
                .isFalse();
        assertThat(withBlock("\"standing\": {\"subject\": \"s\", \"episodes\": \"one\"}")
                        .detection()
                        .episodePerPeriod())
                .isFalse();
        assertThat(withBlock("\"standing\": {\"subject\": \"s\", \"episodes\": \"per-period\"}")
                        .detection()
                        .episodePerPeriod())
                .isTrue();
        assertThatThrownBy(() -> withBlock("\"standing\": {\"subject\": \"s\", \"episodes\": \"monthly\"}"))
                .hasMessageContaining("rules/x.json: standing.episodes is \"monthly\"")
                .hasMessageContaining("per-period");
        assertThatThrownBy(() -> withBlock("\"standing\": {\"subject\": \"s\", \"episodes\": true}"))
                .hasMessageContaining("standing.episodes is true");
        assertThatThrownBy(() -> withBlock("\"detection\": {\"subject\": \"s\", \"episodes\": \"per-period\"}"))
                .hasMessageContaining("rules/x.json: detection.episodes")
                .hasMessageContaining("standing block only");
    }
}
