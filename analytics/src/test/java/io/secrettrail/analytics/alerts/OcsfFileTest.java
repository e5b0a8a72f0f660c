package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export.ocsf.file: a real DuckDB store, the bulk-retrieval rule over CloudTrail records, and the ledger
 * appending each transition to a file as an OCSF line: once, valid, the same finding id from Create to Close.
 */
class OcsfFileTest {
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");
    static final Set<String> RULES =
            Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList());

    @TempDir
    Path dir;

    RuleFixture fx;
    Path file;
    AlertLedger ledger;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
        file = dir.resolve("findings.ocsf.jsonl");
        ledger = new AlertLedger(fx.store(), WebhookSettings.of(Map.of("export.ocsf.file", file.toString()), RULES));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private void evaluate(Instant now) throws Exception {
        List<Finding> alarms = fx.run("bulk-retrieval", now, Map.of());
        ledger.record(alarms, now);
    }

    private List<JsonNode> lines() throws Exception {
        return Files.exists(file)
                ? OcsfTest.SCHEMA.validLines(Files.readString(file, StandardCharsets.UTF_8))
                : List.of();
    }

    @Test
    void each_transition_is_appended_once_and_the_clear_closes_the_finding_the_alarm_created() throws Exception {
        fx.burst("intruder", T0.minusSeconds(60));
        evaluate(T0);
        assertThat(lines()).singleElement().satisfies(f -> {
            assertThat(f.get("activity_id").asInt()).isEqualTo(1);
            assertThat(f.at("/resources/0/uid").asText()).isEqualTo(RuleFixture.role("intruder"));
        });

        evaluate(T0.plus(Duration.ofMinutes(5)));
        assertThat(lines()).as("nothing twice").hasSize(1);

        evaluate(T0.plus(Duration.ofHours(30)));
        List<JsonNode> all = lines();
        assertThat(all).hasSize(2);
        assertThat(all.get(1).get("activity_id").asInt()).isEqualTo(3);
        assertThat(all.get(1).get("status_id").asInt()).isEqualTo(4);
        assertThat(all.get(1).at("/finding_info/uid").asText())
                .isEqualTo(all.get(0).at("/finding_info/uid").asText())
                .startsWith("secrettrail:bulk-retrieval:");
    }

    @Test
    void the_export_of_the_current_alarms_names_the_findings_the_live_feed_sent() throws Exception {
        fx.burst("intruder", T0.minusSeconds(60));
        fx.burst("other", T0.minusSeconds(60));
        evaluate(T0);
        Path export = dir.resolve("export.jsonl");
        Files.writeString(export, "an older export\n");
        List<Finding> now = fx.run("bulk-retrieval", T0.plusSeconds(60), Map.of());
        assertThat(OcsfExport.write(now, T0.plusSeconds(60), export)).isEqualTo(2);
        List<JsonNode> exported = OcsfTest.SCHEMA.validLines(Files.readString(export));
        assertThat(exported)
                .extracting(f -> f.at("/finding_info/uid").asText())
                .containsExactlyInAnyOrderElementsOf(lines().stream()
                        .map(f -> f.at("/finding_info/uid").asText())
                        .toList());
        assertThat(exported)
                .allSatisfy(f -> assertThat(f.get("activity_id").asInt()).isEqualTo(1));
        assertThat(dir.toFile().list())
                .as("no temporary file left")
                .containsExactlyInAnyOrder("findings.ocsf.jsonl", "export.jsonl");
    }

    @Test
    void no_alarm_writes_nothing() throws Exception {
        evaluate(T0);
        assertThat(file).doesNotExist();
    }

    @Test
    void a_line_cut_short_before_stays_a_line_of_its_own() throws Exception {
        Files.writeString(file, "{\"class_uid\":20");
        fx.burst("intruder", T0.minusSeconds(60));
        evaluate(T0);
        List<String> raw = Files.readAllLines(file);
        assertThat(raw).hasSize(2);
        assertThat(raw.get(0)).isEqualTo("{\"class_uid\":20");
        assertThat(OcsfTest.SCHEMA.validLines(raw.get(1))).hasSize(1);
    }

    @Test
    void a_file_that_cannot_be_written_rolls_the_transitions_back_so_they_come_again() throws Exception {
        Path folder = dir.resolve("gone");
        Files.createDirectory(folder);
        Path inGone = folder.resolve("f.jsonl");
        AlertLedger l =
                new AlertLedger(fx.store(), WebhookSettings.of(Map.of("export.ocsf.file", inGone.toString()), RULES));
        Files.delete(folder);
        fx.burst("intruder", T0.minusSeconds(60));
        List<Finding> alarms = fx.run("bulk-retrieval", T0, Map.of());
        assertThatThrownBy(() -> l.record(alarms, T0)).hasMessageContaining("export.ocsf.file");
        Files.createDirectory(folder);
        l.record(alarms, T0);
        assertThat(Files.readAllLines(inGone))
                .as("not recorded the first time: written now")
                .hasSize(1);
    }

    @Test
    void the_setting_is_checked_at_start_and_named() {
        assertThatThrownBy(() -> WebhookSettings.of(
                        Map.of(
                                "export.ocsf.file",
                                dir.resolve("no/such/f.jsonl").toString()),
                        RULES))
                .hasMessageStartingWith("export.ocsf.file: the folder of");
        assertThatThrownBy(() -> WebhookSettings.of(Map.of("export.ocsf.file", dir.toString()), RULES))
                .hasMessageContaining("is a folder");
        assertThatThrownBy(() -> WebhookSettings.of(Map.of("export.ocsf.file", " "), RULES))
                .hasMessageStartingWith("export.ocsf.file: expected a file path");
        assertThatThrownBy(() -> WebhookSettings.of(
                        Map.of("webhook.lake.url", "https://lake.example.com/in", "webhook.lake.format", "ocsf"),
                        RULES))
                .hasMessageStartingWith("webhook.lake.secret: an ocsf webhook needs a signing secret");
        assertThatThrownBy(() -> WebhookSettings.of(
                        Map.of("webhook.lake.url", "https://lake.example.com/in", "webhook.lake.format", "OCSF"),
                        RULES))
                .hasMessage("webhook.lake.format: must be one of [generic, ocsf, slack], was OCSF");
    }
}
