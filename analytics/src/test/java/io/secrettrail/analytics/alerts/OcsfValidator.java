package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a Detection Finding against the OCSF schema files vendored under {@code src/test/resources/ocsf}
 * (see its SOURCE.md): the class's attributes with those it inherits from {@code finding} and
 * {@code base_event}, and the cloud profile when {@code metadata.profiles} names it. Every required
 * attribute present, no attribute the definition lacks (except under {@code unmapped}), each value of its
 * dictionary type (timestamps epoch milliseconds, integers, strings, arrays, objects checked the same way),
 * enum values defined and their captions matching, the objects' {@code at_least_one} constraints, and the
 * class, category and type uids the schema implies.
 */
final class OcsfValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode dictionary;
    private final JsonNode types;
    private final Map<String, ObjectNode> classAttributes;
    private final String version;
    private final int classUid;
    private final int categoryUid;

    OcsfValidator() {
        JsonNode dict = read("dictionary.json");
        dictionary = dict.path("attributes");
        types = dict.path("types").path("attributes");
        version = read("version.json").path("version").asText();
        classAttributes = new LinkedHashMap<>();
        JsonNode base = read("events/base_event.json");
        JsonNode finding = read("events/findings/finding.json");
        JsonNode detection = read("events/findings/detection_finding.json");
        for (JsonNode c : List.of(base, finding, detection)) {
            merge(classAttributes, c.path("attributes"), null);
            for (JsonNode inc : c.path("attributes").path("$include")) {
                if (inc.asText().equals("profiles/cloud.json")) {
                    merge(classAttributes, read("profiles/cloud.json").path("attributes"), "cloud");
                }
                // other profiles are not vendored: their attributes are not ours to send
            }
        }
        // the schema's compiler fills these two enums with the class's own uids: they are checked exactly below
        classAttributes.get("class_uid").remove("enum");
        classAttributes.get("category_uid").remove("enum");
        String category = finding.path("category").asText();
        categoryUid = read("categories.json")
                .path("attributes")
                .path(category)
                .path("uid")
                .asInt();
        classUid = categoryUid * 1000 + detection.path("uid").asInt();
    }

    /** What the finding gets wrong, empty when it is a valid Detection Finding. */
    List<String> problems(JsonNode finding) {
        List<String> out = new ArrayList<>();
        if (!finding.isObject()) {
            out.add("$: not an object");
            return out;
        }
        Set<String> profiles = new TreeSet<>();
        finding.path("metadata").path("profiles").forEach(p -> profiles.add(p.asText()));
        Map<String, ObjectNode> attrs = new LinkedHashMap<>();
        classAttributes.forEach((k, v) -> {
            String profile = v.path("profile").asText(null);
            if (profile == null || profiles.contains(profile)) {
                attrs.put(k, v);
            }
        });
        check("$", finding, attrs, null, out);
        if (finding.path("class_uid").asInt() != classUid) {
            out.add("$.class_uid: must be " + classUid + ", was " + finding.path("class_uid"));
        }
        if (finding.path("category_uid").asInt() != categoryUid) {
            out.add("$.category_uid: must be " + categoryUid + ", was " + finding.path("category_uid"));
        }
        long typeUid = classUid * 100L + finding.path("activity_id").asLong();
        if (finding.path("type_uid").asLong() != typeUid) {
            out.add("$.type_uid: must be class_uid * 100 + activity_id = " + typeUid + ", was "
                    + finding.path("type_uid"));
        }
        if (!finding.path("metadata").path("version").asText().equals(version)) {
            out.add("$.metadata.version: must be the schema's " + version);
        }
        return out;
    }

    /**
     * The findings of JSON lines, each parsed and checked.
     *
     * @throws AssertionError naming the first line that is not a valid Detection Finding, and what is wrong
     */
    List<JsonNode> validLines(String text) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            JsonNode f;
            try {
                f = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            List<String> wrong = problems(f);
            if (!wrong.isEmpty()) {
                throw new AssertionError(wrong + " in " + line);
            }
            out.add(f);
        }
        return out;
    }

    private void check(
            String where, JsonNode value, Map<String, ObjectNode> attrs, JsonNode constraints, List<String> out) {
        for (var e : attrs.entrySet()) {
            if (e.getValue().path("requirement").asText().equals("required") && !value.hasNonNull(e.getKey())) {
                out.add(where + "." + e.getKey() + ": required");
            }
        }
        if (constraints != null) {
            JsonNode oneOf = constraints.path("at_least_one");
            if (oneOf.isArray() && oneOf.size() > 0) {
                boolean any = false;
                for (JsonNode k : oneOf) {
                    any |= value.hasNonNull(k.asText());
                }
                if (!any) {
                    out.add(where + ": needs at least one of " + oneOf);
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String at = where + "." + f.getKey();
            ObjectNode def = attrs.get(f.getKey());
            if (def == null) {
                out.add(at + ": not an attribute of the definition");
                continue;
            }
            JsonNode dict = dictionary.path(f.getKey());
            String type = def.path("type").asText(dict.path("type").asText());
            boolean array = def.path("is_array").asBoolean(dict.path("is_array").asBoolean(false));
            if (array) {
                if (!f.getValue().isArray()) {
                    out.add(at + ": must be an array of " + type);
                    continue;
                }
                for (int i = 0; i < f.getValue().size(); i++) {
                    checkValue(at + "[" + i + "]", f.getValue().get(i), type, out);
                }
            } else {
                checkValue(at, f.getValue(), type, out);
            }
            JsonNode enums = def.path("enum");
            if (enums.isObject() && enums.size() > 0 && !array) {
                String id = f.getValue().asText();
                if (!enums.has(id)) {
                    out.add(at + ": " + id + " is not one of " + fieldNames(enums));
                } else if (dict.has("sibling") && value.has(dict.path("sibling").asText()) && !id.equals("99")) {
                    String caption = enums.path(id).path("caption").asText();
                    String sibling = value.path(dict.path("sibling").asText()).asText();
                    if (!caption.equals(sibling)) {
                        out.add(where + "." + dict.path("sibling").asText() + ": must be " + caption + " for "
                                + f.getKey() + " " + id + ", was " + sibling);
                    }
                }
            }
        }
    }

    private void checkValue(String at, JsonNode v, String type, List<String> out) {
        String base = baseType(type);
        boolean ok = switch (base) {
            case "string_t" -> v.isTextual();
            case "integer_t" -> v.isIntegralNumber() && v.canConvertToInt();
            case "long_t" -> v.isIntegralNumber() && v.canConvertToLong();
            case "float_t" -> v.isNumber();
            case "boolean_t" -> v.isBoolean();
            case "json_t" -> true;
            case "object" -> v.isObject(); // unmapped: free-form by definition
            default -> {
                if (!v.isObject()) {
                    yield false;
                }
                checkObject(at, v, type, out);
                yield true;
            }
        };
        if (!ok) {
            out.add(at + ": must be " + type + ", was " + v.getNodeType() + " " + v);
        }
    }

    private void checkObject(String at, JsonNode v, String name, List<String> out) {
        Map<String, ObjectNode> attrs = new LinkedHashMap<>();
        JsonNode constraints = null;
        List<JsonNode> chain = new ArrayList<>();
        for (String n = name; n != null; ) {
            JsonNode o = readOrNull("objects/" + n + ".json");
            if (o == null) {
                out.add(at + ": object " + n + " is not among the vendored schema files");
                return;
            }
            chain.add(0, o);
            n = o.path("extends").asText(null);
        }
        for (JsonNode o : chain) {
            merge(attrs, o.path("attributes"), null);
            if (o.has("constraints")) {
                constraints = o.path("constraints");
            }
        }
        check(at, v, attrs, constraints, out);
    }

    /** string_t for a string type such as datetime_t, long_t for timestamp_t; the name itself otherwise. */
    private String baseType(String type) {
        JsonNode t = types.path(type);
        return t.has("type") ? t.path("type").asText() : type;
    }

    /** Attribute definitions merged over those inherited: each key's fields replaced, enums joined. */
    private void merge(Map<String, ObjectNode> into, JsonNode attributes, String profile) {
        Iterator<Map.Entry<String, JsonNode>> it = attributes.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().startsWith("$")) {
                continue;
            }
            ObjectNode merged = into.containsKey(e.getKey())
                    ? into.get(e.getKey()).deepCopy()
                    : (ObjectNode) dictionary.path(e.getKey()).deepCopy();
            if (merged == null || merged.isMissingNode()) {
                merged = JSON.createObjectNode();
            }
            JsonNode enumsBefore = merged.path("enum").deepCopy();
            merged.setAll((ObjectNode) e.getValue());
            if (enumsBefore.isObject() && e.getValue().has("enum")) {
                ObjectNode joined = ((ObjectNode) enumsBefore).deepCopy();
                joined.setAll((ObjectNode) e.getValue().path("enum"));
                merged.set("enum", joined);
            }
            if (profile != null && !merged.has("profile")) {
                merged.put("profile", profile);
            }
            into.put(e.getKey(), merged);
        }
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode read(String file) {
        JsonNode n = readOrNull(file);
        if (n == null) {
            throw new IllegalStateException("ocsf/" + file + " is not on the test class path");
        }
        return n;
    }

    private static JsonNode readOrNull(String file) {
        try (InputStream in = OcsfValidator.class.getResourceAsStream("/ocsf/" + file)) {
            return in == null ? null : JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
