package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * The Secrets Manager and KMS bill of one UTC calendar month, in exact decimals (never rounded to the cent): a closed
 * month (asOf at or past its end) in full, the open month (asOf's) to date with its projection. Storage is
 * prorated by the hour, calls counted as {@link CostService} describes; the open month's {@code secretsUsd}
 * is, before cent rounding, the report's {@code secretsMonthToDateUsd}.
 *
 * @param month "YYYY-MM"
 * @param closed asOf ≥ the month's end
 * @param events stored Secrets Manager events in the month up to asOf, of any type: 0 for a month the trail
 *     does not cover (its storage is still billed from the secrets' lifetimes; its calls are unknown)
 * @param apiCalls every billed call in the month (up to asOf), unattributed ones included
 * @param unattributedCalls the calls that name no existing secret: in {@code apiCalls}, in no secret's line
 * @param totalUsd secretsUsd + apiCallsUsd + kmsUsd (kmsUsd counting 0 when null)
 * @param projectedUsd the open month's projected total (secretsProjectedUsd + apiCallsProjectedUsd +
 *     kmsProjectedUsd); null for a closed month, like the three projections after it
 * @param apiCallsProjected calls to date plus the recent rate times the hours left (fractional)
 * @param bySecret every secret with storage or calls in the month, in ARN order
 * @param byPrincipal every principal with calls in the month, most calls first
 * @param kms the month's KMS cost (see {@link KmsCost}; to asOf for the open month); null when the data holds no
 *     KMS request at all (the trail may not record KMS: zero would claim none were made)
 * @param kmsProjectedUsd the open month's projected KMS cost before the free tier: requests to date plus the
 *     recent rate times the hours left (as calls), key fees to the month's end; null when closed or without kms
 */
public record MonthCost(
        String month,
        boolean closed,
        long events,
        BigDecimal secretsUsd,
        long apiCalls,
        BigDecimal apiCallsUsd,
        long unattributedCalls,
        BigDecimal unattributedUsd,
        BigDecimal totalUsd,
        BigDecimal projectedUsd,
        BigDecimal secretsProjectedUsd,
        BigDecimal apiCallsProjected,
        BigDecimal apiCallsProjectedUsd,
        List<Line> bySecret,
        List<Line> byAccount,
        List<Line> byRegion,
        List<Line> byTag,
        List<Line> byPrincipal,
        KmsMonth kms,
        BigDecimal kmsProjectedUsd) {

    /** The dimensions a month breaks down by, as the report and {@code secrettrail cost --by} name them. */
    public static final List<String> DIMENSIONS = List.of("secret", "account", "region", "tag", "principal");

    /**
     * The lines of one of {@link #DIMENSIONS}.
     *
     * @throws IllegalArgumentException for another name, listing the dimensions
     */
    public List<Line> lines(String dimension) {
        return switch (dimension) {
            case "secret" -> bySecret;
            case "account" -> byAccount;
            case "region" -> byRegion;
            case "tag" -> byTag;
            case "principal" -> byPrincipal;
            default ->
                throw new IllegalArgumentException(
                        "unknown dimension " + dimension + "; one of " + String.join(", ", DIMENSIONS));
        };
    }

    /** The month's KMS requests, or null without KMS data. */
    public Long kmsRequests() {
        return kms == null ? null : kms.requests();
    }

    /** The month's KMS cost before the free tier (requests and key fees), or null without KMS data. */
    public BigDecimal kmsUsd() {
        return kms == null ? null : kms.requestsUsd().add(kms.keyFeesUsd());
    }

    /** What the account-level free tier takes off the month's KMS cost (an upper bound), or null without KMS data. */
    public BigDecimal kmsFreeTierUsd() {
        return kms == null ? null : kms.freeTierUsd();
    }

    /**
     * The month's KMS requests made for secrets that have no line of their own (named only by KMS events: neither a
     * Secrets Manager event nor an inventory lists them), or null without KMS data. They are in {@link #kmsRequests}:
     * the secrets' {@code kmsRequests} plus these make the month's.
     */
    public Long kmsUnattributedRequests() {
        return kms == null ? null : unattributedKms().requests();
    }

    /** Their KMS cost before the free tier, key fee shares included, or null without KMS data (see above). */
    public BigDecimal kmsUnattributedUsd() {
        return kms == null ? null : unattributedKms().usd();
    }

    private KmsMonth.Secret unattributedKms() {
        java.util.Set<String> lines = new java.util.HashSet<>();
        bySecret.forEach(l -> lines.add(l.key()));
        long n = 0;
        BigDecimal usd = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (java.util.Map.Entry<String, KmsMonth.Secret> e : kms.bySecret().entrySet()) {
            if (!lines.contains(e.getKey())) {
                n += e.getValue().requests();
                usd = usd.add(e.getValue().usd());
                fees = fees.add(e.getValue().keyFeeUsd());
            }
        }
        return new KmsMonth.Secret(null, n, usd, fees);
    }

    /** The Secrets Manager part of the total (what v1's {@code monthToDateUsd} shows): secretsUsd + apiCallsUsd. */
    public BigDecimal secretsManagerUsd() {
        return secretsUsd.add(apiCallsUsd);
    }

    /** The Secrets Manager part of the projection, null for a closed month. */
    public BigDecimal secretsManagerProjectedUsd() {
        return closed ? null : secretsProjectedUsd.add(apiCallsProjectedUsd);
    }

    /** What the month's end-of-month figure is: the total when closed, the projection when open. */
    public BigDecimal endUsd() {
        return closed ? totalUsd : projectedUsd;
    }

    /** The same month without the lines that have neither cost nor calls (a secret created after it). */
    public MonthCost withoutIdleLines() {
        return with(busy(bySecret), MonthCost::busy);
    }

    /** The same month with only the secret lines {@code keep} accepts; totals and other lines stay. */
    public MonthCost forSecrets(java.util.function.Predicate<String> keep) {
        return with(bySecret.stream().filter(l -> keep.test(l.key())).toList(), l -> l);
    }

    private MonthCost with(List<Line> secrets, java.util.function.UnaryOperator<List<Line>> others) {
        return new MonthCost(
                month,
                closed,
                events,
                secretsUsd,
                apiCalls,
                apiCallsUsd,
                unattributedCalls,
                unattributedUsd,
                totalUsd,
                projectedUsd,
                secretsProjectedUsd,
                apiCallsProjected,
                apiCallsProjectedUsd,
                secrets,
                others.apply(byAccount),
                others.apply(byRegion),
                others.apply(byTag),
                others.apply(byPrincipal),
                kms,
                kmsProjectedUsd);
    }

    private static List<Line> busy(List<Line> lines) {
        return lines.stream().filter(Line::busy).toList();
    }

    /**
     * One attribution line of a month: a secret, account, region, tag key=value or principal.
     *
     * @param calls calls attributed to it; fractional for a secret (a call naming n secrets counts 1/n)
     * @param usd its cost in the month (to date for the open month)
     * @param projectedUsd its projected cost for the open month; null for a closed month and for principals
     * @param kmsRequests the KMS requests made for it (a secret's only; null for other lines and without KMS data)
     * @param kmsUsd its KMS cost before the free tier, a secret's share of its key's fee included (null without
     *     KMS data and for principals); not in {@code usd}, which stays Secrets Manager's
     * @param kmsProjectedUsd its projected KMS cost for the open month; null when closed or without KMS data
     */
    public record Line(
            String key,
            BigDecimal calls,
            BigDecimal usd,
            BigDecimal projectedUsd,
            Long kmsRequests,
            BigDecimal kmsUsd,
            BigDecimal kmsProjectedUsd) {
        /** A line without KMS figures. */
        public Line(String key, BigDecimal calls, BigDecimal usd, BigDecimal projectedUsd) {
            this(key, calls, usd, projectedUsd, null, null, null);
        }

        /**
         * The line's whole end-of-month figure: its projection when it has one, else its cost, KMS included (the
         * KMS projection when it has one, else its KMS cost).
         */
        public BigDecimal endUsd() {
            BigDecimal sm = projectedUsd == null ? usd : projectedUsd;
            BigDecimal k = kmsProjectedUsd != null ? kmsProjectedUsd : kmsUsd;
            return k == null ? sm : sm.add(k);
        }

        /** Its cost to date, KMS included: {@code usd + kmsUsd}. */
        public BigDecimal totalUsd() {
            return kmsUsd == null ? usd : usd.add(kmsUsd);
        }

        boolean busy() {
            return calls.signum() != 0
                    || usd.signum() != 0
                    || endUsd().signum() != 0
                    || (kmsRequests != null && kmsRequests != 0);
        }
    }
}
