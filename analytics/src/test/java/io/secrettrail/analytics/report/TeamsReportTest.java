package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 §2: the teams section and --team, on three secrets created 2026-05-05 (a tagged one, one a prefix places,
 * one nobody owns) and one October read, so the month before asOf's is in the data. Storage is USD 0.40 a secret
 * a month, prorated by the hour: to asOf (2026-11-21T12:00Z) 492 of November's 720 hours; October in full.
 */
class TeamsReportTest extends RuleTestBase {
    static final String TAGGED = arn("us-east-1", "prod/payments/db");
    static final String PREFIXED = arn("us-east-1", "prod/payments/api");
    static final String NOBODYS = arn("us-east-1", "scratch/token");
    static final Map<String, String> SETTINGS =
            Map.of("ownership.prefix.payments", "prod/payments/", "ownership.required", "true");
    static final BigDecimal NOVEMBER = new BigDecimal("0.40")
            .multiply(new BigDecimal(492))
            .divide(new BigDecimal(720), 20, java.math.RoundingMode.HALF_EVEN);
    static final BigDecimal ONE_CALL = new BigDecimal("0.000005");

    @BeforeEach
    void secrets() throws Exception {
        fx.listed(TAGGED, "\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"},{\"Key\":\"owner\",\"Value\":\"ana\"}]");
        fx.listed(PREFIXED, "\"Tags\":[]");
        fx.listed(NOBODYS, "\"Tags\":[]");
        fx.apiCall("GetSecretValue", TAGGED, Instant.parse("2026-10-15T10:00:00Z"), null);
    }

    private Report report(Map<String, String> settings) throws Exception {
        return report(settings, Set.of());
    }

    private Report report(Map<String, String> settings, Set<String> teams) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, false, teams);
        }
    }

    private static Report.Team team(Report r, String name) {
        return r.teams().stream().filter(t -> t.team().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void each_team_has_its_secrets_cost_and_failures_and_unowned_is_a_row_of_its_own() throws Exception {
        Report r = report(SETTINGS);
        assertThat(r.teams()).extracting(Report.Team::team).containsExactly("payments", "unowned");
        Report.Team pay = team(r, "payments");
        assertThat(pay.secrets()).isEqualTo(2);
        assertThat(pay.costThisMonthUsd())
                .isCloseTo(NOVEMBER.multiply(new BigDecimal(2)), within(new BigDecimal("1e-9")));
        assertThat(pay.costLastMonthUsd()).isEqualByComparingTo(new BigDecimal("0.80").add(ONE_CALL));
        Report.Team none = team(r, "unowned");
        assertThat(none.secrets()).isEqualTo(1);
        assertThat(none.costThisMonthUsd()).isCloseTo(NOVEMBER, within(new BigDecimal("1e-9")));
        assertThat(none.costLastMonthUsd()).isEqualByComparingTo("0.40");
        // the unowned secret fails ownership-required; the owned ones do not
        assertThat(r.alerts().stream().filter(f -> f.rule().equals("ownership-required")))
                .extracting(Finding::resource)
                .containsExactly(NOBODYS);
        for (Report.Team t : r.teams()) {
            long posture = r.alerts().stream()
                    .filter(f -> f.incident() == null && t.team().equals(r.teamOf(f.resource())))
                    .count();
            assertThat(t.postureFailures()).as(t.team()).isEqualTo(posture);
        }
        assertThat(none.postureFailures()).isPositive();
        assertThat(r.ownerOf(TAGGED)).isEqualTo("ana");
        assertThat(r.teamOf(PREFIXED)).isEqualTo("payments");
    }

    @Test
    void the_json_report_carries_the_teams_section_and_each_secrets_team() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(report(SETTINGS), out);
        com.fasterxml.jackson.databind.JsonNode j =
                io.secrettrail.core.Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.at("/teams/0/team").asText()).isEqualTo("payments");
        assertThat(j.at("/teams/0/secrets").asLong()).isEqualTo(2);
        assertThat(j.at("/teams/0/costUsd/lastMonth").decimalValue()).isEqualByComparingTo("0.800005");
        assertThat(j.at("/teams/1/team").asText()).isEqualTo("unowned");
        assertThat(j.at("/secrets").findValuesAsText("team")).containsExactly("payments", "payments", "unowned");
        StringWriter csv = new StringWriter();
        ReportWriter.teamsCsv(report(SETTINGS), csv);
        assertThat(csv.toString().lines().toList())
                .first()
                .isEqualTo("team,secrets,costThisMonthUsd,costLastMonthUsd,openIncidents,postureFailures,savingsUsd");
        assertThat(csv.toString().lines().toList().get(1)).startsWith("payments,2,0.5467,0.8000,");
    }

    @Test
    void a_team_filter_keeps_only_that_teams_secrets_alerts_and_rows() throws Exception {
        Report r = report(SETTINGS, Set.of("unowned"));
        assertThat(r.secrets()).extracting(Report.SecretSummary::arn).containsExactly(NOBODYS);
        assertThat(r.alerts())
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.resource()).isEqualTo(NOBODYS));
        assertThat(r.teams()).extracting(Report.Team::team).containsExactly("unowned");
        assertThat(r.cost().bySecret()).containsOnlyKeys(NOBODYS);
        assertThat(r.cost().months())
                .allSatisfy(m -> assertThat(m.bySecret())
                        .allSatisfy(l -> assertThat(l.key()).isEqualTo(NOBODYS)));
        // a team nobody has is an empty report, not an error
        Report empty = report(SETTINGS, Set.of("search"));
        assertThat(empty.secrets()).isEmpty();
        assertThat(empty.teams()).isEmpty();
    }

    @Test
    void without_ownership_settings_the_team_tag_alone_places_secrets() throws Exception {
        Report r = report(Map.of());
        assertThat(r.teams())
                .extracting(Report.Team::team, Report.Team::secrets)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("payments", 1L),
                        org.assertj.core.groups.Tuple.tuple("unowned", 2L));
        assertThat(r.alerts()).noneMatch(f -> f.rule().equals("ownership-required"));
    }
}
