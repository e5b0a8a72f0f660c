package io.secrettrail.analytics.cost;

import java.math.BigDecimal;

/**
 * The cost of a period's API calls when regions have prices of their own: each secret's attributed calls at its
 * region's price, the rest (calls attributed to no secret) at the global price. Without regional prices the
 * total is the global price times all calls, exactly as before.
 */
final class RegionalCalls {
    private final Prices prices;
    private BigDecimal attributed = BigDecimal.ZERO;
    private BigDecimal attributedUsd = BigDecimal.ZERO;

    RegionalCalls(Prices prices) {
        this.prices = prices;
    }

    /** A secret's calls, priced in its region; returns their cost. */
    BigDecimal add(String region, BigDecimal calls) {
        BigDecimal usd = prices.forRegion(region).callsUsd(calls);
        attributed = attributed.add(calls);
        attributedUsd = attributedUsd.add(usd);
        return usd;
    }

    /** The cost of all {@code calls} of the period, of which the added ones are attributed. */
    BigDecimal totalUsd(BigDecimal calls) {
        if (prices.regions().isEmpty()) {
            return prices.callsUsd(calls);
        }
        return attributedUsd.add(prices.callsUsd(calls.subtract(attributed).max(BigDecimal.ZERO)));
    }
}
