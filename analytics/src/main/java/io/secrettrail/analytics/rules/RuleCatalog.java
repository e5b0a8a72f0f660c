package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules shipped in {@code rules/} on the classpath, in the order of {@code rules/index.txt},
 * each from its {@code <id>.json} metadata and {@code <id>.sql} query.
 */
public final class RuleCatalog {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();

    private final Map<String, Rule> rules;

    private RuleCatalog(Map<String, Rule> rules) {
        this.rules = rules;
    }

    public static RuleCatalog load() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String id : resource("index.txt")
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            rules.put(id, parse(id, resource(id + ".json"), resource(id + ".sql")));
        }
        return new RuleCatalog(rules);
    }

    public List<Rule> all() {
        return List.copyOf(rules.values());
    }

    public Rule get(String id) {
        Rule r = rules.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no rule " + id + "; rules: " + rules.keySet());
        }
        return r;
    }

    /**
     * The value of every parameter: its default, overridden by {@code settings} (from a config
     * file, then flags) under the parameter's setting name. Fails naming the bad setting.
     */
    public Map<String, Object> values(Map<String, String> settings) {
        // detections.quietHours: the quiet hours of every detection that has none of its own
        // (<rule>.quietHours wins); validated under its own name
        Integer quiet = settings.containsKey("detections.quietHours")
                ? (int) io.secrettrail.core.Setting.whole(settings, "detections.quietHours", 24, 1, 8760)
                : null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Rule r : rules.values()) {
            for (Parameter p : r.parameters()) {
                String v = settings.get(p.name());
                if (v == null && quiet != null && p.sql().equals("quiet_hours")) {
                    out.put(p.name(), quiet);
                } else {
                    out.put(p.name(), v == null ? p.defaultValue() : p.accept(v));
                }
            }
        }
        return out;
    }

    static Rule parse(String id, String json, String sql) {
        try {
            JsonNode n = JSON.readTree(json);
            if (!id.equals(n.path("id").asText())) {
                throw new IllegalStateException(
                        "rules/" + id + ".json names id " + n.path("id").asText());
            }
            List<Parameter> params = new ArrayList<>();
            for (JsonNode p : n.path("parameters")) {
                List<String> allowed = new ArrayList<>();
                p.path("allowed").forEach(a -> allowed.add(a.asText()));
                String type = p.path("type").asText();
                Object def = switch (type) {
                    case "INTEGER" -> p.path("default").asInt();
                    case "DECIMAL" -> new BigDecimal(p.path("default").asText());
                    default -> p.path("default").asText();
                };
                params.add(new Parameter(
                        p.path("name").asText(),
                        p.path("sql").asText(),
                        type,
                        def,
                        p.has("min") ? new BigDecimal(p.path("min").asText()) : null,
                        p.has("max") ? new BigDecimal(p.path("max").asText()) : null,
                        List.copyOf(allowed),
                        p.hasNonNull("pattern") ? p.path("pattern").asText() : null,
                        p.path("example").asText(null),
                        p.path("description").asText(),
                        p.hasNonNull("maxItems") ? p.path("maxItems").asInt() : null));
            }
            Detection detection = detection(id, n);
            if (detection != null && !detection.standing()) {
                sql = withIncidents(id, sql, params);
            }
            return new Rule(
                    id,
                    n.path("title").asText(),
                    n.path("severity").asText(),
                    n.path("description").asText(),
                    n.path("runbook").asText(),
                    n.path("reference").asText(),
                    List.copyOf(params),
                    sql,
                    n.path("callerDetection").asBoolean(false),
                    detection);
        } catch (IOException e) {
            throw new UncheckedIOException("rules/" + id + ".json: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code detection} (hits) or {@code standing} block, or null for a posture rule. A standing block's
     * {@code episodes} is {@code "one"} (the default) or {@code "per-period"}; anything else, or {@code episodes}
     * outside a standing block, fails naming the rule.
     */
    private static Detection detection(String id, JsonNode n) {
        boolean standing = n.has("standing");
        JsonNode d = standing ? n.path("standing") : n.path("detection");
        if (d.isMissingNode()) {
            return null;
        }
        String episodes = d.has("episodes") ? d.get("episodes").asText() : "one";
        if (!standing && d.has("episodes") || !List.of("one", "per-period").contains(episodes)) {
            throw new IllegalStateException("rules/" + id + ".json: " + (standing ? "standing" : "detection")
                    + ".episodes is " + d.get("episodes") + "; allowed: \"one\", \"per-period\""
                    + (standing ? "" : " (in a standing block only)"));
        }
        return new Detection(
                standing,
                d.path("subject").asText(),
                d.path("mitre").path("id").asText(null),
                d.path("mitre").path("name").asText(null),
                d.path("escalation").asText(""),
                d.has("windowMinutes") ? d.get("windowMinutes").asInt() : null,
                d.path("allHistory").asBoolean(false),
                "per-period".equals(episodes));
    }

    /**
     * A detection's query with the shared incident pass put where it says {@code --@incidents}; it needs the
     * quiet hours as a parameter bound to {@code quiet_hours}.
     */
    private static String withIncidents(String id, String sql, List<Parameter> params) {
        String marker = "--@incidents";
        int at = sql.indexOf(marker);
        if (at < 0 || sql.indexOf(marker, at + 1) >= 0) {
            throw new IllegalStateException("rules/" + id + ".sql: a detection says " + marker + " exactly once");
        }
        if (params.stream().noneMatch(p -> p.sql().equals("quiet_hours"))) {
            throw new IllegalStateException("rules/" + id + ".json: a detection has a parameter bound to quiet_hours");
        }
        return sql.substring(0, at) + Sql.text("rules/incidents") + sql.substring(at + marker.length());
    }

    private static String resource(String name) {
        try (InputStream in = RuleCatalog.class.getResourceAsStream("/rules/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing rules/" + name + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
