package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §2: the KMS cost of a month. Requests at the request price of their region (AWS managed keys too), a
 * customer managed key's fee shared among the secrets using it, the free tier an account-level line.
 */
class KmsCostTest extends RuleTestBase {
    static final String CMK = "arn:aws:kms:us-east-1:123456789012:key/cmk-1";
    static final String AWS_KEY = "arn:aws:kms:us-east-1:123456789012:key/aws-secretsmanager";
    static final String A = arn("us-east-1", "team/a");
    static final String B = arn("us-east-1", "team/b");
    static final String C = arn("us-east-1", "team/c");
    static final String D = arn("us-east-1", "team/d");
    static final String E = arn("eu-west-1", "team/e");
    static final Month OCTOBER = Month.of(Instant.parse("2026-10-15T00:00:00Z"));

    private static Instant oct(int day) {
        return Instant.parse("2026-10-%02dT10:00:00Z".formatted(day));
    }

    /**
     * A, B and C are listed with the customer managed key CMK; D without a KmsKeyId (aws/secretsmanager), E the same
     * in eu-west-1. October's KMS requests: A 3, B 1, C none, D 2, E 2; one more of A in November.
     */
    private void threeSecretsShareACustomerKey() throws Exception {
        String cmk = "{\"KmsKeyId\":\"" + CMK + "\"}";
        fx.inventory(A, daysAgo(400), cmk);
        fx.inventory(B, daysAgo(400), cmk);
        fx.inventory(C, daysAgo(400), cmk);
        fx.inventory(D, daysAgo(400), "{}");
        fx.inventory(E, daysAgo(400), "{}");
        String ew1Key = "arn:aws:kms:eu-west-1:123456789012:key/aws-secretsmanager";
        fx.events(List.of(
                KmsEvents.decrypt("a1", oct(2), A, CMK),
                KmsEvents.decrypt("a2", oct(3), A, CMK),
                KmsEvents.decrypt("a3", oct(31), A, CMK),
                KmsEvents.decrypt("b1", oct(4), B, CMK),
                KmsEvents.decrypt("d1", oct(5), D, AWS_KEY),
                KmsEvents.decrypt("d2", oct(6), D, AWS_KEY),
                KmsEvents.decrypt("e1", oct(7), E, ew1Key),
                KmsEvents.decrypt("e2", oct(8), E, ew1Key),
                KmsEvents.decrypt("a4", Instant.parse("2026-11-02T00:00:00Z"), A, CMK)));
    }

    /** AWS's prices but the free requests, and these regional ones. */
    private static Prices prices(long freeRequests, Map<String, Map<String, BigDecimal>> regions) {
        Prices aws = Prices.aws();
        return new Prices(
                aws.secretMonthUsd(),
                aws.per10kCallsUsd(),
                aws.kmsPer10kRequestsUsd(),
                aws.kmsKeyMonthUsd(),
                freeRequests,
                regions);
    }

    private KmsMonth october(Prices prices) throws Exception {
        try (Connection c = fx.reader()) {
            KmsKeys keys = KmsKeys.at(c, OCTOBER.end());
            return new KmsCost(prices).of(c, keys, OCTOBER.start(), OCTOBER.end(), OCTOBER);
        }
    }

    /** October as the cost model's months give it (KMS beside the Secrets Manager lines). */
    private MonthCost octoberMonth() throws Exception {
        try (Connection c = fx.reader()) {
            return new CostService(Prices.aws())
                    .compute(io.secrettrail.analytics.snapshot.Snapshot.at(c, AS_OF)).months().stream()
                            .filter(x -> x.month().equals("2026-10"))
                            .findFirst()
                            .orElseThrow();
        }
    }

