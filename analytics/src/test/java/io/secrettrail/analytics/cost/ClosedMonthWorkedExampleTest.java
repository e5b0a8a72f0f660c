package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, Tests: the closed-month worked example. October 2026 seen from asOf 2026-11-21T12:00Z, every figure of
 * its {@code cost.months[]} entry computed by hand below at AWS's prices (the defaults): $0.40 a secret-month
 * prorated by the hour, $0.05 per 10,000 API calls ($0.000005 a call), KMS $0.03 per 10,000 requests ($0.000003 a
 * request, AWS managed keys too), $1.00 a customer managed key-month, 20,000 free KMS requests a month per account.
 *
 * <p>The data (account 123456789012; the inventory covers us-east-1):
 *
 * <ul>
 *   <li>prod/db in us-east-1 with a replica in eu-west-1, both created long before October;
 *   <li>old/db, created long before, deleted by a DeleteSecret at 2026-10-12T15:00Z;
 *   <li>team/a, team/b and team/c, listed with the customer managed key CMK as their KmsKeyId;
 *   <li>prod/dbb, a name never confirmed (no listing, no successful call) in the covered us-east-1.
 * </ul>
 *
 * <p>Secrets Manager calls in October (role app unless said): 4 GetSecretValue of prod/db, 2 of team/a, 1 of old/db
 * before its deletion and the DeleteSecret itself, 1 GetSecretValue of prod/dbb by role prober, refused. KMS
 * requests Secrets Manager made in October: team/a 3 and team/b 1 (the last second of the month) through CMK,
 * prod/db 2 through the AWS managed key of us-east-1, the replica 1 through eu-west-1's. In November (outside the
 * month): a read of prod/db and a KMS request of team/a at the first second.
 *
 * <p>By hand, October has 31 days = 744 hours:
 *
 * <ul>
 *   <li>storage: prod/db, its replica, team/a, team/b, team/c billed all 744 h: 5 x 0.40 = 2.00; old/db from Oct 1
 *       00:00 to Oct 12 15:00 = 11 days 15 h = 279 h: 0.40 x 279 / 744 = 0.15. {@code secretsUsd} = 2.15;
 *   <li>calls: 4 + 2 + 2 + 1 = 9 ({@code apiCalls}), 9 x 0.000005 = 0.000045 ({@code apiCallsUsd}); the refused
 *       call of prod/dbb names no existing secret: {@code unattributedCalls} 1, {@code unattributedUsd} 0.000005;
 *       the KMS requests are not Secrets Manager calls or events: {@code events} 9;
 *   <li>KMS: 3 + 1 + 2 + 1 = 7 requests ({@code kmsRequests}), 7 x 0.000003 = 0.000021; CMK exists the whole month,
 *       1.00 x 744 / 744 = 1.00, shared by team/a, team/b and team/c (team/c made no request but is listed with the
 *       key and billed in October): 1/3 each to 20 digits, team/c (last in ARN order) the remainder 1 - 2 x 1/3.
 *       {@code kmsUsd} = 0.000021 + 1.00 = 1.000021 (before the free tier);
 *   <li>free tier: 7 requests is under 20,000, so all of the request cost comes off: {@code kmsFreeTierUsd}
 *       0.000021, shown apart (the key fee is not a request: it stays);
 *   <li>{@code totalUsd} = 2.15 + 0.000045 + 1.000021 = 3.150066, before the free tier; after it 3.150045.
 * </ul>
 *
 * <p>Per secret ({@code usd} is Secrets Manager's, {@code kmsUsd} apart), in ARN order (eu-west-1 first):
 *
 * <ul>
 *   <li>replica of prod/db: 0 calls, 0.40; 1 KMS request, 0.000003;
 *   <li>old/db: 2 calls, 0.15 + 0.00001 = 0.15001; no KMS request, 0;
 *   <li>prod/db: 4 calls, 0.40 + 0.00002 = 0.40002; 2 KMS requests, 0.000006 (the AWS managed key bears no fee);
 *   <li>team/a: 2 calls, 0.40 + 0.00001 = 0.40001; 3 KMS requests, 1/3 + 0.000009;
 *   <li>team/b: 0 calls, 0.40; 1 KMS request, 1/3 + 0.000003;
 *   <li>team/c: 0 calls, 0.40; 0 KMS requests, 1 - 2 x 1/3;
 *   <li>prod/dbb: no storage, no attributed call, no KMS: no line.
 * </ul>
 *
 * Their calls add up to 8 attributed + 1 unattributed = 9, their usd to 2.15 + 0.00004 = 2.15004 (the unattributed
 * 0.000005 making the month's 2.150045), their kmsUsd to 1.000021. Per region: eu-west-1 0.40 (KMS 1 request,
 * 0.000003); us-east-1 8 calls, 1.75 + 0.00004 = 1.75004 (KMS 6 requests, 1.000018).
 */
class ClosedMonthWorkedExampleTest extends RuleTestBase {
    static final Instant LONG_AGO = Instant.parse("2025-01-01T00:00:00Z");
    static final String REPLICA = arn("eu-west-1", "prod/db");
    static final String GONE = arn("us-east-1", "old/db");
    static final String A = arn("us-east-1", "team/a");
    static final String B = arn("us-east-1", "team/b");
    static final String C = arn("us-east-1", "team/c");
    static final String PHANTOM = arn("us-east-1", "prod/dbb");
    static final String CMK = "arn:aws:kms:us-east-1:123456789012:key/cmk-1";
    static final String AWS_KEY_US = "arn:aws:kms:us-east-1:123456789012:key/aws-secretsmanager";
    static final String AWS_KEY_EU = "arn:aws:kms:eu-west-1:123456789012:key/aws-secretsmanager";
    static final Instant DELETED = Instant.parse("2026-10-12T15:00:00Z");

    /** 1/3 to the 20 significant digits money is computed with. */
    static final BigDecimal THIRD = BigDecimal.ONE.divide(BigDecimal.valueOf(3), Prices.MC);

    @BeforeEach
    void october() throws Exception {
        fx.coverage("us-east-1");
        fx.inventory(DB, "us-east-1", false, LONG_AGO, null, null, null, null);
        fx.inventory(REPLICA, "us-east-1", false, LONG_AGO, null, null, null, null);
        fx.inventory(GONE, "us-east-1", false, LONG_AGO, null, null, null, null);
        String cmk = "{\"KmsKeyId\":\"" + CMK + "\"}";
        fx.inventory(A, LONG_AGO, cmk);
        fx.inventory(B, LONG_AGO, cmk);
        fx.inventory(C, LONG_AGO, cmk);
        fx.apiCalls(
                "GetSecretValue",
                DB,
                List.of(
                        Instant.parse("2026-10-01T00:00:00Z"),
                        Instant.parse("2026-10-09T08:00:00Z"),
                        Instant.parse("2026-10-20T12:00:00Z"),
                        Instant.parse("2026-10-31T23:59:59Z")));
        fx.apiCalls(
                "GetSecretValue",
                A,
                List.of(Instant.parse("2026-10-02T10:00:00Z"), Instant.parse("2026-10-03T10:00:00Z")));
        fx.events(List.of(
                fx.call("GetSecretValue", Instant.parse("2026-10-05T10:00:00Z"))
                        .secret(GONE)
                        .json(),
                fx.call("DeleteSecret", DELETED).secret(GONE).json(),
                fx.call("GetSecretValue", Instant.parse("2026-10-14T03:00:00Z"))
                        .by("prober")
                        .secret(PHANTOM)
                        .error(
                                "AccessDeniedException",
                                "User: arn:aws:sts::123456789012:assumed-role/prober/i-0abc is not authorized to"
                                        + " perform: secretsmanager:GetSecretValue")
                        .json(),
                KmsEvents.decrypt("k-a1", Instant.parse("2026-10-02T10:00:00Z"), A, CMK),
                KmsEvents.decrypt("k-a2", Instant.parse("2026-10-03T10:00:00Z"), A, CMK),
                KmsEvents.decrypt("k-a3", Instant.parse("2026-10-16T10:00:00Z"), A, CMK),
                KmsEvents.decrypt("k-b1", Instant.parse("2026-10-31T23:59:59Z"), B, CMK),
                KmsEvents.decrypt("k-db1", Instant.parse("2026-10-01T00:00:00Z"), DB, AWS_KEY_US),
                KmsEvents.decrypt("k-db2", Instant.parse("2026-10-09T08:00:00Z"), DB, AWS_KEY_US),
                KmsEvents.decrypt("k-r1", Instant.parse("2026-10-21T06:00:00Z"), REPLICA, AWS_KEY_EU),
                // November: outside the month
                KmsEvents.decrypt("k-a4", Instant.parse("2026-11-01T00:00:00Z"), A, CMK)));
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-11-01T00:00:00Z"), null);
    }

    private MonthCost october(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(Prices.aws())
                    .compute(Snapshot.at(c, asOf)).months().stream()
                            .filter(m -> m.month().equals("2026-10"))
                            .findFirst()
                            .orElseThrow();
        }
    }

    private static MonthCost.Line line(List<MonthCost.Line> lines, String key) {
        return lines.stream()
                .filter(l -> l.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + key));
    }

    @Test
    void every_figure_of_the_closed_month_is_the_one_computed_by_hand() throws Exception {
        MonthCost oct = october(AS_OF);
        assertThat(oct.closed()).isTrue();
        assertThat(oct.events()).isEqualTo(9);
        assertThat(oct.secretsUsd()).isEqualByComparingTo("2.15");
        assertThat(oct.apiCalls()).isEqualTo(9);
        assertThat(oct.apiCallsUsd()).isEqualByComparingTo("0.000045");
        assertThat(oct.unattributedCalls()).isEqualTo(1);
        assertThat(oct.unattributedUsd()).isEqualByComparingTo("0.000005");
        assertThat(oct.kmsRequests()).isEqualTo(7L);
        assertThat(oct.kmsUsd()).isEqualByComparingTo("1.000021");
        assertThat(oct.kms().requestsUsd()).isEqualByComparingTo("0.000021");
        assertThat(oct.kms().keyFeesUsd()).isEqualByComparingTo("1.00");
        assertThat(oct.kmsFreeTierUsd()).isEqualByComparingTo("0.000021");
        assertThat(oct.totalUsd()).isEqualByComparingTo("3.150066");
        assertThat(oct.totalUsd().subtract(oct.kmsFreeTierUsd())).isEqualByComparingTo("3.150045");
        // a closed month has no projection
        assertThat(oct.projectedUsd()).isNull();
        assertThat(oct.secretsProjectedUsd()).isNull();
        assertThat(oct.apiCallsProjected()).isNull();
        assertThat(oct.apiCallsProjectedUsd()).isNull();
        assertThat(oct.kmsProjectedUsd()).isNull();
    }

    @Test
    void each_secret_bears_its_storage_calls_kms_requests_and_share_of_the_key_fee() throws Exception {
        MonthCost oct = october(AS_OF);
        assertThat(oct.bySecret()).extracting(MonthCost.Line::key).containsExactly(REPLICA, GONE, DB, A, B, C);
        assertLine(line(oct.bySecret(), REPLICA), "0", "0.40", 1, new BigDecimal("0.000003"));
        assertLine(line(oct.bySecret(), GONE), "2", "0.15001", 0, BigDecimal.ZERO);
        assertLine(line(oct.bySecret(), DB), "4", "0.40002", 2, new BigDecimal("0.000006"));
        assertLine(line(oct.bySecret(), A), "2", "0.40001", 3, THIRD.add(new BigDecimal("0.000009")));
        assertLine(line(oct.bySecret(), B), "0", "0.40", 1, THIRD.add(new BigDecimal("0.000003")));
        assertLine(
                line(oct.bySecret(), C),
                "0",
                "0.40",
                0,
                BigDecimal.ONE.subtract(THIRD).subtract(THIRD));
        // the three shares of the key's fee add up to the fee exactly
        assertThat(oct.kms()
                        .bySecret()
                        .get(A)
                        .keyFeeUsd()
                        .add(oct.kms().bySecret().get(B).keyFeeUsd())
                        .add(oct.kms().bySecret().get(C).keyFeeUsd()))
                .isEqualByComparingTo("1.00");
        assertThat(oct.kms().bySecret().get(C).key()).isEqualTo(CMK);
        assertThat(oct.kms().bySecret().get(DB).key()).isEqualTo(AWS_KEY_US);
    }

    @Test
    void the_lines_add_up_to_the_month_and_the_phantom_name_has_none() throws Exception {
        MonthCost oct = october(AS_OF);
        assertThat(oct.bySecret()).extracting(MonthCost.Line::key).doesNotContain(PHANTOM);
        BigDecimal calls = BigDecimal.ZERO;
        BigDecimal usd = BigDecimal.ZERO;
        BigDecimal kmsUsd = BigDecimal.ZERO;
        long kmsRequests = 0;
        for (MonthCost.Line l : oct.bySecret()) {
            calls = calls.add(l.calls());
            usd = usd.add(l.usd());
            kmsUsd = kmsUsd.add(l.kmsUsd());
            kmsRequests += l.kmsRequests();
        }
        assertThat(calls).isEqualByComparingTo("8");
        assertThat(usd).isEqualByComparingTo("2.15004");
        assertThat(kmsUsd).isEqualByComparingTo("1.000021");
        assertThat(kmsRequests).isEqualTo(7);
        // the prober's refused call is billed, but in no secret's line
        assertThat(oct.byPrincipal())
                .filteredOn(l -> l.key().endsWith(":role/prober"))
                .singleElement()
                .satisfies(l -> assertThat(l.calls()).isEqualByComparingTo("1"));

        assertRegion(line(oct.byRegion(), "eu-west-1"), "0", "0.40", 1, "0.000003");
        assertRegion(line(oct.byRegion(), "us-east-1"), "8", "1.75004", 6, "1.000018");
    }

    @Test
    void the_month_is_the_same_seen_from_the_exact_end_of_october() throws Exception {
        // at asOf = Nov 1 00:00 October is closed; its last second is in, November's first is not
        MonthCost oct = october(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(oct.closed()).isTrue();
        assertThat(oct.apiCalls()).isEqualTo(9);
        assertThat(oct.kmsRequests()).isEqualTo(7L);
        assertThat(oct.totalUsd()).isEqualByComparingTo("3.150066");
    }

    private static void assertLine(MonthCost.Line l, String calls, String usd, long kmsRequests, BigDecimal kmsUsd) {
        assertThat(l.calls()).as(l.key() + " calls").isEqualByComparingTo(calls);
        assertThat(l.usd()).as(l.key() + " usd").isEqualByComparingTo(usd);
        assertThat(l.projectedUsd())
                .as(l.key() + " projection in a closed month")
                .isNull();
        assertThat(l.kmsRequests()).as(l.key() + " KMS requests").isEqualTo(kmsRequests);
        assertThat(l.kmsUsd()).as(l.key() + " KMS usd").isEqualByComparingTo(kmsUsd);
        assertThat(l.kmsProjectedUsd())
                .as(l.key() + " KMS projection in a closed month")
                .isNull();
    }

    private static void assertRegion(MonthCost.Line l, String calls, String usd, long kmsRequests, String kmsUsd) {
        assertThat(l.calls()).as(l.key() + " calls").isEqualByComparingTo(calls);
        assertThat(l.usd()).as(l.key() + " usd").isEqualByComparingTo(usd);
        assertThat(l.kmsRequests()).as(l.key() + " KMS requests").isEqualTo(kmsRequests);
        assertThat(l.kmsUsd()).as(l.key() + " KMS usd").isEqualByComparingTo(kmsUsd);
    }
}
