package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.report.EvidenceJson;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.core.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The generic JSON of every message: an alarm, its clear, a digest of several, the test message.
 * What a generic receiver gets as it is, and what a Slack message is drawn from ({@link Slack}).
 */
final class Payloads {
    static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private Payloads() {}

    /** An alarm (or another transition) of a finding. */
    static ObjectNode of(String id, String transition, Finding f, Instant now) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", id);
        p.put("transition", transition);
        p.put("rule", f.rule());
        p.put("severity", f.severity());
        p.put("resource", f.resource());
        p.put("principal", f.principal());
        p.put("reason", f.reason());
        p.put("account", f.account());
        p.put("region", f.region());
        p.put("firstSeen", Times.format(f.firstSeen()));
        p.put("lastSeen", Times.format(f.lastSeen()));
        p.set("evidence", f.evidence() == null ? null : JSON.valueToTree(EvidenceJson.of(f.evidence())));
        if (f.incident() != null) {
            EvidenceJson.incident(f.incident()).forEach((k, v) -> p.set(k, JSON.valueToTree(v)));
        }
        p.put("occurredAt", Times.format(now));
        return p;
    }

    /** The clear of an episode, from the alarm that opened it: same fields, its own id. */
    static ObjectNode clear(JsonNode alarm, String id, Instant now) {
        ObjectNode p = (ObjectNode) alarm.deepCopy();
        p.put("id", id);
        p.put("transition", "ok");
        p.put("occurredAt", Times.format(now));
        p.put("reason", "cleared: " + alarm.path("reason").asText());
        return p;
    }

    /** Several messages as one, for a webhook past its rate. */
    static ObjectNode digest(String id, List<String> payloads, Instant now) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", id);
        p.put("transition", "digest");
        p.put("occurredAt", Times.format(now));
        ArrayNode alerts = p.putArray("alerts");
        for (String each : payloads) {
            alerts.add(read(each, "outbox"));
        }
        p.put("count", payloads.size());
        return p;
    }

    /** The message {@code webhook test} and the dashboard's Send test button send. */
    static ObjectNode test(String id, Instant now) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", id);
        p.put("transition", "test");
        p.put("rule", "webhook-test");
        p.put("severity", "low");
        p.put("resource", "secrettrail");
        p.put("reason", "a test message from SecretTrail: if you read this, the webhook works");
        p.put("occurredAt", Times.format(now));
        return p;
    }

    /** A stored payload; {@code where} names the table in the error when it cannot be read. */
    static JsonNode read(String json, String where) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable " + where + " payload", e);
        }
    }
}
