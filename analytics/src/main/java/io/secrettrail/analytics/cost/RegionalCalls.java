package io.secrettrail.analytics.cost;

import java.math.BigDecimal;

/**
 * The cost of a period's API calls when regions have prices of their own: each secret's attributed calls at its
 * region's price, the calls attributed to no secret at the price of the region they were made in
 * ({@link CallsAtPrices}); the period's total is the sum of the two, so that the secrets' lines and the
 * unattributed calls add up to it exactly. Without regional prices the total is the global price times all calls,
 * exactly as before.
 */
final class RegionalCalls {
    private final Prices prices;
    private final CallsAtPrices unattributed;
    private BigDecimal attributedUsd = BigDecimal.ZERO;

    RegionalCalls(Prices prices) {
        this.prices = prices;
        this.unattributed = new CallsAtPrices(prices);
    }

    /** A secret's calls, priced in its region; returns their cost. */
    BigDecimal add(String region, BigDecimal calls) {
        BigDecimal usd = prices.callsUsd(region, calls);
        attributedUsd = attributedUsd.add(usd);
        return usd;
    }

    /** Calls made in {@code region} that name no existing secret. */
    void unattributed(String region, BigDecimal calls) {
        unattributed.add(region, calls);
    }

    /** The cost of the calls attributed to no secret, each at its region's price. */
    BigDecimal unattributedUsd() {
        return unattributed.usd();
    }

    /** The cost of all {@code calls} of the period: the secrets' and the unattributed ones'. */
    BigDecimal totalUsd(BigDecimal calls) {
        if (prices.regions().isEmpty()) {
            return prices.callsUsd(calls);
        }
        return attributedUsd.add(unattributed.usd());
    }
}
