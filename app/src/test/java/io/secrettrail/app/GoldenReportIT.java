package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report schema v1 is a contract: on a fixed trail (see {@code golden/SOURCE.md}) the JSON report and
 * the three CSV files are byte-identical to those written before the redesign of issue 13. Runs the
 * real command line, through a real broker and a DuckDB file.
 */
class GoldenReportIT {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String AS_OF = "2026-11-21T00:00:00Z";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    /** The golden inputs as options: the two trail directories, the inventory and asOf. */
    static List<String> inputs() {
        return List.of(
                "--trail",
                GOLDEN.resolve("trail").toString(),
                "--trail",
                GOLDEN.resolve("real").toString(),
                "--inventory",
                GOLDEN.resolve("inventory").toString(),
                "--as-of",
                AS_OF);
    }

    private int analyze(String work, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve(work).toString()));
        args.addAll(inputs());
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void the_json_report_of_the_fixed_trail_is_byte_identical_to_schema_v1() throws Exception {
        Path out = dir.resolve("report.json");
        AppFixtures.Run r = AppFixtures.printed(() -> analyze("json-work", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(GOLDEN.resolve("expected/report-v1.json")));
        assertThat(r.err()).doesNotContain("--team");
    }

    @Test
    void a_team_report_keeps_that_teams_secrets_and_costs_them_alone() throws Exception {
        Path out = dir.resolve("payments.json");
        AppFixtures.Run r =
                AppFixtures.printed(() -> analyze("team-work", "--team", "payments", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertThat(report.at("/teams").findValuesAsText("team")).containsExactly("payments");
        assertThat(report.at("/teams/0/secrets").asInt()).isEqualTo(10);
        assertThat(report.at("/secrets").findValuesAsText("team")).hasSize(10).containsOnly("payments");
        // the cost section is the team's own: its month is its row of teams[], below the whole trail's
        var whole = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(GOLDEN.resolve("expected/report-v1.json").toFile());
        var months = report.at("/cost/months");
        var open = months.get(months.size() - 1);
        assertThat(open.get("totalUsd").decimalValue())
                .isCloseTo(report.at("/teams/0/costUsd/thisMonth").decimalValue(), within(new BigDecimal("1e-6")));
        assertThat(months.get(months.size() - 2).get("totalUsd").decimalValue())
                .isCloseTo(report.at("/teams/0/costUsd/lastMonth").decimalValue(), within(new BigDecimal("1e-6")));
        assertThat(report.at("/cost/monthToDateUsd").decimalValue())
                .isPositive()
                .isLessThan(whole.at("/cost/monthToDateUsd").decimalValue());
        assertThat(open.get("unattributedCalls").asLong()).isZero();
        assertThat(report.at("/cost/assumptions/scope").asText()).contains("teams' secrets");
        assertThat(r.err()).doesNotContain("cover every team");
    }

    @Test
    void the_csv_reports_of_the_fixed_trail_are_byte_identical_to_schema_v1() throws Exception {
        Path out = dir.resolve("csv");
        assertThat(analyze("csv-work", "--format", "csv", "--out", out.toString()))
                .isZero();
        for (String file : List.of("secrets.csv", "alerts.csv", "cost.csv", "months.csv", "teams.csv")) {
            assertThat(Files.readString(out.resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readString(GOLDEN.resolve("expected").resolve(file)));
        }
    }
}
