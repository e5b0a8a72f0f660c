package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * AWS Secrets Manager pricing, as configuration with AWS's published defaults: a secret (and each
 * replica, a billed secret of its own) costs {@code secretMonthUsd} a month prorated by the hour;
 * API calls cost {@code per10kCallsUsd} per 10,000.
 */
public record Prices(BigDecimal secretMonthUsd, BigDecimal per10kCallsUsd) {
    static final MathContext MC = new MathContext(20, RoundingMode.HALF_EVEN);
    private static final BigDecimal TEN_K = BigDecimal.valueOf(10_000);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    public Prices {
        if (secretMonthUsd.signum() < 0) {
            throw new IllegalArgumentException("price.secretMonthUsd: must not be negative, was " + secretMonthUsd);
        }
        if (per10kCallsUsd.signum() < 0) {
            throw new IllegalArgumentException("price.per10kCallsUsd: must not be negative, was " + per10kCallsUsd);
        }
    }

    public static Prices aws() {
        return new Prices(new BigDecimal("0.40"), new BigDecimal("0.05"));
    }

    /** The cost of {@code calls} API calls (fractions allowed: projections and split batch calls). */
    public BigDecimal callsUsd(BigDecimal calls) {
        return per10kCallsUsd.multiply(calls, MC).divide(TEN_K, MC);
    }

    /**
     * Storage of one secret within [from, to) of a month: the monthly price times the billed hours
     * over the hours in the month. Unrounded; round totals with {@link #cents}.
     *
     * @param billedFrom max(month start, creation)
     * @param billedTo min(the end of the period, the moment it was scheduled for deletion)
     */
    public BigDecimal storageUsd(Instant billedFrom, Instant billedTo, Month month) {
        if (!billedTo.isAfter(billedFrom)) {
            return BigDecimal.ZERO;
        }
        BigDecimal hours = BigDecimal.valueOf(
                        Duration.between(billedFrom, billedTo).toSeconds())
                .divide(SECONDS_PER_HOUR, MC);
        return secretMonthUsd.multiply(hours, MC).divide(BigDecimal.valueOf(month.hours()), MC);
    }

    /** Dollars to the cent, half up, as a bill shows them. */
    public static BigDecimal cents(BigDecimal usd) {
        return usd.setScale(2, RoundingMode.HALF_UP);
    }
}
