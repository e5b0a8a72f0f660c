package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        Map<String, Object> out = new LinkedHashMap<>();
        for (Rule r : rules.values()) {
            for (Parameter p : r.parameters()) {
                String v = settings.get(p.name());
                out.put(p.name(), v == null ? p.defaultValue() : p.accept(v));
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
                        p.path("description").asText()));
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
                    n.path("callerDetection").asBoolean(false));
        } catch (IOException e) {
            throw new UncheckedIOException("rules/" + id + ".json: " + e.getMessage(), e);
        }
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
