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

    /** An alarm (or another transition) of a finding, without a team. */
    static ObjectNode of(String id, String transition, Finding f, Instant now) {
        return of(id, transition, f, null, now);
    }

    /**
     * An alarm (or another transition) of a finding.
     *
     * @param team the team owning the finding's secret ({@code unowned} is one); null (no {@code team} field) when
     *     the finding is about no secret of the ownership
     */
    static ObjectNode of(String id, String transition, Finding f, String team, Instant now) {
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
        if (team != null) {
            p.put("team", team);
        }
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

    /** What one scheduled digest says of one team (see {@link Digests}). */
    record Digest(
            String id,
            String digest,
            String team,
            Instant period,
            Instant previous,
            String zone,
            String month,
            java.math.BigDecimal thisMonthUsd,
            java.math.BigDecimal thisMonthProjectedUsd,
            String lastMonth,
            java.math.BigDecimal lastMonthUsd,
            List<io.secrettrail.analytics.cost.MonthOverMonth.Mover> movers,
            List<Finding> openIncidents,
            List<Digests.Failure> newPostureFailures,
            List<io.secrettrail.analytics.cost.Saving> topSavings) {}

    /**
     * A team's scheduled digest: {@code "transition": "scheduled-digest"}, unlike the rate limit's {@code digest}.
     * Amounts are exact decimals (null where the report has no such month).
     */
    static ObjectNode scheduledDigest(Digest d, Instant now) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", d.id());
        p.put("transition", "scheduled-digest");
        p.put("digest", d.digest());
        p.put("team", d.team());
        ObjectNode period = p.putObject("period");
        period.put("start", Times.format(d.period()));
        period.put("coversFrom", d.previous() == null ? null : Times.format(d.previous()));
        period.put("zone", d.zone());
        ObjectNode cost = p.putObject("costUsd");
        cost.put("month", d.month());
        cost.set("thisMonth", usd(d.thisMonthUsd()));
        cost.set("thisMonthProjected", usd(d.thisMonthProjectedUsd()));
        cost.put("lastMonthName", d.lastMonth());
        cost.set("lastMonth", usd(d.lastMonthUsd()));
        ArrayNode movers = p.putArray("movers");
        for (var m : d.movers()) {
            ObjectNode o = movers.addObject();
            o.put("secret", m.key());
            o.set("fromUsd", usd(m.fromUsd()));
            o.set("toUsd", usd(m.toUsd()));
            o.set("changeUsd", usd(m.changeUsd()));
        }
        ObjectNode open = p.putObject("openIncidents");
        open.put("count", d.openIncidents().size());
        ArrayNode items = open.putArray("top");
        d.openIncidents().stream().limit(Digests.TOP).forEach(f -> {
            ObjectNode o = items.addObject();
            o.put("rule", f.rule());
            o.put("severity", f.severity());
            o.put("resource", f.resource());
            o.put("incident", f.incident().id());
            o.put("firstHit", Times.format(f.incident().firstHit()));
        });
        ObjectNode failures = p.putObject("newPostureFailures");
        failures.put("count", d.newPostureFailures().size());
        ArrayNode fs = failures.putArray("top");
        d.newPostureFailures().stream().limit(Digests.TOP).forEach(f -> {
            ObjectNode o = fs.addObject();
            o.put("rule", f.rule());
            o.put("severity", f.severity());
            o.put("resource", f.resource());
            o.put("since", Times.format(f.since()));
        });
        ArrayNode savings = p.putArray("topSavings");
        for (var s : d.topSavings()) {
            ObjectNode o = savings.addObject();
            o.put("kind", s.kind());
            o.put("resource", s.resource());
            o.put("principal", s.principal());
            o.set("monthlyUsd", usd(s.monthlyUsd()));
            o.put("reason", s.reason());
        }
        p.put("occurredAt", Times.format(now));
        return p;
    }

    private static JsonNode usd(java.math.BigDecimal v) {
        return v == null
                ? JSON.nullNode()
                : JSON.getNodeFactory().numberNode(new java.math.BigDecimal(io.secrettrail.core.Money.json(v)));
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
