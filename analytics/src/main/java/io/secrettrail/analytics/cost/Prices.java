package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * AWS Secrets Manager and KMS pricing, as configuration with AWS's published defaults: a secret (and each
 * replica, a billed secret of its own) costs {@code secretMonthUsd} a month prorated by the hour;
 * API calls cost {@code per10kCallsUsd} per 10,000; a KMS request {@code kmsPer10kRequestsUsd} per 10,000
 * (AWS managed keys included), a customer managed key {@code kmsKeyMonthUsd} a month prorated by the hour, and
 * the first {@code kmsFreeRequestsPerMonth} requests of an account each month are free.
 *
 * @param regions per region, the prices that differ there ({@link #REGIONAL} names), over the global ones:
 *     see {@link #forRegion}
 */
public record Prices(
        BigDecimal secretMonthUsd,
        BigDecimal per10kCallsUsd,
        BigDecimal kmsPer10kRequestsUsd,
        BigDecimal kmsKeyMonthUsd,
        long kmsFreeRequestsPerMonth,
        Map<String, Map<String, BigDecimal>> regions) {
    static final MathContext MC = new MathContext(20, RoundingMode.HALF_EVEN);
    private static final BigDecimal TEN_K = BigDecimal.valueOf(10_000);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    /** The prices a region may set ({@code price.region.<region>.<name>}); the free tier is account-wide. */
    public static final java.util.Set<String> REGIONAL =
            java.util.Set.of("secretMonthUsd", "per10kCallsUsd", "kmsPer10kRequestsUsd", "kmsKeyMonthUsd");

    public Prices {
        nonNegative("price.secretMonthUsd", secretMonthUsd);
        nonNegative("price.per10kCallsUsd", per10kCallsUsd);
        nonNegative("price.kmsPer10kRequestsUsd", kmsPer10kRequestsUsd);
        nonNegative("price.kmsKeyMonthUsd", kmsKeyMonthUsd);
        if (kmsFreeRequestsPerMonth < 0) {
            throw new IllegalArgumentException(
                    "price.kmsFreeRequestsPerMonth: must not be negative, was " + kmsFreeRequestsPerMonth);
        }
        Map<String, Map<String, BigDecimal>> copy = new java.util.TreeMap<>();
        for (Map.Entry<String, Map<String, BigDecimal>> r : regions.entrySet()) {
            for (Map.Entry<String, BigDecimal> p : r.getValue().entrySet()) {
                String key = "price.region." + r.getKey() + "." + p.getKey();
                if (!REGIONAL.contains(p.getKey())) {
                    throw new IllegalArgumentException(
                            key + ": unknown regional price; known: " + new java.util.TreeSet<>(REGIONAL));
                }
                nonNegative(key, p.getValue());
            }
            copy.put(r.getKey(), Map.copyOf(r.getValue()));
        }
        regions = java.util.Collections.unmodifiableMap(copy);
    }

    /** Secrets Manager prices; KMS at AWS's defaults, no regional prices. */
    public Prices(BigDecimal secretMonthUsd, BigDecimal per10kCallsUsd) {
        this(secretMonthUsd, per10kCallsUsd, KMS_PER_10K, KMS_KEY_MONTH, KMS_FREE_REQUESTS, Map.of());
    }

    private static final BigDecimal KMS_PER_10K = new BigDecimal("0.03");
    private static final BigDecimal KMS_KEY_MONTH = new BigDecimal("1.00");
    private static final long KMS_FREE_REQUESTS = 20_000;

    public static Prices aws() {
        return new Prices(new BigDecimal("0.40"), new BigDecimal("0.05"));
    }

    /** The prices in {@code region}: its own where it sets them, the global ones elsewhere (and for a null region). */
    public Prices forRegion(String region) {
        Map<String, BigDecimal> own = region == null ? null : regions.get(region);
        if (own == null) {
            return regions.isEmpty()
                    ? this
                    : new Prices(
                            secretMonthUsd,
                            per10kCallsUsd,
                            kmsPer10kRequestsUsd,
                            kmsKeyMonthUsd,
                            kmsFreeRequestsPerMonth,
                            Map.of());
        }
        return new Prices(
                own.getOrDefault("secretMonthUsd", secretMonthUsd),
                own.getOrDefault("per10kCallsUsd", per10kCallsUsd),
                own.getOrDefault("kmsPer10kRequestsUsd", kmsPer10kRequestsUsd),
                own.getOrDefault("kmsKeyMonthUsd", kmsKeyMonthUsd),
                kmsFreeRequestsPerMonth,
                Map.of());
    }

    /** The cost of {@code requests} KMS requests, before the free tier. */
    public BigDecimal kmsRequestsUsd(BigDecimal requests) {
        return kmsPer10kRequestsUsd.multiply(requests, MC).divide(TEN_K, MC);
    }

    /** A customer managed key's fee for [from, to) of a month, prorated by the hour like storage. */
    public BigDecimal kmsKeyUsd(Instant from, Instant to, Month month) {
        return prorated(kmsKeyMonthUsd, from, to, month);
    }

    private static void nonNegative(String name, BigDecimal v) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException(name + ": must not be negative, was " + v.toPlainString());
        }
    }

    /** The cost of {@code calls} API calls (fractions allowed: projections and split batch calls). */
    public BigDecimal callsUsd(BigDecimal calls) {
        return atPer10k(per10kCallsUsd, calls);
    }

    /** The cost of {@code calls} API calls made in {@code region}, at its call price (null: the global one). */
    public BigDecimal callsUsd(String region, BigDecimal calls) {
        return forRegion(region).callsUsd(calls);
    }

    /** The cost of {@code calls} API calls at {@code per10k} dollars per 10,000. */
    static BigDecimal atPer10k(BigDecimal per10k, BigDecimal calls) {
        return per10k.multiply(calls, MC).divide(TEN_K, MC);
    }

    /** The price of one API call in {@code region} (null: the global price). */
    public BigDecimal perCallUsd(String region) {
        return forRegion(region).per10kCallsUsd().divide(TEN_K, MC);
    }

    /**
     * A secret's storage cost in {@code region} as secret-months: over the region's monthly price (0 when that
     * price is 0).
     */
    public BigDecimal secretMonths(String region, BigDecimal storageUsd) {
        BigDecimal monthly = forRegion(region).secretMonthUsd();
        return monthly.signum() == 0 ? BigDecimal.ZERO : storageUsd.divide(monthly, MC);
    }

    /**
     * The setting that gives {@code price} (one of {@link #REGIONAL}) in {@code region}: {@code
     * price.region.<region>.<price>} where the region sets it, else the global {@code price.<price>}.
     */
    public String setting(String region, String price) {
        Map<String, BigDecimal> own = region == null ? null : regions.get(region);
        return own != null && own.containsKey(price) ? "price.region." + region + "." + price : "price." + price;
    }

    /**
     * Storage of one secret within [from, to) of a month: the monthly price times the billed hours
     * over the hours in the month. Unrounded; round totals with {@link #cents}.
     *
     * @param billedFrom max(month start, creation)
     * @param billedTo min(the end of the period, the moment it was scheduled for deletion)
     */
    public BigDecimal storageUsd(Instant billedFrom, Instant billedTo, Month month) {
        return prorated(secretMonthUsd, billedFrom, billedTo, month);
    }

    private static BigDecimal prorated(BigDecimal monthly, Instant billedFrom, Instant billedTo, Month month) {
        if (!billedTo.isAfter(billedFrom)) {
            return BigDecimal.ZERO;
        }
        BigDecimal hours = BigDecimal.valueOf(
                        Duration.between(billedFrom, billedTo).toSeconds())
                .divide(SECONDS_PER_HOUR, MC);
        return monthly.multiply(hours, MC).divide(BigDecimal.valueOf(month.hours()), MC);
    }

    /** Dollars to the cent, half up, as a bill shows them. */
    public static BigDecimal cents(BigDecimal usd) {
        return usd.setScale(2, RoundingMode.HALF_UP);
    }
}
