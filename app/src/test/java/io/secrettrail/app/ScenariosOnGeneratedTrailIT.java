package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.IngestConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated three-week trail with every attack scenario planted, through the real broker into
 * DuckDB: the report's detections are the planted incidents, and the rest of the report is still
 * the generator's truth.
 */
class ScenariosOnGeneratedTrailIT {
    static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static GenerationSummary trail;
    static JsonNode report;
    static JsonNode scenarios;

    @BeforeAll
    static void analyze() throws Exception {
        trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(21)
                        .secrets(60)
                        .eventsPerDay(600)
                        .noiseRatio(0.2)
                        .seed(42L)
                        .end(END)
                        .scenarios(true)
                        .build())
                .generate();
        report = ReportAssert.json(new AnalyzeJob(TestKafka.isolated(KAFKA.broker()), dir.resolve("scenarios.duckdb"))
                .run(new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20), END)
                .report());
        scenarios = ReportAssert.JSON.readTree(trail.scenariosFile().toFile());
    }

    @Test
    void every_scenario_fits_three_weeks() {
        assertThat(trail.skippedScenarios()).isEmpty();
        assertThat(scenarios.get("incidents")).hasSize(8);
    }

    @Test
    void the_detections_are_the_planted_incidents() throws Exception {
        // every planted incident names a shipped rule, logging-stopped included
        assertThat(ScenarioAssert.pendingRules(scenarios)).isEmpty();
        ScenarioAssert.assertIncidentsMatch(report, scenarios, ScenarioAssert.Granularity.INCIDENTS);
    }

    @Test
    void with_the_scenarios_planted_the_report_still_equals_the_generators_truth() throws Exception {
        ReportAssert.matchesTruth(report, ReportAssert.truth(trail.truthFile()));
        ScenarioAssert.assertReadsMatch(report, scenarios);
    }
}
