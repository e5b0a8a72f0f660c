package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rules as Sigma rules (Sigma specification v2, {@code logsource: aws/cloudtrail}), from the data beside each
 * rule: {@code rules/<id>.sigma.yml} says whether Sigma expresses the rule exactly, approximately or not at all
 * (with what it covers, how it differs, or why not), and for the first two holds the Sigma rule's own fields
 * (stable id, date, tags, false positives, detection). Title, description, reference and level come from the
 * rule's json, so the two cannot drift apart. Every rule of the catalog must have a form: a rule without one
 * fails the export naming its file.
 */
public final class SigmaExport {
    /** How closely a Sigma rule says what SecretTrail's rule says. */
    public enum Fidelity {
        /** flags exactly the records SecretTrail's rule counts (what it {@code covers}) */
        EXACT,
        /** flags records SecretTrail's rule does not, or misses some: the Sigma rule is {@code experimental} */
        APPROXIMATE,
        /** nothing Sigma can say: thresholds over windows, inventory state, policy parsing */
        NONE
    }

    /**
     * One rule's Sigma form.
     *
     * @param note what an exact form covers, how an approximate one differs, or why none is possible
     * @param document the Sigma rule, or null when {@link Fidelity#NONE}
     */
    public record Form(Rule rule, Fidelity fidelity, String note, ObjectNode document) {
        /** The file the form is written to under {@code --out}. */
        public String fileName() {
            return rule.id() + ".yml";
        }
    }

    static final String AUTHOR = "SecretTrail";
    private static final Set<String> KEYS = Set.of(
            "fidelity",
            "covers",
            "differs",
            "reason",
            "id",
            "date",
            "title",
            "level",
            "tags",
            "falsepositives",
            "detection");
    private static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private final List<Form> forms;

    private SigmaExport(List<Form> forms) {
        this.forms = forms;
    }

    /** The form of every rule of the catalog, in its order; fails naming the file of a missing or bad form. */
    public static SigmaExport of(RuleCatalog catalog) {
        List<Form> forms = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (Rule r : catalog.all()) {
            Form f = form(r);
            if (f.document() != null) {
                String id = f.document().get("id").asText();
                String other = ids.putIfAbsent(id, r.id());
                if (other != null) {
                    throw new IllegalStateException(
                            "rules/" + r.id() + ".sigma.yml: id " + id + " is already the id of " + other);
                }
            }
            forms.add(f);
        }
        return new SigmaExport(List.copyOf(forms));
    }

    public List<Form> forms() {
        return forms;
    }

    /** The forms with a Sigma rule (exact or approximate). */
    public List<Form> expressible() {
        return forms.stream().filter(f -> f.document() != null).toList();
    }

    /** One form's Sigma rule as a YAML document. */
    public static String yaml(Form f) {
        try {
            return YAML.writeValueAsString(f.document());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every Sigma rule, as one multi-document YAML stream. */
    public String documents() {
        StringBuilder b = new StringBuilder();
        for (Form f : expressible()) {
            b.append("---\n").append(yaml(f));
        }
        return b.toString();
    }

    /**
     * Writes each Sigma rule to {@code dir/<rule>.yml} and the summary to {@code dir/README.md}.
     *
     * @return the files written, the summary last
     */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Form f : expressible()) {
            out.add(Files.writeString(dir.resolve(f.fileName()), yaml(f), StandardCharsets.UTF_8));
        }
        out.add(Files.writeString(dir.resolve("README.md"), summary(), StandardCharsets.UTF_8));
        return out;
    }

    /** Which rules are exact, approximate or not expressible, each with what it covers, how it differs or why. */
    public String summary() {
        StringBuilder b = new StringBuilder("# SecretTrail rules as Sigma\n\n");
        b.append(forms.size())
                .append(" rules: ")
                .append(count(Fidelity.EXACT))
                .append(" exact, ")
                .append(count(Fidelity.APPROXIMATE))
                .append(" approximate (status: experimental), ")
                .append(count(Fidelity.NONE))
                .append(" not expressible.\n");
        section(b, Fidelity.EXACT, "Exact", "covers");
        section(b, Fidelity.APPROXIMATE, "Approximate", "differs");
        section(b, Fidelity.NONE, "Not expressible", "why");
        return b.toString();
    }

    private long count(Fidelity fidelity) {
        return forms.stream().filter(f -> f.fidelity() == fidelity).count();
    }

