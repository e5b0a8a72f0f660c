package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, end to end through the real command line, broker and DuckDB file: every trail file of
 * the golden trail announces its delivery, and trail-silent judges each account and region by
 * the latest record of its files. At the defaults (6 hours) nothing is silent, which is why the
 * golden report does not change; at one hour, the account and region whose last record is at
 * 22:45:22 is.
 */
class TrailSilenceIT {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    @Test
    void the_golden_trails_files_are_judged_by_their_latest_record() throws Exception {
        Path out = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--trail",
                GoldenReportIT.GOLDEN.resolve("trail").toString(),
                "--trail",
                GoldenReportIT.GOLDEN.resolve("real").toString(),
                "--inventory",
                GoldenReportIT.GOLDEN.resolve("inventory").toString(),
                "--as-of",
                GoldenReportIT.AS_OF,
                "--set",
                "trail.silenceHours=1",
                "--out",
                out.toString()));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        JsonNode report = io.secrettrail.core.Json.mapper().readTree(Files.readString(out));
        List<JsonNode> silent = new ArrayList<>();
        report.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals("trail-silent")) {
                silent.add(a);
            }
        });
        assertThat(silent).extracting(a -> a.get("resource").asText()).contains("222222222222:us-east-1");
        assertThat(silent)
                .filteredOn(a -> a.get("resource").asText().equals("222222222222:us-east-1"))
                .singleElement()
                .satisfies(a -> assertThat(a.get("reason").asText())
                        .isEqualTo("no trail file since one with records up to 2026-11-20T22:45:22Z:"
                                + " silent for 1 hours; the limit is 1"));
        // the Stratus export is not named as CloudTrail names its files: it delivers nothing
        assertThat(silent).allMatch(a -> a.get("resource").asText().matches("\\d{12}:[a-z]+-[a-z]+-\\d"));
    }
}
