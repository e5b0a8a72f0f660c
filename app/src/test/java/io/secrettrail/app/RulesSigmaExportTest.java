package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: {@code rules --export sigma [--out DIR]}, end to end through the command line. */
class RulesSigmaExportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> FILES = List.of(
            "rotation-failed.yml",
            "batch-retrieval.yml",
            "deleted-secret-access.yml",
            "secret-deleted.yml",
            "logging-stopped.yml");

    private static AppFixtures.Run rules(String... args) {
        String[] all = Stream.concat(Stream.of("rules"), Stream.of(args)).toArray(String[]::new);
        return AppFixtures.printed(() -> Main.run(Map.of(), CLOCK, all));
    }

    @Test
    void without_out_the_rules_are_one_yaml_stream_on_stdout_and_the_summary_on_stderr() throws Exception {
        AppFixtures.Run r = rules("--export", "sigma");
        assertThat(r.code()).isZero();
        List<JsonNode> docs = YAML.readValues(YAML.getFactory().createParser(r.out()), JsonNode.class)
                .readAll();
        assertThat(docs)
                .extracting(d -> d.get("title").asText())
                .containsExactly(
                        "Rotation failed and has not succeeded since",
                        "Secrets read in a batch by a negated filter",
                        "A secret scheduled for deletion is still in use",
                        "Secret deleted without recovery",
                        "CloudTrail logging stopped, deleted or narrowed");
        assertThat(docs).allSatisfy(d -> {
            assertThat(d.at("/logsource/product").asText()).isEqualTo("aws");
            assertThat(d.at("/logsource/service").asText()).isEqualTo("cloudtrail");
        });
        assertThat(docs.get(2)
                        .at("/detection/selection")
                        .get("errorMessage|contains")
                        .asText())
                .isEqualTo("marked for deletion");
        assertThat(docs.get(3)
                        .at("/detection/selection")
                        .get("requestParameters.forceDeleteWithoutRecovery")
                        .asBoolean())
                .isTrue();
        assertThat(r.out()).doesNotContain("not expressible");
        assertThat(r.err())
                .containsPattern(
                        "\\d+ rules: 3 exact, 2 approximate \\(status: experimental\\), \\d+ not expressible\\.")
                .contains("- bulk-retrieval: why: a count of distinct secrets read by one principal within a sliding"
                        + " window")
                .contains("- public-policy: why: parsing the resource policy");
    }

    @Test
    void with_out_each_rule_is_a_file_beside_the_summary_which_is_also_printed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sigma");
        AppFixtures.Run r = rules("--export", "sigma", "--out", out.toString());
        assertThat(r.code()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(FILES.stream(), Stream.of("README.md"))
                            .toList());
        }
        assertThat(Files.readString(out.resolve("README.md"))).isEqualTo(r.out());
        for (String f : FILES) {
            JsonNode d = YAML.readTree(out.resolve(f).toFile());
            assertThat(d.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(r.out()).contains("(" + f + ")");
        }
        assertThat(YAML.readTree(out.resolve("batch-retrieval.yml").toFile())
                        .get("status")
                        .asText())
                .isEqualTo("experimental");
        assertThat(YAML.readTree(out.resolve("logging-stopped.yml").toFile())
                        .get("status")
                        .asText())
                .isEqualTo("test");
        // a second export over the same directory gives the same files: ids and dates are data, not the clock
        String before = Files.readString(out.resolve("secret-deleted.yml"));
        assertThat(rules("--export", "sigma", "--out", out.toString()).code()).isZero();
        assertThat(Files.readString(out.resolve("secret-deleted.yml"))).isEqualTo(before);
    }

    @Test
    void another_format_out_without_export_and_unknown_options_are_usage_errors(@TempDir Path dir) {
        AppFixtures.Run csv = rules("--export", "csv");
        assertThat(csv.code()).isEqualTo(Main.USAGE);
        assertThat(csv.err()).contains("--export: the one format is sigma, was csv");
        AppFixtures.Run outOnly = rules("--out", dir.toString());
        assertThat(outOnly.code()).isEqualTo(Main.USAGE);
        assertThat(outOnly.err()).contains("--out: only with --export sigma");
        AppFixtures.Run unknown = rules("--export", "sigma", "--level", "high");
        assertThat(unknown.code()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("Unknown option");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void without_export_the_list_is_as_before() {
        AppFixtures.Run r = rules();
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("deleted-secret-access  [medium]  A secret scheduled for deletion is still in use");
        assertThat(r.out()).doesNotContain("logsource");
    }
}
