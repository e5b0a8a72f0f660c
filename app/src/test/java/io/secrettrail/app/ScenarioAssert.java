package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a report's alerts with the incidents the generator planted ({@code scenarios.json}),
 * so a failure names the scenario, rule and subject that differ.
 */
final class ScenarioAssert {
    /** How finely a report's alerts can be matched with the planted incidents. */
    enum Granularity {
        /**
         * One alert per rule and subject (its worst window), as detections report today: the
         * subject's incidents together give its first and last hit, and its counts are the largest.
         */
        FINDINGS,
        /**
         * One alert per incident: each planted incident is its own alert with its first and last
         * hit, its counts and its state (closed once asOf is at least {@link #QUIET} past the last
         * hit; a public policy is a standing state and stays open).
         */
        INCIDENTS
    }

    /** detections.quietHours' default. */
    static final Duration QUIET = Duration.ofHours(24);

    private ScenarioAssert() {}

    /** The rule ids shipped in analytics (its rules/index.txt). */
    static Set<String> shippedRules() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (InputStream in = ScenarioAssert.class.getClassLoader().getResourceAsStream("rules/index.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.lines()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(ids::add);
        }
        return ids;
    }

    /** The planted incidents' rules that no shipped rule detects yet. */
    static Set<String> pendingRules(JsonNode scenarios) throws IOException {
        Set<String> shipped = shippedRules();
        Set<String> pending = new TreeSet<>();
        scenarios.get("incidents").forEach(i -> {
            if (!shipped.contains(i.get("rule").asText())) {
                pending.add(i.get("rule").asText());
            }
        });
        return pending;
    }

