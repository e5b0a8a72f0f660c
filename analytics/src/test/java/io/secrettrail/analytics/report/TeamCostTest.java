package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.secrettrail.analytics.cost.KmsEvents;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.rules.RuleFixture;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 §2, {@code analyze --team}: a team's cost section is computed over its secrets alone. Four secrets
 * created 2026-05-05: two of payments (a team tag, a prefix), one of search (a tag), one nobody owns. November to asOf
 * (2026-11-21T12:00Z): role reader reads PAY_TAGGED three times and SEARCH once; role batcher's BatchGetSecretValue
 * names PAY_TAGGED and SEARCH (half a call each); role lister's ListSecrets names no secret; one KMS Decrypt for
 * PAY_TAGGED and two for SEARCH. October: reader reads PAY_PREFIXED once.
 */
class TeamCostTest extends RuleTestBase {
    static final String PAY_TAGGED = arn("us-east-1", "prod/payments/db");
    static final String PAY_PREFIXED = arn("us-east-1", "prod/payments/api");
    static final String SEARCH = arn("us-east-1", "prod/search/index");
    static final String NOBODYS = arn("us-east-1", "scratch/token");
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/aws-secretsmanager";
    static final Map<String, String> SETTINGS = Map.of("ownership.prefix.payments", "prod/payments/");
    static final BigDecimal TINY = new BigDecimal("1e-12");

    @BeforeEach
    void trail() throws Exception {
        fx.listed(
                PAY_TAGGED,
                "\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"},{\"Key\":\"env\",\"Value\":\"prod\"}]");
        fx.listed(PAY_PREFIXED, "\"Tags\":[]");
        fx.listed(SEARCH, "\"Tags\":[{\"Key\":\"team\",\"Value\":\"search\"},{\"Key\":\"env\",\"Value\":\"prod\"}]");
        fx.listed(NOBODYS, "\"Tags\":[]");
        Instant nov = Instant.parse("2026-11-18T09:00:00Z");
        fx.events(List.of(
                fx.call("GetSecretValue", nov).by("reader").secret(PAY_TAGGED).json(),
                fx.call("GetSecretValue", nov.plusSeconds(60))
                        .by("reader")
                        .secret(PAY_TAGGED)
                        .json(),
                fx.call("GetSecretValue", nov.plusSeconds(120))
                        .by("reader")
                        .secret(PAY_TAGGED)
                        .json(),
                fx.call("GetSecretValue", nov.plusSeconds(180))
                        .by("reader")
                        .secret(SEARCH)
                        .json(),
                fx.call("BatchGetSecretValue", nov.plusSeconds(240))
                        .by("batcher")
                        .params("{\"secretIdList\":[\"" + PAY_TAGGED + "\",\"" + SEARCH + "\"]}")
                        .json(),
                fx.call("ListSecrets", nov.plusSeconds(300)).by("lister").json(),
                fx.call("GetSecretValue", Instant.parse("2026-10-10T09:00:00Z"))
                        .by("reader")
                        .secret(PAY_PREFIXED)
                        .json(),
                KmsEvents.decrypt("k1", nov.plusSeconds(10), PAY_TAGGED, KEY),
                KmsEvents.decrypt("k2", nov.plusSeconds(190), SEARCH, KEY),
                KmsEvents.decrypt("k3", nov.plusSeconds(200), SEARCH, KEY)));
    }

