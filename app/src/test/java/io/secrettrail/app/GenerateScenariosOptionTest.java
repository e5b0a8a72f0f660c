package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --scenarios} writes the planted incidents' truth; without it there is none. */
class GenerateScenariosOptionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:34:56Z"), ZoneOffset.UTC);

    private static int generate(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "generate", "--out", out.toString(), "--days", "2", "--secrets", "60", "--events-per-day", "50"));
        args.addAll(List.of(extra));
        return Main.run(Map.of(), CLOCK, args.toArray(String[]::new));
    }

    @Test
    void with_scenarios_a_two_day_trail_plants_what_fits_and_lists_what_does_not(@TempDir Path dir) throws Exception {
        assertThat(generate(dir, "--scenarios")).isZero();
        JsonNode truth =
                ReportAssert.JSON.readTree(dir.resolve("scenarios.json").toFile());
        List<String> skipped = new ArrayList<>();
        truth.get("skipped").forEach(s -> skipped.add(s.get("scenario").asText()));
        assertThat(skipped).containsExactly("bulk-retrieval-repeat", "first-seen-principal");
        assertThat(truth.get("incidents").findValuesAsText("scenario")).contains("bulk-retrieval", "catch-all-batch");
    }

    @Test
    void without_the_flag_no_scenarios_are_written(@TempDir Path dir) {
        assertThat(generate(dir)).isZero();
        assertThat(dir.resolve("scenarios.json")).doesNotExist();
        assertThat(dir.resolve("truth.json")).exists();
    }
}
