package io.secrettrail.generator;

import java.nio.file.Path;

/** What a generation run wrote; the same counts appear in the truth file's {@code ingest} block. */
public record GenerationSummary(
        int files,
        long records,
        long secretsManagerEvents,
        long duplicates,
        Path trailDir,
        Path inventoryDir,
        Path truthFile) {}
