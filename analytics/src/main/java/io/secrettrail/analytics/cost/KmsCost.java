package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.secret.SecretArn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The KMS cost of the requests Secrets Manager makes for secrets, for any period of a month. Every request is
 * charged at its region's {@code kmsPer10kRequestsUsd} (requests to AWS managed keys too); a customer managed key
 * costs {@code kmsKeyMonthUsd} a month prorated by the hour, shared evenly among the secrets that use it in the
 * period (those with a request through it, and the inventoried secrets naming it that are billed in the period;
 * the last in ARN order takes the rounding remainder, so the shares add up to the fee);
 * the free tier is an account-level line, never spread over secrets.
 *
 * <p>Accounts (issue 15, KMS L2): a request is the account's that made it — the caller's identity
 * ({@code userIdentity.accountId}, in the principal's ARN), else the trail's recipient account — since KMS bills a
 * key used from another account to the calling account, and logs a cross-account request in both accounts' trails;
 * a key's fee is the account's that owns the key (its ARN's). The free requests are each account's first of the
 * month in time order (AWS bills usage as it accrues), each valued at its region's request price.
 *
 * <p>Not visible in the data, so not counted: the backing keys automatic key rotation creates (another
 * {@code kmsKeyMonthUsd} each), a key's creation and deletion (a key is billed for the whole period), KMS requests
 * that are not made for a secret (so the free tier line is an upper bound of what it takes off the secrets' KMS
 * cost). {@link #assumptions()} says so in the report.
 */
public final class KmsCost {
    /** What the KMS figures cannot see, for {@code cost.assumptions}. */
    private static final String ASSUMPTIONS =
            "KMS: only the requests Secrets Manager makes for secrets are seen, so the"
                    + " free tier line is an upper bound; the backing keys automatic rotation creates are not visible and not"
                    + " counted; a customer managed key (one an inventory names as a secret's KmsKeyId) is billed for the whole"
                    + " period, any other key is taken for the AWS managed aws/secretsmanager (no monthly fee).";

    private final Prices prices;

    /** What the KMS figures cannot see, for {@code cost.assumptions.kms}. */
    public static String assumptions() {
        return ASSUMPTIONS;
    }

    public KmsCost(Prices prices) {
        this.prices = prices;
    }

    /**
     * The KMS cost of [from, to) within {@code month}: for a closed month its start and end, for the open month
     * its start and asOf.
     *
     * @param keys the secrets' keys (see {@link KmsKeys}), as of {@code to} or later
     */
    public KmsMonth of(Connection conn, KmsKeys keys, Instant from, Instant to, Month month) throws SQLException {
        return of(conn, keys, from, to, false, month);
    }

    /** {@link #of} over [from, through]: the open month to asOf, whose requests at asOf itself count. */
    public KmsMonth through(Connection conn, KmsKeys keys, Instant from, Instant through, Month month)
            throws SQLException {
        return of(conn, keys, from, through, true, month);
    }

    private KmsMonth of(Connection conn, KmsKeys keys, Instant from, Instant to, boolean inclusive, Month month)
            throws SQLException {
        Map<String, long[]> requests = new TreeMap<>(); // secret -> requests
        Map<String, BigDecimal> requestsUsd = new HashMap<>();
        Map<String, Set<String>> users = new TreeMap<>(); // customer managed key -> secrets
        Map<String, String> regionOfKey = new HashMap<>();
        Map<String, String> accountOfKey = new HashMap<>(); // where the key's ARN does not say
        // per billed account and region: [requests, free requests] and [requestsUsd, freeTierUsd]
        Map<List<String>, long[]> billedCounts = new TreeMap<>(KmsCost::compareAccountRegion);
        Map<List<String>, BigDecimal[]> billedUsd = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("kms/month-requests"))) {
            ps.setTimestamp(1, KmsKeys.ts(from));
            ps.setTimestamp(2, KmsKeys.ts(to));
            ps.setBoolean(3, inclusive);
            ps.setLong(4, prices.kmsFreeRequestsPerMonth());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String secret = rs.getString(1);
                    String region = rs.getString(3);
                    long n = rs.getLong(5);
                    long free = rs.getLong(6);
                    Prices regional = prices.forRegion(region);
                    BigDecimal usd = regional.kmsRequestsUsd(BigDecimal.valueOf(n));
                    requests.computeIfAbsent(secret, k -> new long[1])[0] += n;
                    requestsUsd.merge(secret, usd, BigDecimal::add);
                    // each request on the account it is billed to, not on the secret's (issue 15, KMS L2)
                    List<String> billed = java.util.Arrays.asList(rs.getString(2), region);
                    long[] c = billedCounts.computeIfAbsent(billed, k -> new long[2]);
                    c[0] += n;
                    c[1] += free;
                    BigDecimal[] u =
                            billedUsd.computeIfAbsent(billed, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    u[0] = u[0].add(usd);
                    u[1] = u[1].add(regional.kmsRequestsUsd(BigDecimal.valueOf(free)));
                    String key = keys.key(secret);
                    if (keys.customerManaged(key)) {
                        users.computeIfAbsent(key, k -> new java.util.TreeSet<>())
                                .add(secret);
                        regionOfKey.putIfAbsent(key, region);
                        accountOfKey.putIfAbsent(
                                key,
                                SecretArn.parse(secret).map(SecretArn::account).orElse(null));
                    }
                }
            }
        }
        for (KmsKeys.Listed l : keys.listed()) {
            boolean billed = (l.created() == null || l.created().isBefore(to))
                    && (l.ended() == null || l.ended().isAfter(from));
            if (billed && keys.listedWithCustomerKey(l.arn())) {
                String key = keys.key(l.arn());
                users.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(l.arn());
                regionOfKey.putIfAbsent(key, l.region());
                accountOfKey.putIfAbsent(key, l.account());
            }
        }
        Map<String, BigDecimal> feeShare = new HashMap<>();
        Map<String, BigDecimal> accountFees = new TreeMap<>(); // a key's fee is its owner's
        BigDecimal keyFees = BigDecimal.ZERO;
        for (Map.Entry<String, Set<String>> u : users.entrySet()) {
            String region = kmsRegion(u.getKey(), regionOfKey.get(u.getKey()));
            BigDecimal fee = prices.forRegion(region).kmsKeyUsd(from, to, month);
            keyFees = keyFees.add(fee);
            accountFees.merge(keyAccount(u.getKey(), accountOfKey.get(u.getKey())), fee, BigDecimal::add);
            // an even share each, the last taking the remainder: the shares add up to the fee exactly
            BigDecimal share = fee.divide(BigDecimal.valueOf(u.getValue().size()), Prices.MC);
            BigDecimal left = fee;
            int i = 0;
            for (String secret : u.getValue()) {
                BigDecimal mine = ++i == u.getValue().size() ? left : share;
                left = left.subtract(mine);
                feeShare.merge(secret, mine, BigDecimal::add);
            }
        }

        Map<String, KmsMonth.Secret> bySecret = new TreeMap<>();
        Set<String> secrets = new java.util.TreeSet<>(requests.keySet());
        secrets.addAll(feeShare.keySet());
        long total = 0;
        BigDecimal totalRequestsUsd = BigDecimal.ZERO;
        for (String secret : secrets) {
            long n = requests.containsKey(secret) ? requests.get(secret)[0] : 0;
            BigDecimal usd = requestsUsd.getOrDefault(secret, BigDecimal.ZERO);
            BigDecimal fee = feeShare.getOrDefault(secret, BigDecimal.ZERO);
            bySecret.put(secret, new KmsMonth.Secret(keys.key(secret), n, usd.add(fee), fee));
            total += n;
            totalRequestsUsd = totalRequestsUsd.add(usd);
        }
        List<KmsMonth.Requests> byAccountRegion = new java.util.ArrayList<>();
        Map<String, long[]> accountRequests = new TreeMap<>();
        Map<String, BigDecimal[]> accountUsd = new TreeMap<>(); // [requestsUsd, freeTierUsd]
        billedCounts.forEach((ar, c) -> {
            BigDecimal[] u = billedUsd.get(ar);
            byAccountRegion.add(new KmsMonth.Requests(ar.get(0), ar.get(1), c[0], u[0], c[1], u[1]));
            accountRequests.computeIfAbsent(ar.get(0), k -> new long[1])[0] += c[0];
            BigDecimal[] a =
                    accountUsd.computeIfAbsent(ar.get(0), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            a[0] = a[0].add(u[0]);
            a[1] = a[1].add(u[1]);
        });
        Set<String> accounts = new java.util.TreeSet<>(accountUsd.keySet());
        accounts.addAll(accountFees.keySet());
        Map<String, KmsMonth.Account> byAccount = new TreeMap<>();
        BigDecimal free = BigDecimal.ZERO;
        for (String account : accounts) {
            BigDecimal[] u = accountUsd.getOrDefault(account, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            BigDecimal fees = accountFees.getOrDefault(account, BigDecimal.ZERO);
            free = free.add(u[1]);
            byAccount.put(
                    account,
                    new KmsMonth.Account(
                            accountRequests.containsKey(account)
                                    ? accountRequests.get(account)[0]
                                    : 0,
                            u[0],
                            fees,
                            u[1],
                            u[0].add(fees).subtract(u[1])));
        }
        return new KmsMonth(
                total,
                totalRequestsUsd,
                keyFees,
                free,
                totalRequestsUsd.add(keyFees).subtract(free),
                bySecret,
                byAccount,
                List.copyOf(byAccountRegion));
    }

    private static int compareAccountRegion(List<String> a, List<String> b) {
        java.util.Comparator<String> c = java.util.Comparator.nullsFirst(String::compareTo);
        int r = c.compare(a.get(0), b.get(0));
        return r != 0 ? r : c.compare(a.get(1), b.get(1));
    }

    /** The account that owns a key, from its ARN ({@code arn:aws:kms:REGION:ACCOUNT:key/...}), else the fallback. */
    static String keyAccount(String key, String fallback) {
        String[] parts = key.split(":", 6);
        if (parts.length >= 6 && parts[0].equals("arn") && parts[2].equals("kms") && !parts[4].isEmpty()) {
            return parts[4];
        }
        return fallback == null ? "unknown" : fallback;
    }

    /**
     * Information (never a recommendation) for each customer managed key that only one secret used in the period,
     * when the key's monthly fee is more than the secret's own projected Secrets Manager cost: what encrypting it with
     * {@code aws/secretsmanager} would save a month (the key's fee; requests cost the same with either key).
     *
     * @param secretsCost the secrets' Secrets Manager cost lines ({@link CostReport#bySecret()})
     */
    public List<Saving> defaultKeyInformation(KmsMonth period, KmsKeys keys, Map<String, CostReport.Line> secretsCost) {
        Map<String, List<String>> users = new TreeMap<>();
        period.bySecret().forEach((secret, s) -> {
            if (keys.customerManaged(s.key())) {
                users.computeIfAbsent(s.key(), k -> new java.util.ArrayList<>()).add(secret);
            }
        });
        List<Saving> out = new java.util.ArrayList<>();
        users.forEach((key, secrets) -> {
            if (secrets.size() != 1) {
                return;
            }
            String secret = secrets.get(0);
            CostReport.Line own = secretsCost.get(secret);
            BigDecimal fee = prices.forRegion(kmsRegion(key, null)).kmsKeyMonthUsd();
            if (own == null || own.projectedUsd().compareTo(fee) >= 0) {
                return;
            }
            out.add(new Saving(
                    Saving.KMS_DEFAULT_KEY,
                    secret,
                    null,
                    Prices.cents(fee),
                    "information, not a recommendation: the customer managed key " + key
                            + " encrypts this secret only and costs "
                            + Prices.cents(fee).toPlainString()
                            + " USD a month, more than the secret itself ("
                            + own.projectedUsd().toPlainString()
                            + " USD projected); aws/secretsmanager would save that, unless the key is needed"
                            + " (a key policy, cross-account access, compliance)"));
        });
        return out;
    }

    /** The region of a key ARN ({@code arn:aws:kms:REGION:...}), else where it was used. */
    static String kmsRegion(String key, String fallback) {
        String[] parts = key.split(":", 6);
        if (parts.length >= 5 && parts[0].equals("arn") && parts[2].equals("kms") && !parts[3].isEmpty()) {
            return parts[3];
        }
        return fallback;
    }
}
