package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.Incident;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alerts as OCSF Detection Findings: each transition's activity and status, stable ids, and the schema. */
class OcsfTest {
    static final Instant T0 = WebhookDeliveryIT.T0;
    static final String ROLE = "arn:aws:iam::111111111111:role/app";
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";
    static final OcsfValidator SCHEMA = new OcsfValidator();

    static Finding detection(String severity, String state) {
        Incident i = new Incident(
                Incident.id("bulk-retrieval", ROLE, T0.minusSeconds(60)),
                state,
                ROLE,
                T0.minusSeconds(60),
                T0,
                20,
                "T1555.006",
                "Credentials from Password Stores: Cloud Secrets Management Stores",
                "Check whether the role should read this many secrets.",
                false);
        Finding a = WebhookDeliveryIT.alarm("bulk-retrieval", severity, ROLE);
        return new Finding(
                a.rule(),
                a.severity(),
                a.resource(),
                a.status(),
                a.reason(),
                a.account(),
                a.region(),
                a.firstSeen(),
                a.lastSeen(),
                a.principal(),
                a.evidence(),
                i);
    }

    static Finding posture() {
        return new Finding(
                "stale-rotation",
                "medium",
                SECRET,
                "alarm",
                "last rotated 120 days ago (threshold 90)",
                "111111111111",
                "us-east-1",
                T0.minusSeconds(3600),
                T0,
                null,
                null);
    }

    static ObjectNode one(JsonNode payload) {
        List<ObjectNode> f = Ocsf.findings(payload);
        assertThat(f).hasSize(1);
        assertThat(SCHEMA.problems(f.get(0))).as(f.get(0).toString()).isEmpty();
        return f.get(0);
    }

