package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostServiceTest extends RuleTestBase {
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");

    private CostReport cost(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(Prices.aws()).compute(Snapshot.at(c, asOf));
        }
    }

    private CostReport cost(Instant asOf, boolean batchEntriesBilled) throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(Prices.aws(), batchEntriesBilled).compute(Snapshot.at(c, asOf));
        }
    }

    /** A batch of 3 with its 3 generated entries in the same second, and a direct read of A by another client. */
    private List<String> batchOfThree() throws Exception {
        Instant t = AS_OF.minus(Duration.ofHours(1));
        String a = arn("us-east-1", "app/a");
        String b = arn("us-east-1", "app/b");
        String c = arn("us-east-1", "app/c");
        fx.events(List.of(
                fx.call("BatchGetSecretValue", t)
                        .params("{\"secretIdList\":[\"" + a + "\",\"" + b + "\",\"" + c + "\"]}")
                        .json(),
                fx.call("GetSecretValue", t).secret(a).json(),
                fx.call("GetSecretValue", t).secret(b).json(),
                fx.call("GetSecretValue", t).secret(c).json()));
        return List.of(a, b, c);
    }

    @Test
    void a_batch_is_billed_once_and_its_generated_entries_not_by_default() throws Exception {
        List<String> abc = batchOfThree();
        CostReport r = cost(AS_OF, false);
        assertThat(r.apiCallsMonthToDate()).isEqualTo(1);
        assertThat(r.topPrincipals())
                .singleElement()
                .satisfies(l -> assertThat(l.calls()).isEqualTo(1));
        // one call split 1/3 over its three secrets, each rounding to 0 whole calls
        assertThat(abc).allSatisfy(a -> assertThat(r.bySecret().get(a).calls()).isZero());
        assertThat(r.assumptions()).isEqualTo(new CostReport.Assumptions(false, 5, KmsCost.assumptions()));
        assertThat(cost(AS_OF).apiCallsMonthToDate()).as("the default").isEqualTo(1);
    }

    @Test
    void with_batch_entries_billed_a_batch_of_three_is_four_calls() throws Exception {
        List<String> abc = batchOfThree();
        CostReport r = cost(AS_OF, true);
        assertThat(r.apiCallsMonthToDate()).isEqualTo(4);
        assertThat(r.topPrincipals())
                .singleElement()
                .satisfies(l -> assertThat(l.calls()).isEqualTo(4));
        assertThat(abc).allSatisfy(a -> assertThat(r.bySecret().get(a).calls()).isEqualTo(1)); // 1 + 1/3
        assertThat(r.assumptions().batchEntriesBilled()).isTrue();
    }

    @Test
    void a_direct_read_by_another_ip_in_the_batch_second_is_billed_either_way() throws Exception {
        List<String> abc = batchOfThree();
        fx.events(List.of(fx.call("GetSecretValue", AS_OF.minus(Duration.ofHours(1)))
                .from("10.7.7.7")
                .secret(abc.get(0))
                .json()));
        assertThat(cost(AS_OF, false).apiCallsMonthToDate()).isEqualTo(2);
        assertThat(cost(AS_OF, true).apiCallsMonthToDate()).isEqualTo(5);
        assertThat(cost(AS_OF, false).bySecret().get(abc.get(0)).calls()).isEqualTo(1);
    }

    @Test
    void storage_is_prorated_to_date_and_projected_to_month_end() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        CostReport r = cost(AS_OF);
        assertThat(r.month()).isEqualTo("2026-11");
        assertThat(r.secretsMonthToDateUsd()).hasToString("0.27"); // 0.40 x 492 h / 720 h
        assertThat(r.secretsProjectedUsd()).hasToString("0.40");
        assertThat(r.bySecret().get(DB).projectedUsd()).hasToString("0.40");
    }

    @Test
    void a_replica_is_a_billed_secret_of_its_own() throws Exception {
        fx.inventory(DB, "us-east-1", true, OLD, null, null, null, null);
        fx.inventory(arn("eu-west-1", "prod/db"), "us-east-1", false, OLD, null, null, null, null);
        CostReport r = cost(AS_OF);
        assertThat(r.secretsProjectedUsd()).hasToString("0.80");
        assertThat(r.byRegion()).extracting(CostReport.Line::key).containsExactlyInAnyOrder("eu-west-1", "us-east-1");
    }

    @Test
    void failed_calls_are_billed_and_service_events_are_not() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        fx.apiCall("GetSecretValue", DB, AS_OF.minus(Duration.ofDays(1)), null);
        fx.apiCall("GetSecretValue", DB, AS_OF.minus(Duration.ofDays(2)), "AccessDenied");
        fx.apiCall("DescribeSecret", DB, AS_OF.minus(Duration.ofDays(3)), null);
        fx.serviceEvent("RotationStarted", DB, AS_OF.minus(Duration.ofDays(4)), null);
        fx.serviceEvent("RotationSucceeded", DB, AS_OF.minus(Duration.ofDays(4)), null);
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-10-31T23:59:59Z"), null); // last month
        CostReport r = cost(AS_OF);
        assertThat(r.apiCallsMonthToDate()).isEqualTo(3);
        assertThat(r.bySecret().get(DB).calls()).isEqualTo(3);
        assertThat(r.topPrincipals()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("arn:aws:iam::123456789012:role/app");
            assertThat(l.calls()).isEqualTo(3);
        });
    }

    @Test
    void calls_are_projected_from_the_last_seven_days_rate() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        for (int i = 0; i < 6; i++) {
            fx.apiCall(
                    "GetSecretValue", DB, Instant.parse("2026-11-02T00:00:00Z").plusSeconds(i), null);
        }
        for (int i = 0; i < 14; i++) {
            fx.apiCall("GetSecretValue", DB, AS_OF.minus(Duration.ofHours(12 * i + 1)), null);
        }
        CostReport r = cost(AS_OF);
        // 20 to date; 14 in the last 168 h; 228 h left: 20 + 14 x 228 / 168 = 39
        assertThat(r.apiCallsMonthToDate()).isEqualTo(20);
        assertThat(r.apiCallsProjected()).isEqualTo(39);
    }

    @Test
    void a_secret_deleted_by_event_stops_costing_at_its_deletion() throws Exception {
        String gone = arn("us-east-1", "old/db");
        // outside the inventory, storage is billed from the first event that shows the secret exists (issue 15):
        // a read in October, so from the month start
        fx.apiCall("GetSecretValue", gone, Instant.parse("2026-10-20T00:00:00Z"), null);
        fx.apiCall("DeleteSecret", gone, Instant.parse("2026-11-11T00:00:00Z"), null);
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        CostReport r = cost(AS_OF);
        assertThat(r.bySecret().get(gone).monthToDateUsd()).hasToString("0.13"); // 240 h of 720
        assertThat(r.bySecret().get(gone).projectedUsd()).hasToString("0.13");
    }

    @Test
    void tags_attribute_cost_for_chargeback() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        fx.inventory(arn("us-east-1", "prod/cache"), null, true, OLD, null, null, null, null);
        CostReport r = cost(AS_OF);
        assertThat(r.byTag()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("team=payments");
            assertThat(l.projectedUsd()).hasToString("0.80");
        });
        assertThat(r.byAccount())
                .singleElement()
                .satisfies(l -> assertThat(l.key()).isEqualTo("123456789012"));
    }
}
