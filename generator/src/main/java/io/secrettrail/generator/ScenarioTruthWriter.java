package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code scenarios.json}: the callers only the scenarios use; per planted incident its rule, subject, first and last hit, counts
 * and event ids; the scenarios left out and why; and for the batch scenario the reads each listed
 * secret must show in all (the trail's successful GetSecretValue entries, plus one per listed
 * secret of every other successful id-list batch, whose entries the trail does not hold).
 */
final class ScenarioTruthWriter {
    private final JsonFactory json;

    ScenarioTruthWriter(JsonFactory json) {
        this.json = json;
    }

    void write(Path file, Instant asOf, long seed, AttackScenarios scenarios) throws IOException {
        try (JsonGenerator g = json.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("asOf", asOf.toString());
            g.writeNumberField("seed", seed);
            strings(g, "actors", scenarios.actors());
            g.writeArrayFieldStart("incidents");
            for (AttackScenarios.Planted p : scenarios.planted()) {
                incident(g, p);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("skipped");
            for (AttackScenarios.Skipped s : scenarios.skipped()) {
                g.writeStartObject();
                g.writeStringField("scenario", s.scenario());
                g.writeStringField("reason", s.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("batchReads");
            strings(g, "batchEventIds", scenarios.batchEventIds());
            g.writeArrayFieldStart("secrets");
            for (AttackScenarios.BatchRead r : scenarios.batchReads()) {
                g.writeStartObject();
                g.writeStringField("arn", r.secret().reportArn());
                g.writeNumberField("batches", r.batches());
                strings(g, "entryEventIds", r.entryEventIds());
                g.writeNumberField("reads", r.secret().tally.reads);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void incident(JsonGenerator g, AttackScenarios.Planted p) throws IOException {
        g.writeStartObject();
        g.writeStringField("scenario", p.scenario());
        g.writeStringField("rule", p.rule());
        g.writeStringField("subject", p.subject());
        g.writeStringField("principal", p.principal());
        if (p.secret() != null) {
            g.writeStringField("secret", p.secret());
        }
        if (p.accountRegion() >= 0) {
            g.writeStringField("account", Topology.accountId(p.accountRegion()));
            g.writeStringField("region", Topology.region(p.accountRegion()));
        }
        g.writeStringField("firstHit", TimeText.instant(p.firstHit()));
        g.writeStringField("lastHit", TimeText.instant(p.lastHit()));
        g.writeObjectFieldStart("counts");
        for (Map.Entry<String, Object> c : new TreeMap<>(p.counts()).entrySet()) {
            if (c.getValue() instanceof Boolean b) {
                g.writeBooleanField(c.getKey(), b);
            } else {
                g.writeNumberField(c.getKey(), ((Number) c.getValue()).longValue());
            }
        }
        g.writeEndObject();
        strings(g, "eventIds", p.eventIds());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