    @Test
    void a_new_incident_is_a_create_of_a_new_finding_with_its_evidence_and_runbook() {
        Finding d = detection("high", "open");
        ObjectNode f = one(Payloads.of(d.incident().id(), "alarm", d, T0));
        assertThat(f.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(f.get("activity_id").asInt()).isEqualTo(1);
        assertThat(f.get("type_uid").asLong()).isEqualTo(200401L);
        assertThat(f.get("status_id").asInt()).isEqualTo(1);
        assertThat(f.get("severity_id").asInt()).isEqualTo(4);
        assertThat(f.get("time").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(f.get("is_alert").asBoolean()).isTrue();
        assertThat(f.at("/finding_info/uid").asText())
                .isEqualTo("secrettrail:bulk-retrieval:" + d.incident().id());
        assertThat(f.at("/finding_info/title").asText())
                .isEqualTo(RuleCatalog.load().get("bulk-retrieval").title());
        assertThat(f.at("/finding_info/first_seen_time").asLong())
                .isEqualTo(T0.minusSeconds(60).toEpochMilli());
        assertThat(f.at("/finding_info/last_seen_time").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(f.at("/remediation/desc").asText())
                .isEqualTo("Check whether the role should read this many secrets.");
        assertThat(f.at("/evidences/0/data/sourceIps/0").asText()).isEqualTo("203.0.113.7");
        assertThat(f.at("/resources/0/uid").asText()).isEqualTo(ROLE);
        assertThat(f.at("/resources/0/type").asText()).isEqualTo("AWS::IAM::Role");
        assertThat(f.at("/cloud/provider").asText()).isEqualTo("AWS");
        assertThat(f.at("/cloud/account/uid").asText()).isEqualTo("111111111111");
        assertThat(f.at("/metadata/uid").asText()).isEqualTo(d.incident().id());
        assertThat(f.at("/unmapped/secrettrail/mitre/id").asText()).isEqualTo("T1555.006");
    }

    @Test
    void an_escalation_updates_and_a_clear_closes_the_same_finding_as_resolved() {
        Finding d = detection("high", "open");
        ObjectNode alarm = Payloads.of(d.incident().id(), "alarm", d, T0);
        ObjectNode up =
                one(Payloads.of(d.incident().id() + "-critical", "escalation", detection("critical", "open"), T0));
        ObjectNode clear = one(Payloads.clear(alarm, d.incident().id() + "-clear", T0.plusSeconds(600)));
        ObjectNode created = one(alarm);

        assertThat(up.get("activity_id").asInt()).isEqualTo(2);
        assertThat(up.get("type_uid").asLong()).isEqualTo(200402L);
        assertThat(up.get("severity_id").asInt()).isEqualTo(5);
        assertThat(up.get("status_id").asInt()).isEqualTo(1);
        assertThat(clear.get("activity_id").asInt()).isEqualTo(3);
        assertThat(clear.get("type_uid").asLong()).isEqualTo(200403L);
        assertThat(clear.get("status_id").asInt()).isEqualTo(4);
        assertThat(clear.get("status").asText()).isEqualTo("Resolved");
        assertThat(clear.get("is_alert").asBoolean()).isFalse();
        assertThat(clear.get("time").asLong()).isEqualTo(T0.plusSeconds(600).toEpochMilli());
        // one finding downstream: its uid is the incident's; each transition is an event of its own
        assertThat(List.of(created, up, clear))
                .extracting(f -> f.at("/finding_info/uid").asText())
                .containsOnly("secrettrail:bulk-retrieval:" + d.incident().id());
        assertThat(List.of(created, up, clear))
                .extracting(f -> f.at("/metadata/uid").asText())
                .doesNotHaveDuplicates();
    }

    @Test
    void a_posture_failure_is_a_finding_on_the_secret_whose_uid_survives_a_new_episode() {
        ObjectNode first = one(Payloads.of("episode-1", "alarm", posture(), T0));
        ObjectNode again = one(Payloads.of("episode-2", "alarm", posture(), T0.plusSeconds(86_400)));
        assertThat(first.at("/finding_info/uid").asText()).isEqualTo("secrettrail:stale-rotation:" + SECRET);
        assertThat(again.at("/finding_info/uid").asText())
                .isEqualTo(first.at("/finding_info/uid").asText());
        assertThat(first.at("/resources/0/uid").asText()).isEqualTo(SECRET);
        assertThat(first.at("/resources/0/type").asText()).isEqualTo("AWS::SecretsManager::Secret");
        assertThat(first.at("/resources/0/region").asText()).isEqualTo("us-east-1");
        assertThat(first.get("severity_id").asInt()).isEqualTo(3);
        assertThat(first.has("evidences")).isFalse();
        assertThat(first.at("/remediation/desc").asText())
                .isEqualTo(RuleCatalog.load().get("stale-rotation").runbook());
    }

    @Test
    void a_posture_check_that_passes_again_closes_its_finding() {
        ObjectNode alarm = Payloads.of("episode-1", "alarm", posture(), T0);
        ObjectNode closed = one(Payloads.clear(alarm, "episode-1-clear", T0.plusSeconds(60)));
        assertThat(closed.get("activity_id").asInt()).isEqualTo(3);
        assertThat(closed.get("status_id").asInt()).isEqualTo(4);
        assertThat(closed.at("/finding_info/uid").asText()).isEqualTo("secrettrail:stale-rotation:" + SECRET);
    }

    @Test
    void a_digest_is_one_finding_per_alert_and_the_test_message_is_a_valid_finding_too() {
        Finding d = detection("high", "open");
        String a = Payloads.of(d.incident().id(), "alarm", d, T0).toString();
        String b = Payloads.of("episode-1", "alarm", posture(), T0).toString();
        List<ObjectNode> digest = Ocsf.findings(Payloads.digest("digest-1", List.of(a, b), T0));
        assertThat(digest).hasSize(2);
        digest.forEach(f -> assertThat(SCHEMA.problems(f)).isEmpty());
        String lines = Ocsf.lines(Payloads.digest("digest-1", List.of(a, b), T0));
        assertThat(lines).endsWith("\n");
        assertThat(lines.split("\n", -1)).hasSize(3);
        ObjectNode test = one(Payloads.test("test-1", T0));
        assertThat(test.at("/finding_info/uid").asText()).isEqualTo("secrettrail:webhook-test:secrettrail");
    }

    @Test
    void the_validator_refuses_a_broken_finding() {
        Finding d = detection("high", "open");
        ObjectNode good = one(Payloads.of(d.incident().id(), "alarm", d, T0));

        ObjectNode noUid = good.deepCopy();
        ((ObjectNode) noUid.get("finding_info")).remove("uid");
        assertThat(SCHEMA.problems(noUid)).containsExactly("$.finding_info.uid: required");

        ObjectNode stringTime = good.deepCopy().put("time", "2026-10-01T09:00:00Z");
        assertThat(SCHEMA.problems(stringTime)).singleElement().asString().startsWith("$.time: must be timestamp_t");

        ObjectNode extra = good.deepCopy().put("secret_value", "x");
        assertThat(SCHEMA.problems(extra)).containsExactly("$.secret_value: not an attribute of the definition");

        ObjectNode wrongType = good.deepCopy().put("type_uid", 200402);
        assertThat(SCHEMA.problems(wrongType)).singleElement().asString().startsWith("$.type_uid: must be");

        ObjectNode badEnum = good.deepCopy().put("activity_id", 7);
        assertThat(SCHEMA.problems(badEnum)).anyMatch(p -> p.startsWith("$.activity_id: 7 is not one of"));

        ObjectNode caption = good.deepCopy().put("severity", "Low");
        assertThat(SCHEMA.problems(caption)).containsExactly("$.severity: must be High for severity_id 4, was Low");

        ObjectNode noCloud = good.deepCopy();
        noCloud.remove("cloud");
        assertThat(SCHEMA.problems(noCloud)).containsExactly("$.cloud: required");

        ObjectNode unknownObject = good.deepCopy();
        ((ObjectNode) unknownObject.at("/resources/0")).putObject("owner").put("uid", "x");
        assertThat(SCHEMA.problems(unknownObject)).singleElement().asString().contains("object user");

        ObjectNode free = good.deepCopy();
        ((ObjectNode) free.get("unmapped")).put("anything", 1);
        assertThat(SCHEMA.problems(free)).isEmpty();
    }
}
