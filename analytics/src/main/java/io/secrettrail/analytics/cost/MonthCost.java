package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * The Secrets Manager bill of one UTC calendar month, in exact decimals (never rounded to the cent): a closed
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
 * @param totalUsd secretsUsd + apiCallsUsd
 * @param projectedUsd the open month's projected total (secretsProjectedUsd + apiCallsProjectedUsd); null for
 *     a closed month, like the three projections after it
 * @param apiCallsProjected calls to date plus the recent rate times the hours left (fractional)
 * @param bySecret every secret with storage or calls in the month, in ARN order
 * @param byPrincipal every principal with calls in the month, most calls first
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
        List<Line> byPrincipal) {

    /** What the month's end-of-month figure is: the total when closed, the projection when open. */
    public BigDecimal endUsd() {
        return closed ? totalUsd : projectedUsd;
    }

    /** The same month without the lines that have neither cost nor calls (a secret created after it). */
    public MonthCost withoutIdleLines() {
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
                busy(bySecret),
                busy(byAccount),
                busy(byRegion),
                busy(byTag),
                busy(byPrincipal));
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
     */
    public record Line(String key, BigDecimal calls, BigDecimal usd, BigDecimal projectedUsd) {
        /** The line's end-of-month figure: its projection when it has one, else its cost. */
        public BigDecimal endUsd() {
            return projectedUsd == null ? usd : projectedUsd;
        }

        boolean busy() {
            return calls.signum() != 0 || usd.signum() != 0 || endUsd().signum() != 0;
        }
    }
}
