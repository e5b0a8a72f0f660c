package io.secrettrail.generator;

import java.nio.file.Path;
import java.util.List;

/**
 * What a generation run wrote; the same counts appear in the truth file's {@code ingest} block.
 *
 * @param scenariosFile    {@code scenarios.json}, the planted incidents' truth; null when scenarios are off
 * @param skippedScenarios each scenario that did not fit the trail, with the reason ("name: reason")
 */
public record GenerationSummary(
        int files,
        long records,
        long secretsManagerEvents,
        long duplicates,
        Path trailDir,
        Path inventoryDir,
        Path truthFile,
        Path scenariosFile,
        List<String> skippedScenarios) {}