    private Report report(Set<String> teams) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(SETTINGS)).build(AS_OF, 0, 0, 0, false, teams);
        }
    }

    private static MonthCost open(Report r) {
        List<MonthCost> months = r.cost().months();
        return months.get(months.size() - 1);
    }

    private static Map<String, BigDecimal> calls(List<MonthCost.Line> lines) {
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        lines.forEach(l -> out.put(l.key(), l.calls()));
        return out;
    }

    private static BigDecimal sum(List<MonthCost.Line> lines, Function<MonthCost.Line, BigDecimal> f) {
        return lines.stream().map(f).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void a_teams_totals_accounts_tags_and_principals_are_its_secrets_alone() throws Exception {
        Report pay = report(Set.of("payments"));
        MonthCost nov = open(pay);
        assertThat(pay.cost().bySecret()).containsOnlyKeys(PAY_TAGGED, PAY_PREFIXED);
        assertThat(nov.bySecret()).extracting(MonthCost.Line::key).containsExactlyInAnyOrder(PAY_TAGGED, PAY_PREFIXED);
        // three reads and half the batch; the search reads, the rest of the batch and the ListSecrets are not theirs
        assertThat(sum(nov.bySecret(), MonthCost.Line::calls)).isEqualByComparingTo("3.5");
        assertThat(calls(nov.byPrincipal()))
                .containsOnlyKeys(RuleFixture.role("reader"), RuleFixture.role("batcher"))
                .hasEntrySatisfying(
                        RuleFixture.role("reader"), c -> assertThat(c).isEqualByComparingTo("3"))
                .hasEntrySatisfying(
                        RuleFixture.role("batcher"), c -> assertThat(c).isEqualByComparingTo("0.5"));
        assertThat(nov.unattributedCalls()).isZero();
        assertThat(nov.unattributedUsd()).isZero();
        // the month's calls cost what its secrets' calls and its principals' cost, to the cent and below
        BigDecimal secretsCalls = sum(nov.bySecret(), MonthCost.Line::usd).subtract(nov.secretsUsd());
        assertThat(nov.apiCallsUsd()).isCloseTo(secretsCalls, within(TINY));
        assertThat(sum(nov.byPrincipal(), MonthCost.Line::usd)).isCloseTo(nov.apiCallsUsd(), within(TINY));
        // one account, one region: their line is the team's Secrets Manager month
        assertThat(nov.byAccount())
                .singleElement()
                .satisfies(l -> assertThat(l.usd()).isCloseTo(nov.secretsManagerUsd(), within(TINY)));
        assertThat(nov.byRegion())
                .singleElement()
                .satisfies(l -> assertThat(l.usd()).isCloseTo(nov.secretsManagerUsd(), within(TINY)));
        // the env=prod tag is on search's secret too: under payments it holds PAY_TAGGED alone
        MonthCost.Line tagged = nov.bySecret().stream()
                .filter(l -> l.key().equals(PAY_TAGGED))
                .findFirst()
                .orElseThrow();
        assertThat(nov.byTag())
                .filteredOn(l -> l.key().equals("env=prod"))
                .singleElement()
                .satisfies(l -> assertThat(l.usd()).isEqualByComparingTo(tagged.usd()));
        // KMS: PAY_TAGGED's one request; the free tier is an account's, not a team's
        assertThat(nov.kmsRequests()).isEqualTo(1L);
        assertThat(nov.kms().freeTierUsd()).isZero();
        assertThat(nov.kms().byAccount()).isEmpty();
        // the v1 figures are this month's, rounded
        assertThat(pay.cost().apiCallsMonthToDate()).isEqualTo(4); // 3.5, half up
        assertThat(pay.cost().unattributedMonthToDateUsd()).isZero();
        assertThat(pay.cost().topPrincipals())
                .extracting(io.secrettrail.analytics.cost.CostReport.Line::key)
                .containsExactly(RuleFixture.role("reader"), RuleFixture.role("batcher"));
        assertThat(pay.cost().assumptions().scope()).contains("teams' secrets");
        assertThat(pay.cost().reconciliation()).isNull();
    }

    @Test
    void the_teams_months_and_every_teams_share_add_up_to_the_whole_data() throws Exception {
        Report whole = report(Set.of());
        assertThat(whole.cost().assumptions().scope()).isNull();
        List<Report> teams = List.of(report(Set.of("payments")), report(Set.of("search")), report(Set.of("unowned")));
        for (int i = 0; i < whole.cost().months().size(); i++) {
            MonthCost all = whole.cost().months().get(i);
            BigDecimal total = all.unattributedUsd();
            BigDecimal storage = BigDecimal.ZERO;
            BigDecimal calls = BigDecimal.valueOf(all.unattributedCalls());
            for (Report t : teams) {
                MonthCost m = t.cost().months().get(i);
                assertThat(m.month()).isEqualTo(all.month());
                total = total.add(m.totalUsd());
                storage = storage.add(m.secretsUsd());
                calls = calls.add(sum(m.bySecret(), MonthCost.Line::calls));
            }
            assertThat(total).as(all.month()).isCloseTo(all.totalUsd(), within(TINY));
            assertThat(storage).as(all.month()).isCloseTo(all.secretsUsd(), within(TINY));
            assertThat(calls).as(all.month()).isEqualByComparingTo(BigDecimal.valueOf(all.apiCalls()));
        }
        // each team's figure for this month and last is its row of the whole report's teams[]
        for (Report t : teams) {
            Report.Team row = t.teams().get(0);
            List<MonthCost> ms = t.cost().months();
            assertThat(ms.get(ms.size() - 1).totalUsd()).as(row.team()).isCloseTo(row.costThisMonthUsd(), within(TINY));
            assertThat(ms.get(ms.size() - 2).totalUsd()).as(row.team()).isCloseTo(row.costLastMonthUsd(), within(TINY));
        }
        // October: payments' one read, its month over month between its own months
        Report pay = teams.get(0);
        assertThat(pay.cost().months().get(pay.cost().months().size() - 2).apiCalls())
                .isEqualTo(1);
        assertThat(pay.cost().monthOverMonth().from()).isEqualTo("2026-10");
    }

    @Test
    void a_team_without_secrets_costs_nothing_and_has_no_principals() throws Exception {
        Report none = report(Set.of("nobody"));
        assertThat(none.secrets()).isEmpty();
        assertThat(none.cost().bySecret()).isEmpty();
        assertThat(none.cost().monthToDateUsd()).isZero();
        assertThat(none.cost().projectedUsd()).isZero();
        assertThat(none.cost().topPrincipals()).isEmpty();
        assertThat(none.cost().byAccount()).isEmpty();
        assertThat(open(none).apiCalls()).isZero();
        // the months still span the trail's
        assertThat(none.cost().months()).extracting(MonthCost::month).endsWith("2026-10", "2026-11");
    }

    @Test
    void the_json_report_of_a_team_says_what_its_cost_counts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(report(Set.of("search")), out);
        com.fasterxml.jackson.databind.JsonNode j =
                io.secrettrail.core.Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.at("/cost/assumptions/scope").asText()).contains("not split among teams");
        assertThat(j.at("/cost/apiCallsMonthToDate").asLong()).isEqualTo(2); // 1.5, half up
        assertThat(j.at("/cost/topPrincipals").findValuesAsText("principal"))
                .containsExactly(RuleFixture.role("reader"), RuleFixture.role("batcher"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ReportWriter.json(report(Set.of()), all);
        assertThat(io.secrettrail.core.Json.mapper()
                        .readTree(all.toString(StandardCharsets.UTF_8))
                        .at("/cost/assumptions")
                        .has("scope"))
                .isFalse();
    }
}
