package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Month-to-date and projected cost of the calendar month of {@code asOf}, in USD to the cent, with
 * its attribution. Calls that name no secret are reported as unattributed, not spread.
 *
 * @param kms the open month's KMS cost to date (apart: every other figure is Secrets Manager's), or null when
 *     not computed
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
        KmsMonth kms) {

    /** This report with the open month's KMS cost, and what the KMS figures assume. */
    public CostReport withKms(KmsMonth k, String kmsAssumptions) {
        return with(
                savings,
                assumptions == null
                        ? null
                        : new Assumptions(
                                assumptions.batchEntriesBilled(), assumptions.batchMatchSeconds(), kmsAssumptions),
                k);
    }

    public CostReport withSavings(List<Saving> s) {
        return with(List.copyOf(s), assumptions, kms);
    }

    private CostReport with(List<Saving> s, Assumptions a, KmsMonth k) {
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
                a,
                k);
    }

    /**
     * What the figures assume where AWS does not document the billing.
     *
     * @param batchEntriesBilled {@code price.batchEntriesBilled}: the GetSecretValue entries a batch generates
     *     are billed as calls of their own (false: only the batch call is)
     * @param batchMatchSeconds {@code batch.matchSeconds}: how far apart a batch and its entries may be logged
     * @param kms what the KMS figures cannot see (see {@link KmsCost#assumptions()}), or null without them
     */
    public record Assumptions(boolean batchEntriesBilled, long batchMatchSeconds, String kms) {
        public Assumptions(boolean batchEntriesBilled, long batchMatchSeconds) {
            this(batchEntriesBilled, batchMatchSeconds, null);
        }
    }

    /** One attribution line: what it is (an account, region, tag key=value, principal or secret) and its cost. */
    public record Line(String key, BigDecimal monthToDateUsd, BigDecimal projectedUsd, long calls) {}
}
