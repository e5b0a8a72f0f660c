package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * API calls made in several regions, priced as one bill: the calls of every region with the same call price
 * ({@code price.region.<region>.per10kCallsUsd}, else the global {@code price.per10kCallsUsd}) are summed, then
 * priced once. Without regional call prices that is the global price times all the calls, exactly as a single
 * {@link Prices#callsUsd} gives it; sums of integer calls priced this way add up to the cent and below, whatever
 * way they are grouped (by principal, by secret, by region).
 */
public final class CallsAtPrices {
    private final Prices prices;
    /** per-10,000 price -> calls at it; compared by value, so 0.05 and 0.050 are one price */
    private final Map<BigDecimal, BigDecimal> byPrice = new TreeMap<>();

    public CallsAtPrices(Prices prices) {
        this.prices = prices;
    }

    /** Calls by the region they were made in. */
    public static CallsAtPrices of(Prices prices, Map<String, Long> callsByRegion) {
        CallsAtPrices c = new CallsAtPrices(prices);
        callsByRegion.forEach(c::add);
        return c;
    }

    /** Calls by the region they were made in, some fractional (a scope's shares). */
    public static CallsAtPrices ofCalls(Prices prices, Map<String, BigDecimal> callsByRegion) {
        CallsAtPrices c = new CallsAtPrices(prices);
        callsByRegion.forEach(c::add);
        return c;
    }

    /** {@code calls} made in {@code region} (null: a region unknown, at the global price). */
    public CallsAtPrices add(String region, BigDecimal calls) {
        byPrice.merge(prices.forRegion(region).per10kCallsUsd(), calls, BigDecimal::add);
        return this;
    }

    /** @see #add(String, BigDecimal) */
    public CallsAtPrices add(String region, long calls) {
        return add(region, BigDecimal.valueOf(calls));
    }

    /** The other's calls too. */
    public CallsAtPrices add(CallsAtPrices other) {
        other.byPrice.forEach((p, n) -> byPrice.merge(p, n, BigDecimal::add));
        return this;
    }

    /** All the calls added. */
    public BigDecimal calls() {
        return byPrice.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Their cost: per price, the calls at it priced once. */
    public BigDecimal usd() {
        if (byPrice.isEmpty()) {
            return prices.callsUsd(BigDecimal.ZERO);
        }
        BigDecimal usd = BigDecimal.ZERO;
        for (Map.Entry<BigDecimal, BigDecimal> e : byPrice.entrySet()) {
            usd = usd.add(Prices.atPer10k(e.getKey(), e.getValue()));
        }
        return usd;
    }
}
