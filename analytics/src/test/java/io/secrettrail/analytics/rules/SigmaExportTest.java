package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: every rule has a Sigma form, and every exported rule is a Sigma rule with a stable id. */
class SigmaExportTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final RuleCatalog CATALOG = RuleCatalog.load();
    static final SigmaExport EXPORT = SigmaExport.of(CATALOG);

    /** The ids are fixed in data: a Sigma backend keys on them, so changing one makes a new rule there. */
    static final Map<String, String> IDS = Map.of(
            "deleted-secret-access", "61ccc9d7-4db9-4d10-a5f6-c54a04e3a0ea",
            "secret-deleted", "ede17bd2-5537-4f82-b9f7-bad153e9f6b6",
            "logging-stopped", "6b8a2a79-df26-4d2d-b6b4-43d7612933ee",
            "batch-retrieval", "299ddbe1-cca8-4f6c-bbdb-ac28528e17e4",
            "rotation-failed", "4d4f6db8-4bda-409c-b400-492166c4ba22");

    @Test
    void every_rule_of_the_catalog_is_classified_and_no_form_lies_beside_a_rule_that_is_gone() throws Exception {
        assertThat(EXPORT.forms())
                .extracting(f -> f.rule().id())
                .containsExactlyElementsOf(CATALOG.all().stream().map(Rule::id).toList());
        Path dir = Path.of(RuleCatalog.class.getResource("/rules/index.txt").toURI())
                .getParent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".sigma.yml"))
                            .map(n -> n.substring(0, n.length() - ".sigma.yml".length())))
                    .containsExactlyInAnyOrderElementsOf(
                            CATALOG.all().stream().map(Rule::id).toList());
        }
    }

    @Test
    void a_rule_without_a_form_fails_naming_the_file_it_needs() {
        Rule r = new Rule("no-such-rule", "t", "low", "d", "r", "https://example.com", List.of(), "SELECT 1");
        assertThatThrownBy(() -> SigmaExport.form(r))
                .hasMessageContaining("missing rules/no-such-rule.sigma.yml")
                .hasMessageContaining("exact, approximate or none");
    }

    @Test
    void the_classification_is_three_exact_two_approximate_and_the_rest_not_expressible() {
        Map<String, SigmaExport.Fidelity> by = new LinkedHashMap<>();
        EXPORT.forms().forEach(f -> by.put(f.rule().id(), f.fidelity()));
        assertThat(by)
                .containsEntry("deleted-secret-access", SigmaExport.Fidelity.EXACT)
                .containsEntry("secret-deleted", SigmaExport.Fidelity.EXACT)
                .containsEntry("logging-stopped", SigmaExport.Fidelity.EXACT)
                .containsEntry("batch-retrieval", SigmaExport.Fidelity.APPROXIMATE)
                .containsEntry("rotation-failed", SigmaExport.Fidelity.APPROXIMATE)
                .containsEntry("bulk-retrieval", SigmaExport.Fidelity.NONE)
                .containsEntry("public-policy", SigmaExport.Fidelity.NONE);
        // every other rule (17 today) is not expressible: a new one says why in its form
        assertThat(by.values().stream().filter(f -> f == SigmaExport.Fidelity.NONE))
                .hasSize(CATALOG.all().size() - 5);
        assertThat(EXPORT.forms()).allSatisfy(f -> assertThat(f.note()).hasSizeGreaterThan(30));
    }

    @Test
    void every_exported_document_parses_and_has_the_fields_sigma_requires() throws Exception {
        for (SigmaExport.Form f : EXPORT.expressible()) {
            JsonNode d = YAML.readTree(SigmaExport.yaml(f));
            assertThat(d.fieldNames())
                    .toIterable()
                    .as(f.rule().id())
                    .containsSubsequence(
                            "title",
                            "id",
                            "status",
                            "description",
                            "references",
                            "author",
                            "date",
                            "logsource",
                            "detection",
                            "falsepositives",
                            "level");
            assertThat(d.get("title").asText()).isNotBlank().hasSizeLessThanOrEqualTo(256);
            assertThat(d.get("id").asText()).isEqualTo(IDS.get(f.rule().id()));
            assertThat(d.get("status").asText())
                    .isEqualTo(f.fidelity() == SigmaExport.Fidelity.EXACT ? "test" : "experimental");
            assertThat(d.get("description").asText())
                    .startsWith(f.rule().description())
                    .endsWith(f.note())
                    .contains(f.fidelity() == SigmaExport.Fidelity.EXACT ? "exact for" : "an approximation:");
            assertThat(d.get("references").get(0).asText()).isEqualTo(f.rule().reference());
            assertThat(d.get("author").asText()).isEqualTo("SecretTrail");
            assertThat(d.get("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(d.get("logsource").get("product").asText()).isEqualTo("aws");
            assertThat(d.get("logsource").get("service").asText()).isEqualTo("cloudtrail");
            assertThat(d.get("detection").get("condition").asText()).isNotBlank();
            assertThat(d.get("falsepositives")).isNotEmpty();
            assertThat(d.get("level").asText()).isIn("informational", "low", "medium", "high", "critical");
            d.path("tags").forEach(t -> assertThat(t.asText()).matches("attack\\.[a-z0-9.-]+"));
            // every selection the condition names exists: the evaluator refuses unknown ones
            new SigmaMatcher(d.get("detection")).matches(YAML.createObjectNode());
        }
        assertThat(EXPORT.expressible())
                .extracting(f -> f.document().get("id").asText())
                .doesNotHaveDuplicates()
                .hasSize(IDS.size());
    }

    @Test
    void the_level_is_the_rule_severity_unless_the_form_covers_only_its_escalated_findings() {
        Map<String, String> levels = new LinkedHashMap<>();
        EXPORT.expressible()
                .forEach(
                        f -> levels.put(f.rule().id(), f.document().get("level").asText()));
        assertThat(levels)
                .containsEntry("deleted-secret-access", "medium")
                .containsEntry("logging-stopped", "high")
                // the forced deletions are the rule's high findings, the rule itself is low
                .containsEntry("secret-deleted", "high");
        assertThat(CATALOG.get("secret-deleted").severity()).isEqualTo("low");
    }

    @Test
    void the_catch_all_approximation_reads_negated_filter_values_as_quoted_yaml() throws Exception {
        SigmaExport.Form f = EXPORT.forms().stream()
                .filter(x -> x.rule().id().equals("batch-retrieval"))
                .findFirst()
                .orElseThrow();
        String yaml = SigmaExport.yaml(f);
        assertThat(yaml).contains("requestParameters.filters.values|startswith: '!'");
        assertThat(YAML.readTree(yaml)
                        .at("/detection/selection")
                        .get("requestParameters.filters.values|startswith")
                        .asText())
                .isEqualTo("!");
        assertThat(yaml).contains("status: experimental").contains("negated value in every filter");
    }

    @Test
    void the_summary_lists_each_rule_once_with_its_reason() {
        String s = EXPORT.summary();
        assertThat(s)
                .contains(CATALOG.all().size() + " rules: 3 exact, 2 approximate (status: experimental), "
                        + (CATALOG.all().size() - 5) + " not expressible.");
        for (SigmaExport.Form f : EXPORT.forms()) {
            assertThat(s).containsOnlyOnce("- " + f.rule().id() + (f.document() == null ? ": " : " ("));
        }
        assertThat(s).contains("- access-denied-burst: why: a count of one principal's AccessDenied calls");
    }

    @Test
    void the_stream_holds_one_document_per_expressible_rule_and_the_directory_one_file_each(@TempDir Path dir)
            throws Exception {
        List<JsonNode> docs = YAML.readValues(YAML.getFactory().createParser(EXPORT.documents()), JsonNode.class)
                .readAll();
        assertThat(docs)
                .extracting(d -> d.get("id").asText())
                .containsExactlyElementsOf(EXPORT.expressible().stream()
                        .map(f -> IDS.get(f.rule().id()))
                        .toList());
        List<Path> written = EXPORT.write(dir.resolve("sigma"));
        assertThat(written)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "rotation-failed.yml",
                        "batch-retrieval.yml",
                        "deleted-secret-access.yml",
                        "secret-deleted.yml",
                        "logging-stopped.yml",
                        "README.md");
        assertThat(Files.readString(dir.resolve("sigma/logging-stopped.yml")))
                .isEqualTo(SigmaExport.yaml(EXPORT.expressible().get(4)))
                .doesNotStartWith("---");
        assertThat(Files.readString(dir.resolve("sigma/README.md"))).isEqualTo(EXPORT.summary());
    }

    @Test
    void a_form_is_refused_naming_its_file_when_a_key_is_unknown_or_missing() {
        Rule r = CATALOG.get("secret-deleted");
        String file = "rules/secret-deleted.sigma.yml";
        assertThatThrownBy(() -> SigmaExport.parse(r, file, "fidelity: none\nreason: because it cannot\nlevle: low\n"))
                .hasMessageStartingWith(file + ": unknown key levle");
        assertThatThrownBy(() -> SigmaExport.parse(r, file, "fidelity: partly\n"))
                .hasMessage(file + ": fidelity must be exact, approximate or none, was partly");
        assertThatThrownBy(() -> SigmaExport.parse(r, file, "fidelity: none\n"))
                .hasMessage(file + ": reason is required");
        assertThatThrownBy(() -> SigmaExport.parse(r, file, "fidelity: none\nreason: x\ndetection: {}\n"))
                .hasMessageContaining("detection is for an expressible form");
        String approx = "fidelity: approximate\ndiffers: it differs\nid: %s\ndate: 2026-12-03\nfalsepositives: [x]\n"
                + "detection: {selection: {eventName: X}, condition: selection}\n";
        assertThat(SigmaExport.parse(r, file, approx.formatted("ede17bd2-5537-4f82-b9f7-bad153e9f6b6"))
                        .fidelity())
                .isEqualTo(SigmaExport.Fidelity.APPROXIMATE);
        assertThatThrownBy(() -> SigmaExport.parse(r, file, approx.formatted("not-a-uuid")))
                .hasMessage(file + ": id must be a lower-case UUID, was not-a-uuid");
        assertThatThrownBy(() -> SigmaExport.parse(
                        r,
                        file,
                        approx.formatted("ede17bd2-5537-4f82-b9f7-bad153e9f6b6").replace("differs", "covers")))
                .hasMessageContaining("says differs, not covers");
        assertThatThrownBy(() -> SigmaExport.parse(
                        r,
                        file,
                        approx.formatted("ede17bd2-5537-4f82-b9f7-bad153e9f6b6").replace(", condition: selection", "")))
                .hasMessage(file + ": detection must hold a selection and a condition");
    }
}
