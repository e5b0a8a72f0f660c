package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.Rejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The detections over real public records, kept with their SOURCE notes and licences in core's
 * test resources: Stratus Red Team's detonation logs, Panther's rule tests, the AWS documentation.
 */
class DetectionSamplesTest extends RuleTestBase {
    static final Path SAMPLES = Path.of("..", "core", "src", "test", "resources", "cloudtrail");
    static final List<String> DETECTIONS = List.of(
            "bulk-retrieval",
            "batch-retrieval",
            "batch-multi-region",
            "access-denied-burst",
            "first-seen-principal",
            "deleted-secret-access",
            "public-policy",
            "secret-deleted");
    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    private List<Finding> alarms(Map<String, String> settings) throws Exception {
        List<Finding> out = new ArrayList<>();
        for (String rule : DETECTIONS) {
            fx.run(rule, NOW, settings).stream().filter(Finding::alarm).forEach(out::add);
        }
        return out;
    }

    @Test
    void stratus_detonations_raise_exactly_the_detections_they_emulate() throws Exception {
        assertThat(Files.isDirectory(SAMPLES))
                .as("run from the module directory")
                .isTrue();
        assertThat(fx.load(SAMPLES.resolve("stratus-red-team/events.ndjson"))).isEmpty();
        // the 284 real events of the other 33 techniques (ssm, ec2, sts, iam, lambda...) go in too
        assertThat(fx.load(SAMPLES.resolve("stratus-red-team/all_other_events.ndjson")))
                .isEmpty();
        List<Finding> alarms = alarms(Map.of());
        assertThat(alarms)
                .extracting(Finding::rule, Finding::resource, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "bulk-retrieval", "arn:aws:iam::903144391865:user/christophe", "high"),
                        org.assertj.core.groups.Tuple.tuple(
                                "batch-retrieval", "arn:aws:iam::165109126369:user/christophe", "medium"));
        Finding bulk = alarms.get(0);
        assertThat(bulk.reason()).isEqualTo("read 20 distinct secrets in 4 s (threshold: 20 within 10 minutes)");
        assertThat(bulk.evidence().counts()).containsEntry("secrets", 20);
        assertThat(bulk.evidence().windowStart()).isEqualTo(Instant.parse("2024-07-31T12:36:48Z"));
        assertThat(bulk.evidence().userAgents()).hasSize(1).allMatch(ua -> ua.contains("stratus-red-team"));
        assertThat(bulk.region()).isEqualTo("cn-centraleast-1r");
        Finding batch = alarms.get(1);
        assertThat(batch.reason())
                .isEqualTo("made 5 filter-based BatchGetSecretValue calls in 1 s (threshold: 5 within 10 minutes)");
        assertThat(batch.evidence().eventIds()).hasSize(5);
    }

    @Test
    void the_other_techniques_alone_raise_nothing_even_at_the_lowest_thresholds() throws Exception {
        assertThat(fx.load(SAMPLES.resolve("stratus-red-team/all_other_events.ndjson")))
                .isEmpty();
        assertThat(alarms(Map.of(
                        "bulk.secrets",
                        "2",
                        "batch.calls",
                        "1",
                        "multiRegion.regions",
                        "2",
                        "denied.calls",
                        "1",
                        "firstSeen.historyDays",
                        "1")))
                .isEmpty();
    }

    @Test
    void panther_samples_private_policies_and_an_access_denied() throws Exception {
        List<Rejection> rejected = fx.load(SAMPLES.resolve("panther-analysis/events.ndjson"));
        // lines 4-8 are partial test logs (no eventTime, eventID...): dead-lettered by the reader
        assertThat(rejected).extracting(Rejection::recordIndex).containsExactly(4L, 5L, 6L, 7L, 8L);
        // Panther expects neither PutResourcePolicy to alert: both restrict "*" by aws:PrincipalOrgID
        String secret = "arn:aws:secretsmanager:us-west-2:123456789012:secret:paloma/example-secret-xxxxxx";
        assertThat(fx.finding("public-policy", secret, NOW))
                .extracting(Finding::status)
                .isEqualTo("ok");
        assertThat(alarms(Map.of())).isEmpty();
        // one AccessDenied GetSecretValue by an SSO role: an alarm once one is enough
        List<Finding> denied = fx.run("access-denied-burst", NOW, Map.of("denied.calls", "1"));
        assertThat(denied)
                .extracting(Finding::resource)
                .containsExactly(
                        "arn:aws:iam::123123123123:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_DevAdmin_635426549a280cc6");
        assertThat(denied.get(0).evidence().userAgents())
                .singleElement()
                .asString()
                .startsWith("APN/1.0 HashiCorp/1.0 Terraform/1.1.2");
    }

    @Test
    void panthers_private_policy_made_public_by_dropping_its_conditions_alarms() throws Exception {
        // Panther's "Secrets Manager Restricted Access" record, with every Condition removed
        String line = Files.readAllLines(SAMPLES.resolve("panther-analysis/events.ndjson"))
                .get(1);
        var event = (com.fasterxml.jackson.databind.node.ObjectNode) RuleFixture.JSON.readTree(line);
        var params = (com.fasterxml.jackson.databind.node.ObjectNode) event.get("requestParameters");
        var policy = (com.fasterxml.jackson.databind.node.ObjectNode)
                RuleFixture.JSON.readTree(params.get("resourcePolicy").asText());
        policy.get("Statement").forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("Condition"));
        params.put("resourcePolicy", policy.toString());
        fx.events(List.of(event.toString()));
        Finding f = fx.finding(
                "public-policy",
                "arn:aws:secretsmanager:us-west-2:123456789012:secret:paloma/example-secret-xxxxxx",
                NOW);
        assertThat(f).extracting(Finding::status, Finding::severity).containsExactly("alarm", "high");
        assertThat(f.reason()).contains("grants secretsmanager:GetSecretValue to everyone (\"Principal\": \"*\")");
        assertThat(f.principal())
                .isEqualTo(
                        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx");
    }

    @Test
    void aws_documentation_delete_secret_is_a_low_deletion_with_its_recovery_window() throws Exception {
        // The documentation's examples all carry eventID EXAMPLE3-...: stored together they are one
        // event (dedupe by eventID), so the DeleteSecret record goes in alone.
        String delete = Files.readAllLines(SAMPLES.resolve("awsdocs-aws-secrets-manager-docs/events.ndjson"))
                .get(1);
        assertThat(delete).contains("\"eventName\": \"DeleteSecret\"");
        fx.events(List.of(delete));
        List<Finding> deleted = fx.run("secret-deleted", NOW, Map.of());
        assertThat(deleted).hasSize(1).allSatisfy(f -> {
            assertThat(f.resource())
                    .isEqualTo("arn:aws:secretsmanager:us-west-2:123456789012:secret:MyDatabaseSecret-p5mycT");
            assertThat(f.status()).isEqualTo("alarm");
            assertThat(f.severity()).isEqualTo("low");
            assertThat(f.principal()).isEqualTo("arn:aws:iam::123456789012:root");
            assertThat(f.reason())
                    .endsWith(
                            "at 2018-04-03T17:51:02Z with a 30-day recovery window: restorable until 2018-05-03T17:51:02Z");
        });
    }
}