    private void section(StringBuilder b, Fidelity fidelity, String heading, String label) {
        b.append("\n## ").append(heading).append("\n\n");
        for (Form f : forms) {
            if (f.fidelity() == fidelity) {
                b.append("- ").append(f.rule().id());
                if (f.document() != null) {
                    b.append(" (").append(f.fileName()).append(')');
                }
                b.append(": ").append(label).append(": ").append(f.note()).append('\n');
            }
        }
    }

    /** The rule's form, from {@code rules/<id>.sigma.yml} on the classpath. */
    static Form form(Rule rule) {
        String file = "rules/" + rule.id() + ".sigma.yml";
        return parse(rule, file, resource(file));
    }

    static Form parse(Rule rule, String file, String text) {
        JsonNode n;
        try {
            n = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalStateException(file + ": expected a mapping with fidelity");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IllegalStateException(file + ": unknown key " + k + "; known: " + sorted(KEYS));
            }
        }
        Fidelity fidelity = fidelity(file, n);
        if (fidelity == Fidelity.NONE) {
            for (String k : KEYS) {
                if (!k.equals("fidelity") && !k.equals("reason") && n.has(k)) {
                    throw new IllegalStateException(file + ": " + k + " is for an expressible form, not fidelity none");
                }
            }
            return new Form(rule, fidelity, text(file, n, "reason"), null);
        }
        String noteKey = fidelity == Fidelity.EXACT ? "covers" : "differs";
        String wrongKey = fidelity == Fidelity.EXACT ? "differs" : "covers";
        if (n.has(wrongKey) || n.has("reason")) {
            throw new IllegalStateException(file + ": a form of fidelity " + lower(fidelity) + " says " + noteKey
                    + ", not " + (n.has("reason") ? "reason" : wrongKey));
        }
        String note = text(file, n, noteKey);
        return new Form(rule, fidelity, note, document(rule, file, n, fidelity, note));
    }

    private static ObjectNode document(Rule rule, String file, JsonNode n, Fidelity fidelity, String note) {
        String id = text(file, n, "id");
        try {
            if (!UUID.fromString(id).toString().equals(id)) {
                throw new IllegalArgumentException(id);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": id must be a lower-case UUID, was " + id);
        }
        String date = text(file, n, "date");
        try {
            LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(file + ": date must be YYYY-MM-DD, was " + date);
        }
        String level = n.has("level") ? text(file, n, "level") : rule.severity();
        if (!LEVELS.contains(level)) {
            throw new IllegalStateException(file + ": level must be one of " + sorted(LEVELS) + ", was " + level);
        }
        JsonNode detection = n.path("detection");
        if (!detection.isObject() || !detection.path("condition").isTextual() || detection.size() < 2) {
            throw new IllegalStateException(file + ": detection must hold a selection and a condition");
        }
        ObjectNode d = YAML.createObjectNode();
        d.put("title", n.has("title") ? text(file, n, "title") : rule.title());
        d.put("id", id);
        d.put("status", fidelity == Fidelity.EXACT ? "test" : "experimental");
        d.put(
                "description",
                rule.description() + " Sigma form of the SecretTrail rule " + rule.id() + ", "
                        + (fidelity == Fidelity.EXACT ? "exact for " : "an approximation: ") + note);
        d.putArray("references").add(rule.reference());
        d.put("author", AUTHOR);
        d.put("date", date);
        if (n.path("tags").size() > 0) {
            d.set("tags", list(file, n, "tags"));
        }
        ObjectNode logsource = d.putObject("logsource");
        logsource.put("product", "aws");
        logsource.put("service", "cloudtrail");
        d.set("detection", detection.deepCopy());
        d.set("falsepositives", list(file, n, "falsepositives"));
        d.put("level", level);
        return d;
    }

    private static Fidelity fidelity(String file, JsonNode n) {
        String v = text(file, n, "fidelity");
        for (Fidelity f : Fidelity.values()) {
            if (lower(f).equals(v)) {
                return f;
            }
        }
        throw new IllegalStateException(file + ": fidelity must be exact, approximate or none, was " + v);
    }

    private static JsonNode list(String file, JsonNode n, String key) {
        JsonNode v = n.path(key);
        if (!v.isArray()) {
            throw new IllegalStateException(file + ": " + key + " must be a list");
        }
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new IllegalStateException(file + ": " + key + " must hold text, was " + e);
            }
        }
        return v.deepCopy();
    }

    private static String text(String file, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank()) {
            throw new IllegalStateException(file + ": " + key + " is required");
        }
        return v.asText().strip();
    }

    private static String lower(Fidelity f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String resource(String name) {
        try (InputStream in = SigmaExport.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing " + name
                                + " on the classpath: every rule says how Sigma expresses it (fidelity exact, approximate or none)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
