package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.Saving;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §1: only secrets that exist are billed. A name never confirmed to exist keeps its calls, errors and
 * principals in the report, says {@code exists} false (an inventory covers its account and region) or null (none
 * does), and bears no storage, no unused-secret alert and no saving; its calls are unattributed calls, so the
 * totals still add up. An inventory tombstone ends a secret's billed interval without losing its row.
 */
class ExistingSecretsBilledTest extends RuleTestBase {
    /** The typo of {@link #DB} that three denied reads name: its key is the partial ARN, never confirmed. */
    static final String TYPO = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/dbb";

    private Report report(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(Map.of())).build(asOf, 0, 0, 0, false);
        }
    }

    private static Report.SecretSummary secret(Report r, String arn) {
        return r.secrets().stream().filter(s -> s.arn().equals(arn)).findFirst().orElseThrow();
    }

    /** An inventoried, unused DB (its own unused-secret alert and saving) and three denied reads of its typo. */
    private void unusedDbAndThreeDeniedReadsOfATypo() throws Exception {
        fx.inventory(DB, null, false, daysAgo(200), null, null, null, null);
        fx.historyFrom("us-east-1", daysAgo(100));
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(3))
                        .by("prober")
                        .secret("prod/dbb")
                        .error("AccessDeniedException", "not authorized")
                        .json(),
                fx.call("GetSecretValue", daysAgo(2))
                        .by("prober")
                        .secret("prod/dbb")
                        .error("AccessDeniedException", "not authorized")
                        .json(),
                fx.call("GetSecretValue", daysAgo(1))
                        .by("prober")
                        .secret("prod/dbb")
                        .error("AccessDeniedException", "not authorized")
                        .json()));
    }

    private static void typoIsListedButCostsNothing(Report r) {
        Report.SecretSummary typo = secret(r, TYPO);
        assertThat(typo.resolved()).isFalse();
        assertThat(typo.calls()).isEqualTo(3);
        assertThat(typo.errors()).isEqualTo(3);
        assertThat(typo.principals()).isEqualTo(1);
        assertThat(typo.cost().monthToDateUsd()).hasToString("0.00");
        assertThat(typo.cost().projectedUsd()).hasToString("0.00");
        assertThat(typo.cost().calls()).isZero();
        // only DB's storage: 0.40 x 492 h / 720 h to date, 0.40 projected (no $0.40 for the typo)
        assertThat(r.cost().secretsMonthToDateUsd()).hasToString("0.27");
        assertThat(r.cost().secretsProjectedUsd()).hasToString("0.40");
        // its calls are real, billed calls: unattributed, so the totals add up
        assertThat(r.cost().apiCallsMonthToDate())
                .as("historyFrom's ListSecrets is of August")
                .isEqualTo(3);
        assertThat(r.unattributedCalls())
                .as("the three reads and historyFrom's ListSecrets")
                .isEqualTo(4);
        assertThat(r.alerts())
                .filteredOn(f -> f.rule().equals("unused-secret"))
                .extracting(Finding::resource)
                .containsExactly(DB);
        assertThat(r.cost().savings())
                .filteredOn(s -> s.kind().equals("delete-unused"))
                .extracting(Saving::resource)
                .containsExactly(DB);
        assertThat(secret(r, DB).exists()).isTrue();
    }

    @Test
    void three_denied_reads_of_a_typo_where_the_inventory_covers_the_region_do_not_exist_and_bear_no_cost()
            throws Exception {
        unusedDbAndThreeDeniedReadsOfATypo();
        fx.coverage("us-east-1");
        Report r = report(AS_OF);
        assertThat(secret(r, TYPO).exists()).isFalse();
        typoIsListedButCostsNothing(r);
    }

    @Test
    void three_denied_reads_of_a_typo_where_no_inventory_covers_the_region_are_unknown_and_bear_no_cost()
            throws Exception {
        unusedDbAndThreeDeniedReadsOfATypo();
        fx.coverage("eu-west-1"); // another region of the account: says nothing of us-east-1
        Report r = report(AS_OF);
        assertThat(secret(r, TYPO).exists()).isNull();
        typoIsListedButCostsNothing(r);
    }

    @Test
    void a_name_confirmed_by_a_later_successful_read_is_billed_storage_from_that_read() throws Exception {
        String app = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/new";
        Instant denied = Instant.parse("2026-11-03T00:00:00Z");
        Instant read = Instant.parse("2026-11-11T00:00:00Z");
        fx.events(List.of(
                fx.call("GetSecretValue", denied)
                        .secret("app/new")
                        .error("AccessDeniedException", "not authorized")
                        .json(),
                fx.call("GetSecretValue", read).secret("app/new").json()));

        Report before = report(Instant.parse("2026-11-10T23:00:00Z"));
        assertThat(secret(before, app).exists())
                .as("before the read: not known to exist")
                .isNull();
        assertThat(secret(before, app).cost().projectedUsd()).hasToString("0.00");
        assertThat(before.unattributedCalls()).isEqualTo(1);

        Report r = report(AS_OF);
        assertThat(secret(r, app).exists()).isTrue();
        // storage from the read: 0.40 x 252 h / 720 h = 0.14 to date, 0.40 x 480 h / 720 h = 0.2667 projected
        assertThat(secret(r, app).cost().monthToDateUsd()).hasToString("0.14");
        assertThat(secret(r, app).cost().projectedUsd()).hasToString("0.27");
        assertThat(r.cost().secretsMonthToDateUsd()).hasToString("0.14");
        // once it exists its earlier, denied call is its own too: nothing unattributed
        assertThat(secret(r, app).cost().calls()).isEqualTo(2);
        assertThat(r.unattributedCalls()).isZero();
    }

    @Test
    void a_batch_listing_an_existing_secret_and_a_typo_is_attributed_whole_to_the_existing_one() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, null);
        fx.coverage("us-east-1");
        fx.events(List.of(fx.call("BatchGetSecretValue", daysAgo(1))
                .params("{\"secretIdList\":[\"" + DB + "\",\"prod/dbb\"]}")
                .json()));
        Report r = report(AS_OF);
        assertThat(secret(r, TYPO).exists())
                .as("a successful batch does not confirm what it lists")
                .isFalse();
        assertThat(r.cost().bySecret().get(DB).calls()).isEqualTo(1);
        assertThat(r.cost().apiCallsMonthToDate()).isEqualTo(1);
        assertThat(r.unattributedCalls()).isZero();
    }

    @Test
    void a_tombstone_ends_the_billed_interval_and_keeps_the_row_for_an_earlier_month() throws Exception {
        String purged = arn("us-east-1", "old/cache");
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, null);
        fx.inventory(purged, null, true, daysAgo(200), null, null, null, null);
        fx.gone(purged, Instant.parse("2026-11-11T00:00:00Z"));

        Report r = report(AS_OF);
        assertThat(secret(r, purged).exists()).isTrue();
        assertThat(secret(r, purged).name()).as("still its inventory entry").isEqualTo("old/cache");
        // 240 h of 720 at $0.40, to date and projected alike; DB runs on
        assertThat(r.cost().bySecret().get(purged).monthToDateUsd()).hasToString("0.13");
        assertThat(r.cost().bySecret().get(purged).projectedUsd()).hasToString("0.13");
        assertThat(r.cost().bySecret().get(DB).projectedUsd()).hasToString("0.40");
        assertThat(r.alerts()).extracting(Finding::resource).doesNotContain(purged);

        Report october = report(Instant.parse("2026-10-31T12:00:00Z"));
        CostReport.Line line = october.cost().bySecret().get(purged);
        assertThat(line).as("a closed month still bills the purged secret").isNotNull();
        assertThat(line.projectedUsd()).hasToString("0.40");
        assertThat(october.cost().byTag())
                .singleElement()
                .satisfies(l -> assertThat(l.projectedUsd()).hasToString("0.80"));

        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM inventory")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the tombstone deleted no row").isEqualTo(2);
        }
    }

    @Test
    void a_secret_listed_again_after_a_tombstone_is_billed_on() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, null);
        fx.gone(DB, Instant.parse("2026-11-11T00:00:00Z"));
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, null);
        assertThat(report(AS_OF).cost().bySecret().get(DB).projectedUsd()).hasToString("0.40");
    }
}