    /**
     * The alarms of every rule a planted incident names (of the shipped rules) are exactly the
     * planted ones, with their times and counts; and no alarm of any rule names a scenario's own
     * caller unless an incident says so. For first-seen-principal, which the everyday traffic
     * raises too, only the alarms of the scenarios' callers are compared.
     */
    static void assertIncidentsMatch(JsonNode report, JsonNode scenarios, Granularity granularity) throws IOException {
        Set<String> shipped = shippedRules();
        Set<String> actors = new TreeSet<>();
        scenarios.get("actors").forEach(a -> actors.add(a.asText()));
        Map<String, Map<String, List<JsonNode>>> expected = new TreeMap<>();
        for (JsonNode i : scenarios.get("incidents")) {
            String rule = i.get("rule").asText();
            if (shipped.contains(rule)) {
                expected.computeIfAbsent(rule, k -> new TreeMap<>())
                        .computeIfAbsent(i.get("subject").asText(), k -> new ArrayList<>())
                        .add(i);
            }
        }
        Map<String, Map<String, List<JsonNode>>> actual = new TreeMap<>();
        for (JsonNode a : report.get("alerts")) {
            String rule = a.get("rule").asText();
            boolean byActor =
                    a.has("principal") && actors.contains(a.get("principal").asText());
            boolean compared = expected.containsKey(rule) && (!rule.equals("first-seen-principal") || byActor);
            if ("alarm".equals(a.get("status").asText()) && (compared || byActor)) {
                actual.computeIfAbsent(rule, k -> new TreeMap<>())
                        .computeIfAbsent(subject(a), k -> new ArrayList<>())
                        .add(a);
            }
        }
        Map<String, Set<String>> expectedSubjects = new TreeMap<>();
        expected.forEach((rule, bySubject) -> expectedSubjects.put(rule, new TreeSet<>(bySubject.keySet())));
        Map<String, Set<String>> actualSubjects = new TreeMap<>();
        actual.forEach((rule, bySubject) -> actualSubjects.put(rule, new TreeSet<>(bySubject.keySet())));
        assertThat(actualSubjects).as("alarmed subjects per rule").isEqualTo(expectedSubjects);

        Instant asOf = Instant.parse(report.get("asOf").asText());
        for (var rule : expected.entrySet()) {
            for (var subject : rule.getValue().entrySet()) {
                List<JsonNode> incidents = subject.getValue();
                List<JsonNode> alerts = actual.get(rule.getKey()).get(subject.getKey());
                String where = rule.getKey() + " " + subject.getKey();
                if (granularity == Granularity.FINDINGS) {
                    assertThat(alerts).as(where).hasSize(1);
                    assertFinding(where, alerts.get(0), incidents);
                } else {
                    assertThat(alerts).as(where + ": one alert per incident").hasSameSizeAs(incidents);
                    for (JsonNode incident : incidents) {
                        JsonNode alert = alerts.stream()
                                .filter(a -> a.get("firstSeen").equals(incident.get("firstHit")))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError(where + ": no incident starting at "
                                        + incident.get("firstHit") + " in " + alerts));
                        assertIncident(where, alert, incident, asOf);
                    }
                }
            }
        }
    }

    /**
     * Each secret the batch scenario read shows its total reads, once the report has the per-secret
     * {@code reads} field; returns how many secrets were compared (0 while it has none).
     */
    static int assertReadsMatch(JsonNode report, JsonNode scenarios) {
        Map<String, JsonNode> secrets = new LinkedHashMap<>();
        report.get("secrets").forEach(s -> secrets.put(s.get("arn").asText(), s));
        int compared = 0;
        for (JsonNode r : scenarios.get("batchReads").get("secrets")) {
            JsonNode s = secrets.get(r.get("arn").asText());
            assertThat(s).as(r.get("arn").asText()).isNotNull();
            if (s.has("reads")) {
                assertThat(s.get("reads").asLong())
                        .as("reads of " + r.get("arn").asText())
                        .isEqualTo(r.get("reads").asLong());
                compared++;
            }
        }
        return compared;
    }

    private static String subject(JsonNode alert) {
        String resource = alert.get("resource").asText();
        return alert.get("rule").asText().equals("first-seen-principal")
                ? alert.get("principal").asText() + " " + resource
                : resource;
    }

    private static void assertFinding(String where, JsonNode alert, List<JsonNode> incidents) {
        String first = incidents.stream()
                .map(i -> i.get("firstHit").asText())
                .min(String::compareTo)
                .orElseThrow();
        String last = incidents.stream()
                .map(i -> i.get("lastHit").asText())
                .max(String::compareTo)
                .orElseThrow();
        assertThat(alert.get("firstSeen").asText()).as(where + " firstSeen").isEqualTo(first);
        assertThat(alert.get("lastSeen").asText()).as(where + " lastSeen").isEqualTo(last);
        assertThat(alert.get("principal").asText())
                .as(where + " principal")
                .isEqualTo(incidents.get(0).get("principal").asText());
        Map<String, JsonNode> largest = new TreeMap<>();
        for (JsonNode i : incidents) {
            i.get("counts")
                    .fields()
                    .forEachRemaining(c -> largest.merge(
                            c.getKey(), c.getValue(), (x, y) -> x.isNumber() && x.asLong() >= y.asLong() ? x : y));
        }
        assertCounts(where, alert, largest);
    }

    private static void assertIncident(String where, JsonNode alert, JsonNode incident, Instant asOf) {
        String at = where + " from " + incident.get("firstHit").asText();
        assertThat(alert.get("lastSeen")).as(at + " lastSeen").isEqualTo(incident.get("lastHit"));
        assertThat(alert.get("principal")).as(at + " principal").isEqualTo(incident.get("principal"));
        Map<String, JsonNode> counts = new TreeMap<>();
        incident.get("counts").fields().forEachRemaining(c -> counts.put(c.getKey(), c.getValue()));
        assertCounts(at, alert, counts);
        boolean standing = incident.get("rule").asText().equals("public-policy");
        Instant lastHit = Instant.parse(incident.get("lastHit").asText());
        String state = !standing && !asOf.isBefore(lastHit.plus(QUIET)) ? "closed" : "open";
        assertThat(alert.path("state").asText()).as(at + " state").isEqualTo(state);
        Set<String> planted = new TreeSet<>();
        incident.get("eventIds").forEach(id -> planted.add(id.asText()));
        alert.at("/evidence/eventIds")
                .forEach(id -> assertThat(planted).as(at + " evidence").contains(id.asText()));
    }

    private static void assertCounts(String where, JsonNode alert, Map<String, JsonNode> expected) {
        JsonNode counts = alert.at("/evidence/counts");
        expected.forEach(
                (k, v) -> assertThat(counts.get(k)).as(where + " counts." + k).isEqualTo(v));
    }
}