    @Test
    void a_customer_key_shared_by_three_secrets_aws_managed_requests_and_the_free_tier_line() throws Exception {
        threeSecretsShareACustomerKey();
        // 4 free requests a month, so that the free tier takes off part of the requests
        Prices prices = prices(4, Map.of());
        KmsMonth m = october(prices);
        // By hand. October has 744 hours; the key exists the whole month: 1.00 x 744 / 744 = 1.00, split over A, B
        // and C (C made no request but is listed with the key and billed in October): 1/3 each (to 20 digits, C
        // taking the remainder).
        // Requests: A 3 (the November one is outside), B 1, D 2, E 2 = 8, each 0.03 / 10,000 = 0.000003:
        // 0.000024 (D's and E's to the AWS managed key are charged too).
        // Free tier: 4 of the account's 8 requests, at its average price 0.000003: 0.000012.
        // Total: 0.000024 + 1.00 - 0.000012 = 1.000012.
        assertThat(m.requests()).isEqualTo(8);
        assertThat(m.requestsUsd()).isEqualByComparingTo("0.000024");
        assertThat(m.keyFeesUsd()).isEqualByComparingTo("1.00");
        assertThat(m.freeTierUsd()).isEqualByComparingTo("0.000012");
        assertThat(m.totalUsd()).isEqualByComparingTo("1.000012");
        BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), Prices.MC);
        assertThat(m.bySecret().get(A).requests()).isEqualTo(3);
        assertThat(m.bySecret().get(A).usd()).isEqualByComparingTo(third.add(new BigDecimal("0.000009")));
        assertThat(m.bySecret().get(B).usd()).isEqualByComparingTo(third.add(new BigDecimal("0.000003")));
        assertThat(m.bySecret().get(C).requests()).isZero();
        // the last of the three takes the rounding remainder: the shares add up to the fee exactly
        assertThat(m.bySecret().get(C).usd())
                .isEqualByComparingTo(BigDecimal.ONE.subtract(third).subtract(third));
        // the AWS managed key bears no fee: D pays its requests only
        assertThat(m.bySecret().get(D).usd()).isEqualByComparingTo("0.000006");
        assertThat(m.bySecret().get(D).key()).isEqualTo(AWS_KEY);
        // the free tier is the account's line, never spread over secrets
        BigDecimal secretsSum =
                m.bySecret().values().stream().map(KmsMonth.Secret::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(secretsSum).isEqualByComparingTo(m.requestsUsd().add(m.keyFeesUsd()));
        assertThat(m.byAccount()).containsOnlyKeys("123456789012");
        KmsMonth.Account acc = m.byAccount().get("123456789012");
        assertThat(acc.freeTierUsd()).isEqualByComparingTo("0.000012");
        assertThat(acc.totalUsd()).isEqualByComparingTo(m.totalUsd());
    }

    @Test
    void with_the_default_free_tier_requests_under_20000_cost_nothing_but_the_key_fee_remains() throws Exception {
        threeSecretsShareACustomerKey();
        KmsMonth m = october(Prices.aws());
        assertThat(m.freeTierUsd()).isEqualByComparingTo(m.requestsUsd());
        assertThat(m.totalUsd()).isEqualByComparingTo("1.00");
    }

    @Test
    void a_region_with_its_own_kms_prices_charges_its_requests_and_keys_at_them() throws Exception {
        threeSecretsShareACustomerKey();
        Prices prices = prices(
                0,
                Map.of(
                        "eu-west-1",
                        Map.of("kmsPer10kRequestsUsd", new BigDecimal("0.06")),
                        "us-east-1",
                        Map.of("kmsKeyMonthUsd", new BigDecimal("1.50"))));
        KmsMonth m = october(prices);
        // E's 2 eu-west-1 requests at 0.06 / 10,000: 0.000012; the 6 us-east-1 ones at 0.03: 0.000018
        assertThat(m.bySecret().get(E).usd()).isEqualByComparingTo("0.000012");
        assertThat(m.requestsUsd()).isEqualByComparingTo("0.000030");
        // the key is in us-east-1, where a key costs 1.50
        assertThat(m.keyFeesUsd()).isEqualByComparingTo("1.50");
        assertThat(m.freeTierUsd()).isZero();
    }

    @Test
    void a_partial_period_prorates_the_key_fee_by_the_hour_and_a_secret_deleted_before_it_does_not_share()
            throws Exception {
        threeSecretsShareACustomerKey();
        // C left the listing before October: A and B share the key
        fx.gone(C, Instant.parse("2026-09-30T00:00:00Z"));
        try (Connection c = fx.reader()) {
            KmsKeys keys = KmsKeys.at(c, OCTOBER.end());
            // [Oct 1, Oct 4 12:00): 84 of 744 hours of the key's 1.00
            KmsMonth m = new KmsCost(Prices.aws())
                    .of(c, keys, OCTOBER.start(), Instant.parse("2026-10-04T12:00:00Z"), OCTOBER);
            BigDecimal fee = new BigDecimal("84").divide(new BigDecimal("744"), Prices.MC);
            assertThat(m.keyFeesUsd()).isEqualByComparingTo(fee);
            assertThat(m.bySecret()).doesNotContainKey(C);
            assertThat(m.bySecret().get(B).usd())
                    .isEqualByComparingTo(
                            fee.divide(BigDecimal.valueOf(2), Prices.MC).add(new BigDecimal("0.000003")));
            assertThat(m.requests()).isEqualTo(3); // a1, a2, b1
        }
    }

    @Test
    void a_request_exactly_at_the_end_counts_through_it_and_not_in_a_half_open_period() throws Exception {
        threeSecretsShareACustomerKey();
        Instant at = oct(3); // a2 is at exactly this instant
        try (Connection c = fx.reader()) {
            KmsKeys keys = KmsKeys.at(c, OCTOBER.end());
            KmsCost cost = new KmsCost(Prices.aws());
            // [Oct 1, a2): a1 only; [Oct 1, a2]: a1 and a2, as calls and secrets[].kmsRequests count to asOf
            assertThat(cost.of(c, keys, OCTOBER.start(), at, OCTOBER)
                            .bySecret()
                            .get(A)
                            .requests())
                    .isEqualTo(1);
            assertThat(cost.through(c, keys, OCTOBER.start(), at, OCTOBER)
                            .bySecret()
                            .get(A)
                            .requests())
                    .isEqualTo(2);
            assertThat(cost.through(c, keys, OCTOBER.start(), at.minusSeconds(1), OCTOBER)
                            .bySecret()
                            .get(A)
                            .requests())
                    .isEqualTo(1);
        }
    }

    @Test
    void a_month_without_kms_requests_or_customer_keys_costs_nothing() throws Exception {
        fx.inventory(D, daysAgo(400), "{}");
        KmsMonth m = october(Prices.aws());
        assertThat(m.requests()).isZero();
        assertThat(m.totalUsd()).isZero();
        assertThat(m.bySecret()).isEmpty();
    }

    static final String OWNER = "222222222222";
    static final String CALLER = "111111111111";
    static final String SHARED = "arn:aws:secretsmanager:us-east-1:" + OWNER + ":secret:shared/db-a1b2c3";
    static final String SHARED_KEY = "arn:aws:kms:us-east-1:" + OWNER + ":key/shared";

    /**
     * Issue 15, KMS L2. SHARED lives in OWNER's account under OWNER's customer managed key; roles of CALLER read it
     * across accounts. KMS bills a request to the account that makes it (the KMS pricing page: a key used from
     * another account bills the calling account), and logs a cross-account request in both accounts' trails, so
     * neither the secret's account nor the trail's recipient says who pays: the caller's identity does.
     */
    @Test
    void a_cross_account_request_is_billed_to_the_callers_account_and_the_key_fee_to_the_keys_owner() throws Exception {
        fx.inventory(SHARED, daysAgo(400), "{\"KmsKeyId\":\"" + SHARED_KEY + "\"}");
        fx.events(List.of(
                KmsEvents.decryptBy("o1", oct(2), SHARED, SHARED_KEY, OWNER, OWNER),
                KmsEvents.decryptBy("o2", oct(3), SHARED, SHARED_KEY, OWNER, OWNER),
                KmsEvents.decryptBy("o3", oct(4), SHARED, SHARED_KEY, OWNER, OWNER),
                // the caller's copies, and one as the key owner's trail logs it
                KmsEvents.decryptBy("c1", oct(5), SHARED, SHARED_KEY, CALLER, CALLER),
                KmsEvents.decryptBy("c2", oct(6), SHARED, SHARED_KEY, CALLER, CALLER),
                KmsEvents.decryptBy("c3", oct(7), SHARED, SHARED_KEY, CALLER, OWNER)));
        // 2 free requests a month per account
        KmsMonth m = october(prices(2, Map.of()));

        // By hand: OWNER 3 requests (o1-o3), CALLER 3 (c1-c3), whichever trail logged them; 2 of each free at
        // 0.000003; the key's 1.00 is its owner's. Before this, all six went to CALLER, the account sorting first.
        assertThat(m.byAccount()).containsOnlyKeys(CALLER, OWNER);
        KmsMonth.Account caller = m.byAccount().get(CALLER);
        assertThat(caller.requests()).isEqualTo(3);
        assertThat(caller.requestsUsd()).isEqualByComparingTo("0.000009");
        assertThat(caller.keyFeesUsd()).isZero();
        assertThat(caller.freeTierUsd()).isEqualByComparingTo("0.000006");
        assertThat(caller.totalUsd()).isEqualByComparingTo("0.000003");
        KmsMonth.Account owner = m.byAccount().get(OWNER);
        assertThat(owner.requests()).isEqualTo(3);
        assertThat(owner.keyFeesUsd()).isEqualByComparingTo("1.00");
        assertThat(owner.freeTierUsd()).isEqualByComparingTo("0.000006");
        assertThat(owner.totalUsd()).isEqualByComparingTo("1.000003");
        assertThat(m.byAccountRegion())
                .extracting(KmsMonth.Requests::account, KmsMonth.Requests::requests, KmsMonth.Requests::freeRequests)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CALLER, 3L, 2L),
                        org.assertj.core.groups.Tuple.tuple(OWNER, 3L, 2L));
        // the secret itself still has all six, and the whole key fee
        assertThat(m.bySecret().get(SHARED).requests()).isEqualTo(6);
        assertThat(m.bySecret().get(SHARED).keyFeeUsd()).isEqualByComparingTo("1.00");
        assertThat(m.freeTierUsd()).isEqualByComparingTo("0.000012");
    }

    /**
     * A request across accounts as an organization trail holds it: the caller's copy and the key owner's, each with its
     * own eventID and recipientAccountId, the same sharedEventID.
     */
    private static List<String> bothCopies(String id, Instant at) {
        return List.of(
                KmsEvents.shared(KmsEvents.decryptBy(id + "-caller", at, SHARED, SHARED_KEY, CALLER, CALLER), id),
                KmsEvents.shared(KmsEvents.decryptBy(id + "-owner", at, SHARED, SHARED_KEY, CALLER, OWNER), id));
    }

    private long secretRequests(String secret) throws Exception {
        try (Connection c = fx.reader()) {
            KmsKeys keys = KmsKeys.at(c, OCTOBER.end());
            return keys.requests(secret, OWNER, "us-east-1");
        }
    }

    @Test
    void the_two_copies_of_a_cross_account_request_with_one_shared_event_id_count_once_billed_to_the_caller()
            throws Exception {
        fx.inventory(SHARED, daysAgo(400), "{\"KmsKeyId\":\"" + SHARED_KEY + "\"}");
        fx.events(bothCopies("s1", oct(5)));
        KmsMonth m = october(Prices.aws());
        assertThat(m.requests()).isEqualTo(1);
        assertThat(m.requestsUsd()).isEqualByComparingTo("0.000003");
        assertThat(m.bySecret().get(SHARED).requests()).isEqualTo(1);
        // the copy kept is the caller's: its account is billed, the key owner's only for the key
        assertThat(m.byAccountRegion())
                .extracting(KmsMonth.Requests::account, KmsMonth.Requests::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CALLER, 1L));
        assertThat(m.byAccount().get(OWNER).requests()).isZero();
        assertThat(secretRequests(SHARED)).isEqualTo(1);
        // both copies are stored: each trail did log the request
        try (Connection c = fx.reader();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT event_id, account_id, shared_event_id FROM kms_requests ORDER BY event_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .containsExactly("s1-caller", CALLER, "s1");
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .containsExactly("s1-owner", OWNER, "s1");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void two_requests_with_different_shared_event_ids_count_twice_whatever_the_copies() throws Exception {
        fx.inventory(SHARED, daysAgo(400), "{\"KmsKeyId\":\"" + SHARED_KEY + "\"}");
        List<String> records = new java.util.ArrayList<>(bothCopies("s1", oct(5)));
        records.addAll(bothCopies("s2", oct(5)));
        // and the owner's copy of s2 delivered again (same eventID): still one
        records.add(records.get(3));
        fx.events(records);
        KmsMonth m = october(Prices.aws());
        assertThat(m.requests()).isEqualTo(2);
        assertThat(m.bySecret().get(SHARED).requests()).isEqualTo(2);
        assertThat(m.byAccount().get(CALLER).requests()).isEqualTo(2);
        assertThat(secretRequests(SHARED)).isEqualTo(2);
    }

    @Test
    void without_a_shared_event_id_requests_count_by_event_id_even_when_alike_in_every_other_field() throws Exception {
        fx.inventory(SHARED, daysAgo(400), "{\"KmsKeyId\":\"" + SHARED_KEY + "\"}");
        // the same caller, time, secret and key, logged in two trails, no sharedEventID: SecretTrail cannot tell
        // them from two requests, and counts two
        fx.events(List.of(
                KmsEvents.decryptBy("n1", oct(5), SHARED, SHARED_KEY, CALLER, CALLER),
                KmsEvents.decryptBy("n2", oct(5), SHARED, SHARED_KEY, CALLER, OWNER),
                // and one with a sharedEventID equal to another request's eventID is not its copy
                KmsEvents.shared(KmsEvents.decryptBy("n3", oct(5), SHARED, SHARED_KEY, CALLER, OWNER), "n1")));
        KmsMonth m = october(Prices.aws());
        assertThat(m.requests()).isEqualTo(3);
        assertThat(secretRequests(SHARED)).isEqualTo(3);
    }

    /** A Decrypt by CALLER on OWNER's key as {@code recipient}'s trail logs it, the caller's ARN left out. */
    private static String withoutArn(String id, String recipient) {
        String r = KmsEvents.decryptBy(id, oct(2), SHARED, SHARED_KEY, CALLER, recipient)
                .replace("\"arn\": \"arn:aws:sts::" + CALLER + ":assumed-role/Admin/user01\", ", "");
        assertThat(r).doesNotContain("assumed-role").contains("\"accountId\": \"" + CALLER + "\"");
        return r;
    }

    private List<String> billedAccounts(String record) throws Exception {
        fx.inventory(SHARED, daysAgo(400), "{\"KmsKeyId\":\"" + SHARED_KEY + "\"}");
        fx.events(List.of(record));
        return october(Prices.aws()).byAccountRegion().stream()
                .map(KmsMonth.Requests::account)
                .toList();
    }

    @Test
    void a_caller_named_only_by_its_account_id_in_the_key_owners_trail_is_billed_not_the_owner() throws Exception {
        // the key owner's copy: {type: AWSAccount, accountId: CALLER}, no ARN, the principal the invoking service
        String awsAccount = withoutArn("x1", OWNER).replace("\"type\": \"IAMUser\"", "\"type\": \"AWSAccount\"");
        assertThat(billedAccounts(awsAccount)).containsExactly(CALLER);
    }

    /** The key owner's copy of a Decrypt by CALLER with {@code from} replaced by {@code to} in the record. */
    private static String ownerCopyWith(String id, String from, String to) {
        String r = KmsEvents.decryptBy(id, oct(2), SHARED, SHARED_KEY, CALLER, OWNER)
                .replace(from, to);
        assertThat(r).contains(to);
        return r;
    }

    @Test
    void an_arn_naming_another_account_than_the_identitys_account_id_moves_nothing() throws Exception {
        // a forged ARN: the request stays on userIdentity.accountId, not on the account the ARN names
        assertThat(billedAccounts(ownerCopyWith("f1", "arn:aws:sts::" + CALLER + ":", "arn:aws:sts::333333333333:")))
                .containsExactly(CALLER);
    }

    @Test
    void an_account_id_that_is_not_12_digits_is_ignored_for_the_arns_account() throws Exception {
        String bad = "\"accountId\": \"1111111111111\"";
        assertThat(billedAccounts(ownerCopyWith("b1", "\"accountId\": \"" + CALLER + "\"", bad)))
                .containsExactly(CALLER);
    }

    @Test
    void with_neither_an_account_id_nor_an_arn_a_request_is_billed_to_the_trails_recipient_account() throws Exception {
        String none = withoutArn("n1", OWNER).replace("\"accountId\": \"" + CALLER + "\", ", "");
        assertThat(none).doesNotContain("\"accountId\": \"" + CALLER + "\"");
        assertThat(billedAccounts(none)).containsExactly(OWNER);
    }

    @Test
    void the_free_requests_are_the_accounts_first_of_the_month_in_time_order_each_at_its_regions_price()
            throws Exception {
        threeSecretsShareACustomerKey();
        Prices prices = prices(4, Map.of("eu-west-1", Map.of("kmsPer10kRequestsUsd", new BigDecimal("0.06"))));
        KmsMonth m = october(prices);
        // By hand: in time order a1 (Oct 2), a2, b1, d1 (Oct 5) are the 4 free, all us-east-1 at 0.000003:
        // 0.000012 off; E's 2 eu-west-1 requests (Oct 7, 8) come after and are paid in full at 0.000006 each.
        assertThat(m.byAccountRegion())
                .extracting(
                        KmsMonth.Requests::region,
                        KmsMonth.Requests::requests,
                        KmsMonth.Requests::freeRequests,
                        r -> r.billedUsd().stripTrailingZeros())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("eu-west-1", 2L, 0L, new BigDecimal("0.000012")),
                        org.assertj.core.groups.Tuple.tuple("us-east-1", 6L, 4L, new BigDecimal("0.000006")));
        assertThat(m.freeTierUsd()).isEqualByComparingTo("0.000012");
        assertThat(m.byAccount().get("123456789012").freeTierUsd()).isEqualByComparingTo("0.000012");
    }

    @Test
    void a_secret_named_only_by_kms_events_is_counted_in_the_month_as_unattributed_kms() throws Exception {
        String ghost = arn("us-east-1", "only/in-kms");
        fx.inventory(D, daysAgo(400), "{}");
        // the months run from the first Secrets Manager event's
        fx.apiCall("GetSecretValue", D, oct(5), null);
        fx.events(List.of(
                KmsEvents.decrypt("d1", oct(5), D, AWS_KEY),
                KmsEvents.decrypt("g1", oct(6), ghost, AWS_KEY),
                KmsEvents.decrypt("g2", oct(7), ghost, AWS_KEY),
                KmsEvents.decrypt("g3", oct(8), ghost, AWS_KEY)));
        MonthCost m = octoberMonth();
        // the ghost has no line (no Secrets Manager event, no inventory entry), but its 3 requests are the month's
        assertThat(m.bySecret()).extracting(MonthCost.Line::key).containsExactly(D);
        assertThat(m.kmsRequests()).isEqualTo(4L);
        assertThat(m.kmsUsd()).isEqualByComparingTo("0.000012");
        assertThat(m.kmsUnattributedRequests()).isEqualTo(3L);
        assertThat(m.kmsUnattributedUsd()).isEqualByComparingTo("0.000009");
        // by secret + unattributed = the month, for KMS as for calls
        long bySecret =
                m.bySecret().stream().mapToLong(MonthCost.Line::kmsRequests).sum();
        BigDecimal bySecretUsd =
                m.bySecret().stream().map(MonthCost.Line::kmsUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(bySecret + m.kmsUnattributedRequests()).isEqualTo(m.kmsRequests());
        assertThat(bySecretUsd.add(m.kmsUnattributedUsd())).isEqualByComparingTo(m.kmsUsd());
    }

    @Test
    void with_every_secret_known_no_kms_is_unattributed() throws Exception {
        threeSecretsShareACustomerKey();
        fx.apiCall("GetSecretValue", D, oct(5), null);
        MonthCost m = octoberMonth();
        assertThat(m.kmsUnattributedRequests()).isZero();
        assertThat(m.kmsUnattributedUsd()).isZero();
    }
}
