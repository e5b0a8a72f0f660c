package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Month-to-date and projected cost of the calendar month of {@code asOf}, in USD to the cent, with
 * its attribution. Calls that name no secret are reported as unattributed, not spread.
 */
public record CostReport(
        String month,
        String currency,
        BigDecimal monthToDateUsd,
        BigDecimal projectedUsd,
        BigDecimal secretsMonthToDateUsd,
        BigDecimal secretsProjectedUsd,
        long apiCallsMonthToDate,
        long apiCallsProjected,
        BigDecimal apiCallsMonthToDateUsd,
        BigDecimal apiCallsProjectedUsd,
        BigDecimal unattributedMonthToDateUsd,
        List<Line> byAccount,
        List<Line> byRegion,
        List<Line> byTag,
        List<Line> topPrincipals,
        Map<String, Line> bySecret,
        List<Saving> savings,
        Assumptions assumptions,
        Reconciliation reconciliation) {

    public CostReport withSavings(List<Saving> s) {
        return copy(List.copyOf(s), reconciliation);
    }

    /** This report with AWS's billing data set beside it ({@code cost.reconciliation}). */
    public CostReport withReconciliation(Reconciliation r) {
        return copy(savings, r);
    }

    private CostReport copy(List<Saving> s, Reconciliation r) {
        return new CostReport(
                month,
                currency,
                monthToDateUsd,
                projectedUsd,
                secretsMonthToDateUsd,
                secretsProjectedUsd,
                apiCallsMonthToDate,
                apiCallsProjected,
                apiCallsMonthToDateUsd,
                apiCallsProjectedUsd,
                unattributedMonthToDateUsd,
                byAccount,
                byRegion,
                byTag,
                topPrincipals,
                bySecret,
                s,
                assumptions,
                r);
    }

    /**
     * What the figures assume where AWS does not document the billing.
     *
     * @param batchEntriesBilled {@code price.batchEntriesBilled}: the GetSecretValue entries a batch generates
     *     are billed as calls of their own (false: only the batch call is)
     * @param batchMatchSeconds {@code batch.matchSeconds}: how far apart a batch and its entries may be logged
     */
    public record Assumptions(boolean batchEntriesBilled, long batchMatchSeconds) {}

    /** One attribution line: what it is (an account, region, tag key=value, principal or secret) and its cost. */
    public record Line(String key, BigDecimal monthToDateUsd, BigDecimal projectedUsd, long calls) {}
}
