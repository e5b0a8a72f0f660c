package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.core.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 15 §3: every month the trail spans, computed as the open month is. */
class CostMonthsTest extends RuleTestBase {
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    static final String REPLICA = arn("eu-west-1", "prod/db");
    static final String GONE = arn("us-east-1", "old/db");
    static final String NEW = arn("us-east-1", "new/db");
    static final String TYPO = arn("us-east-1", "prod/dbb");

    private CostReport cost(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(Prices.aws()).compute(Snapshot.at(c, asOf));
        }
    }

    private static MonthCost month(CostReport r, String month) {
        return r.months().stream()
                .filter(m -> m.month().equals(month))
                .findFirst()
                .orElseThrow();
    }

    private static MonthCost.Line line(List<MonthCost.Line> lines, String key) {
        return lines.stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow();
    }

    /**
     * October 2026 (31 days, 744 h), by hand, at $0.40 a secret-month and $0.05 per 10,000 calls ($0.000005 a
     * call):
     *
     * <ul>
     *   <li>prod/db (us-east-1) and its replica in eu-west-1, both created long before: 744 h each, $0.40 each;
     *   <li>old/db, deleted 2026-10-08T18:00Z: 7 days 18 h = 186 h, 0.40 x 186 / 744 = $0.10;
     *   <li>new/db, created 2026-10-16T12:00Z: 15.5 days = 372 h, 0.40 x 372 / 744 = $0.20;
     *   <li>secretsUsd = 0.40 + 0.40 + 0.10 + 0.20 = $1.10.
     * </ul>
     *
     * Calls (role app unless said): 4 GetSecretValue of prod/db; a BatchGetSecretValue of prod/db and old/db
     * with its 2 generated GetSecretValue entries (the batch is 1 call, split 1/2 each; the entries are not
     * calls: price.batchEntriesBilled false); a GetSecretValue of the phantom name prod/dbb by role prober,
     * refused (the inventory covers us-east-1 and does not list it: exists false, no storage, its call
     * unattributed); a ListSecrets (names no secret: unattributed). apiCalls = 4 + 1 + 1 + 1 = 7, $0.000035;
     * unattributedCalls 2, $0.00001; totalUsd = 1.10 + 0.000035 = $1.100035. Events: the 7 calls and the 2
     * entries = 9.
     *
     * <p>Per secret: prod/db 4.5 calls, 0.40 + 4.5 x 0.000005 = $0.4000225; old/db 0.5 calls, $0.1000025;
     * the replica $0.40 and new/db $0.20 without calls; the phantom name has neither cost nor calls: no line.
     * Per account 123456789012 (and per tag team=payments): 5 attributed calls, 1.10 + 0.000025 = $1.100025.
     * Per region: us-east-1 0.4000225 + 0.1000025 + 0.20 = $0.700025 (5 calls), eu-west-1 $0.40.
     * Per principal: app 6 calls ($0.00003), prober 1 ($0.000005).
     */
    @BeforeEach
    void october() throws Exception {
        fx.coverage("us-east-1");
        fx.inventory(DB, "us-east-1", true, OLD, null, null, null, null);
        fx.inventory(REPLICA, "us-east-1", false, OLD, null, null, null, null);
        fx.inventory(GONE, null, true, OLD, null, null, Instant.parse("2026-10-08T18:00:00Z"), null);
        fx.inventory(NEW, null, true, Instant.parse("2026-10-16T12:00:00Z"), null, null, null, null);
        fx.apiCalls(
                "GetSecretValue",
                DB,
                List.of(
                        Instant.parse("2026-10-05T01:00:00Z"),
                        Instant.parse("2026-10-05T02:00:00Z"),
                        Instant.parse("2026-10-05T03:00:00Z"),
                        Instant.parse("2026-10-05T04:00:00Z")));
        Instant batch = Instant.parse("2026-10-03T09:00:00Z");
        fx.events(List.of(
                fx.call("BatchGetSecretValue", batch)
                        .params("{\"secretIdList\":[\"" + DB + "\",\"" + GONE + "\"]}")
                        .json(),
                fx.call("GetSecretValue", batch).secret(DB).json(),
                fx.call("GetSecretValue", batch).secret(GONE).json(),
                fx.call("GetSecretValue", Instant.parse("2026-10-10T00:00:00Z"))
                        .by("prober")
                        .secret(TYPO)
                        .error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
                        .json()));
        fx.unattributedCall("ListSecrets", Instant.parse("2026-10-12T00:00:00Z"));
        // outside October: the last second of September, and November
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-09-30T23:59:59Z"), null);
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-11-01T00:00:00Z"), null);
    }

    @Test
    void a_closed_month_is_billed_in_full_with_replicas_deletions_phantoms_and_batches() throws Exception {
        MonthCost oct = month(cost(AS_OF), "2026-10");
        assertThat(oct.closed()).isTrue();
        assertThat(oct.events()).isEqualTo(9);
        assertThat(oct.secretsUsd()).isEqualByComparingTo("1.10");
        assertThat(oct.apiCalls()).isEqualTo(7);
        assertThat(oct.apiCallsUsd()).isEqualByComparingTo("0.000035");
        assertThat(oct.unattributedCalls()).isEqualTo(2);
        assertThat(oct.unattributedUsd()).isEqualByComparingTo("0.00001");
        assertThat(oct.totalUsd()).isEqualByComparingTo("1.100035");
        assertThat(oct.projectedUsd()).isNull();
        assertThat(oct.secretsProjectedUsd()).isNull();
        assertThat(oct.apiCallsProjected()).isNull();
        assertThat(oct.apiCallsProjectedUsd()).isNull();

        assertThat(oct.bySecret()).extracting(MonthCost.Line::key).containsExactly(REPLICA, NEW, GONE, DB);
        assertLine(line(oct.bySecret(), DB), "4.5", "0.4000225");
        assertLine(line(oct.bySecret(), GONE), "0.5", "0.1000025");
        assertLine(line(oct.bySecret(), REPLICA), "0", "0.40");
        assertLine(line(oct.bySecret(), NEW), "0", "0.20");
        assertThat(oct.byAccount()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("123456789012");
            assertLine(l, "5", "1.100025");
        });
        assertThat(oct.byTag()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("team=payments");
            assertLine(l, "5", "1.100025");
        });
        assertThat(oct.byRegion()).extracting(MonthCost.Line::key).containsExactly("us-east-1", "eu-west-1");
        assertLine(oct.byRegion().get(0), "5", "0.700025");
        assertLine(oct.byRegion().get(1), "0", "0.40");
        assertThat(oct.byPrincipal()).extracting(MonthCost.Line::key).containsExactly(role("app"), role("prober"));
        assertLine(oct.byPrincipal().get(0), "6", "0.00003");
        assertLine(oct.byPrincipal().get(1), "1", "0.000005");
    }

    private static void assertLine(MonthCost.Line l, String calls, String usd) {
        assertThat(l.calls()).as(l.key() + " calls").isEqualByComparingTo(calls);
        assertThat(l.usd()).as(l.key() + " usd").isEqualByComparingTo(usd);
        assertThat(l.projectedUsd()).as(l.key() + " in a closed month").isNull();
    }

    @Test
    void the_months_run_from_the_earliest_event_to_asofs_month() throws Exception {
        CostReport r = cost(AS_OF);
        assertThat(r.months()).extracting(MonthCost::month).containsExactly("2026-09", "2026-10", "2026-11");
        assertThat(r.months()).extracting(MonthCost::closed).containsExactly(true, true, false);
        // September: prod/db, its replica and old/db for all 720 h, new/db not yet; the call of its last second
        MonthCost sep = r.months().get(0);
        assertThat(sep.secretsUsd()).isEqualByComparingTo("1.20");
        assertThat(sep.apiCalls()).isEqualTo(1);
    }

    @Test
    void the_open_month_is_the_v1_figures_before_rounding() throws Exception {
        CostReport r = cost(AS_OF);
        MonthCost nov = r.months().get(r.months().size() - 1);
        assertThat(nov.month()).isEqualTo(r.month());
        assertThat(nov.closed()).isFalse();
        assertThat(Prices.cents(nov.secretsUsd())).isEqualTo(r.secretsMonthToDateUsd());
        assertThat(Prices.cents(nov.totalUsd())).isEqualTo(r.monthToDateUsd());
        assertThat(Prices.cents(nov.projectedUsd())).isEqualTo(r.projectedUsd());
        assertThat(Prices.cents(nov.secretsProjectedUsd())).isEqualTo(r.secretsProjectedUsd());
        assertThat(nov.apiCalls()).isEqualTo(r.apiCallsMonthToDate()).isEqualTo(1);
        // prod/db, its replica and new/db: 492 h of 720 at $0.40 each = $0.82 to date, $1.20 projected
        // (3 x 0.40 x 492 / 720: 20 significant digits of repeating 0.2733..., so compared to 1e-10)
        assertThat(Money.json(nov.secretsUsd())).isEqualTo("0.82");
        assertThat(Money.json(nov.secretsProjectedUsd())).isEqualTo("1.2");
        assertThat(line(nov.bySecret(), DB).projectedUsd()).isNotNull();
        assertThat(nov.bySecret()).extracting(MonthCost.Line::key).doesNotContain(GONE, TYPO);
    }

    @Test
    void a_month_is_closed_when_asof_is_exactly_its_end() throws Exception {
        CostReport atEnd = cost(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(month(atEnd, "2026-10").closed()).isTrue();
        assertThat(month(atEnd, "2026-10").totalUsd()).isEqualByComparingTo("1.100035");
        MonthCost nov = month(atEnd, "2026-11");
        assertThat(nov.closed()).isFalse();
        assertThat(nov.secretsUsd()).isEqualByComparingTo("0");
        // the call at exactly asOf is November's, to date (events up to asOf, inclusive, as v1 counts them)
        assertThat(nov.apiCalls()).isEqualTo(1);

        CostReport aSecondBefore = cost(Instant.parse("2026-10-31T23:59:59Z"));
        assertThat(aSecondBefore.months()).extracting(MonthCost::month).endsWith("2026-10");
        MonthCost oct = month(aSecondBefore, "2026-10");
        assertThat(oct.closed()).isFalse();
        assertThat(oct.projectedUsd()).isNotNull();
        assertThat(oct.apiCalls()).isEqualTo(7);
    }

    @Test
    void month_over_month_compares_the_closed_total_with_the_open_projection() throws Exception {
        CostReport r = cost(AS_OF);
        MonthOverMonth m = r.monthOverMonth();
        MonthCost oct = month(r, "2026-10");
        MonthCost nov = month(r, "2026-11");
        assertThat(m.from()).isEqualTo("2026-10");
        assertThat(m.to()).isEqualTo("2026-11");
        assertThat(m.fromBasis()).isEqualTo("totalUsd");
        assertThat(m.toBasis()).isEqualTo("projectedUsd");
        assertThat(m.fromUsd()).isEqualTo(oct.totalUsd());
        assertThat(m.toUsd()).isEqualTo(nov.projectedUsd());
        assertThat(m.changeUsd()).isEqualByComparingTo(nov.projectedUsd().subtract(oct.totalUsd()));
        // old/db is gone in November: it moves from $0.1000025 to 0
        assertThat(m.secrets())
                .filteredOn(s -> s.key().equals(GONE))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.fromUsd()).isEqualByComparingTo("0.1000025");
                    assertThat(s.toUsd()).isEqualByComparingTo("0");
                });
        assertThat(m.accounts()).extracting(MonthOverMonth.Mover::key).containsExactly("123456789012");
    }

    @Test
    void calls_split_by_a_batch_still_add_up_to_the_attributed_calls() throws Exception {
        MonthCost oct = month(cost(AS_OF), "2026-10");
        BigDecimal attributed =
                oct.bySecret().stream().map(MonthCost.Line::calls).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(attributed.add(BigDecimal.valueOf(oct.unattributedCalls())))
                .isEqualByComparingTo(BigDecimal.valueOf(oct.apiCalls()));
    }
}
