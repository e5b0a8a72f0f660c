package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The KMS cost of one period of a month (the whole month once closed, month to date while open), in full-precision
 * exact decimals: requests at the request price of their region, customer managed keys' fees, and the free tier.
 *
 * @param requests the KMS requests Secrets Manager made for secrets in the period
 * @param requestsUsd their cost before the free tier
 * @param keyFeesUsd the customer managed keys' fees, prorated by the hour over the period
 * @param freeTierUsd what the monthly free requests take off, per account (see {@link Account}), summed; an upper
 *     bound, since SecretTrail sees only the KMS requests made for secrets, not the account's others
 * @param totalUsd requestsUsd + keyFeesUsd - freeTierUsd
 * @param bySecret per secret ARN: its requests and their cost with its share of its key's fee (before the free tier,
 *     which is never spread over secrets)
 * @param byAccount per account, the same figures with the free tier
 * @param byAccountRegion per account and region, the requests billed there and the free ones among them (what a
 *     bill's KMS request lines are compared with), in account and region order
 */
public record KmsMonth(
        long requests,
        BigDecimal requestsUsd,
        BigDecimal keyFeesUsd,
        BigDecimal freeTierUsd,
        BigDecimal totalUsd,
        Map<String, Secret> bySecret,
        Map<String, Account> byAccount,
        List<Requests> byAccountRegion) {

    /**
     * The same period's figures of the secrets {@code keep} accepts alone: their lines, and their requests, request cost
     * and fee shares summed. The free tier and the per-account lines are an account's, not a secret's, so a part of the
     * secrets has none ({@link CostService#compute(io.secrettrail.analytics.snapshot.Snapshot, KmsKeys,
     * java.util.Set)}): its total is before the free tier, as its lines are.
     */
    public KmsMonth forSecrets(java.util.function.Predicate<String> keep) {
        Map<String, Secret> kept = new java.util.TreeMap<>();
        long n = 0;
        BigDecimal requestsUsd = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Map.Entry<String, Secret> e : bySecret.entrySet()) {
            if (keep.test(e.getKey())) {
                Secret s = e.getValue();
                kept.put(e.getKey(), s);
                n += s.requests();
                requestsUsd = requestsUsd.add(s.usd().subtract(s.keyFeeUsd()));
                fees = fees.add(s.keyFeeUsd());
            }
        }
        return new KmsMonth(n, requestsUsd, fees, BigDecimal.ZERO, requestsUsd.add(fees), kept, Map.of(), List.of());
    }

    /**
     * A secret's KMS requests in the period and their cost with its share of its key's fee.
     *
     * @param usd its requests' cost plus {@code keyFeeUsd}
     * @param keyFeeUsd its share of its customer managed key's fee (zero for an AWS managed key)
     */
    public record Secret(String key, long requests, BigDecimal usd, BigDecimal keyFeeUsd) {}

    /**
     * An account's KMS figures: the requests it was billed for (its own identities', whichever account owns the key
     * or the secret) and the fees of the customer managed keys it owns. {@code freeTierUsd}: the first
     * {@code price.kmsFreeRequestsPerMonth} requests of the month are free across all its regions, each valued at
     * its region's price (see {@link Requests}).
     */
    public record Account(
            long requests,
            BigDecimal requestsUsd,
            BigDecimal keyFeesUsd,
            BigDecimal freeTierUsd,
            BigDecimal totalUsd) {}

    /**
     * The requests an account was billed for in one region: their cost before the free tier, and the free ones
     * among them (the account's first {@code price.kmsFreeRequestsPerMonth} of the month in time order, wherever
     * they were made) with what they take off at the region's price.
     */
    public record Requests(
            String account,
            String region,
            long requests,
            BigDecimal requestsUsd,
            long freeRequests,
            BigDecimal freeTierUsd) {
        /** What AWS's bill shows for them: {@code requestsUsd - freeTierUsd}. */
        public BigDecimal billedUsd() {
            return requestsUsd.subtract(freeTierUsd);
        }
    }
}
