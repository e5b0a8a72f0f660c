package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A test-only evaluator of the part of Sigma the export emits, over one CloudTrail record: a selection is a map
 * (fields AND) or a list of maps (OR); a field's list of values is OR; modifiers {@code contains},
 * {@code startswith}, {@code endswith}; {@code null} means the field is absent or null; strings compare ignoring
 * case, as Sigma's do; a dotted field goes into nested objects and through arrays (any element), as Sigma's
 * CloudTrail pipelines flatten {@code requestParameters.filters.values}. Conditions: selection names, {@code and},
 * {@code or}, {@code not}, parentheses, {@code 1 of name*} and {@code all of name*}. Anything else (wildcards in a
 * value, another modifier) is refused, so a form that needs more Sigma than this fails its test instead of being
 * judged wrongly.
 */
final class SigmaMatcher {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[^\\s()]+)");

    private final JsonNode detection;

    SigmaMatcher(JsonNode detection) {
        this.detection = detection;
        if (!detection.path("condition").isTextual()) {
            throw new IllegalArgumentException("detection has no condition: " + detection);
        }
    }

    boolean matches(JsonNode record) {
        List<String> tokens = new ArrayList<>();
        var m = TOKEN.matcher(detection.get("condition").asText());
        while (m.find()) {
            tokens.add(m.group(1));
        }
        Parser p = new Parser(tokens, record);
        boolean result = p.or();
        if (p.at < tokens.size()) {
            throw new IllegalArgumentException("condition not understood at " + tokens.get(p.at));
        }
        return result;
    }

    private final class Parser {
        final List<String> tokens;
        final JsonNode record;
        int at;

        Parser(List<String> tokens, JsonNode record) {
            this.tokens = tokens;
            this.record = record;
        }

        boolean or() {
            boolean v = and();
            while (peek("or")) {
                at++;
                v = and() | v;
            }
            return v;
        }

        boolean and() {
            boolean v = factor();
            while (peek("and")) {
                at++;
                v = factor() & v;
            }
            return v;
        }

        boolean factor() {
            String t = next();
            if (t.equals("not")) {
                return !factor();
            }
            if (t.equals("(")) {
                boolean v = or();
                if (!next().equals(")")) {
                    throw new IllegalArgumentException("missing )");
                }
                return v;
            }
            if (t.equals("1") || t.equals("all")) {
                if (!next().equals("of")) {
                    throw new IllegalArgumentException("expected 'of' after " + t);
                }
                String pattern = next();
                List<String> names = new ArrayList<>();
                detection.fieldNames().forEachRemaining(n -> {
                    if (!n.equals("condition") && glob(pattern, n)) {
                        names.add(n);
                    }
                });
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("no selection matches " + pattern);
                }
                return t.equals("1")
                        ? names.stream().anyMatch(n -> selection(detection.get(n), record))
                        : names.stream().allMatch(n -> selection(detection.get(n), record));
            }
            JsonNode s = detection.get(t);
            if (s == null || t.equals("condition")) {
                throw new IllegalArgumentException("no selection " + t);
            }
            return selection(s, record);
        }

        boolean peek(String word) {
            return at < tokens.size() && tokens.get(at).equals(word);
        }

        String next() {
            if (at >= tokens.size()) {
                throw new IllegalArgumentException("condition ends early");
            }
            return tokens.get(at++);
        }
    }

    private static boolean glob(String pattern, String name) {
        return pattern.endsWith("*")
                ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }

    static boolean selection(JsonNode s, JsonNode record) {
        if (s.isArray()) {
            for (JsonNode alt : s) {
                if (selection(alt, record)) {
                    return true;
                }
            }
            return false;
        }
        if (!s.isObject()) {
            throw new IllegalArgumentException("a selection is a map or a list of maps: " + s);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!field(e.getKey(), e.getValue(), record)) {
                return false;
            }
        }
        return true;
    }

    private static boolean field(String key, JsonNode expected, JsonNode record) {
        String[] parts = key.split("\\|");
        String modifier = parts.length == 1 ? "" : parts[1];
        if (parts.length > 2
                || !List.of("", "contains", "startswith", "endswith").contains(modifier)) {
            throw new IllegalArgumentException("modifier not supported here: " + key);
        }
        List<JsonNode> leaves = new ArrayList<>();
        collect(record, parts[0].split("\\."), 0, leaves);
        List<JsonNode> values = new ArrayList<>();
        if (expected.isArray()) {
            expected.forEach(values::add);
        } else {
            values.add(expected);
        }
        for (JsonNode v : values) {
            if (v.isNull()) {
                if (leaves.stream().allMatch(JsonNode::isNull)) {
                    return true;
                }
                continue;
            }
            if (v.isTextual() && (v.asText().contains("*") || v.asText().contains("?"))) {
                throw new IllegalArgumentException("wildcards not supported here: " + v);
            }
            String want = v.asText().toLowerCase(Locale.ROOT);
            for (JsonNode leaf : leaves) {
                if (!leaf.isValueNode() || leaf.isNull()) {
                    continue;
                }
                String have = leaf.asText().toLowerCase(Locale.ROOT);
                boolean hit = switch (modifier) {
                    case "contains" -> have.contains(want);
                    case "startswith" -> have.startsWith(want);
                    case "endswith" -> have.endsWith(want);
                    default -> have.equals(want);
                };
                if (hit) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collect(JsonNode node, String[] path, int i, List<JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(e -> collect(e, path, i, out));
            return;
        }
        if (i == path.length) {
            out.add(node);
            return;
        }
        if (node.isObject()) {
            collect(node.get(path[i]), path, i + 1, out);
        }
    }
}
