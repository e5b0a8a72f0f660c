package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Month-to-date and projected cost of the calendar month of {@code asOf}, in USD to the cent, with
 * its attribution. Calls that name no secret are reported as unattributed, not spread.
 *
 * <p>Beside the v1 figures (issue 15): {@code months}, every month the trail spans in exact decimals (the
 * last one is asOf's month, whose rounded figures are the v1 ones); {@code monthOverMonth}, the change
 * between the last two (null with one month); {@code otherPrincipals}, the principals outside
 * {@code topPrincipals}; {@code reconciliation}, AWS's billing data beside the computation (null without it).
 *
 * @param kms the open month's KMS cost to date (apart: every other v1 figure is Secrets Manager's), the same
 *     computation as the open month's {@code months[]} entry
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
        List<MonthCost> months,
        MonthOverMonth monthOverMonth,
        Others otherPrincipals,
        Reconciliation reconciliation,
        KmsMonth kms) {

    public CostReport withSavings(List<Saving> s) {
        return copy(List.copyOf(s), assumptions, reconciliation, kms);
    }

    /**
     * This report's per-secret parts narrowed to the secrets {@code keep} accepts: {@code bySecret}, the savings and
     * each month's {@code bySecret}; every total and other attribution stays the whole data's.
     */
    public CostReport forSecrets(java.util.function.Predicate<String> keep) {
        Map<String, Line> secrets = new java.util.TreeMap<>();
        bySecret.forEach((k, v) -> {
            if (keep.test(k)) {
                secrets.put(k, v);
            }
        });
        return copy(
                secrets,
                months == null
                        ? null
                        : months.stream().map(m -> m.forSecrets(keep)).toList(),
                monthOverMonth,
                savings == null
                        ? null
                        : savings.stream().filter(s -> keep.test(s.resource())).toList(),
                assumptions,
                reconciliation,
                kms);
    }

    /** This report with AWS's billing data set beside it ({@code cost.reconciliation}). */
    public CostReport withReconciliation(Reconciliation r) {
        return copy(savings, assumptions, r, kms);
    }

    /**
     * The v1 figures alone: this report without what issue 15 set beside them (months, month over month, KMS, the
     * reconciliation, the KMS assumptions) — what must not change when KMS data is added.
     */
    public CostReport v1Figures() {
        return copy(bySecret, null, null, savings, assumptions, null, null);
    }

    private CostReport copy(List<Saving> s, Assumptions a, Reconciliation r, KmsMonth k) {
        return copy(bySecret, months, monthOverMonth, s, a, r, k);
    }

    private CostReport copy(
            Map<String, Line> secrets,
            List<MonthCost> ms,
            MonthOverMonth mom,
            List<Saving> s,
            Assumptions a,
            Reconciliation r,
            KmsMonth k) {
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
                secrets,
                s,
                a,
                ms,
                mom,
                otherPrincipals,
                r,
                k);
    }

    /**
     * What the figures assume where AWS does not document the billing.
     *
     * @param batchEntriesBilled {@code price.batchEntriesBilled}: the GetSecretValue entries a batch generates
     *     are billed as calls of their own (false: only the batch call is)
     * @param batchMatchSeconds {@code batch.matchSeconds}: how far apart a batch and its entries may be logged
     * @param kms what the KMS figures cannot see (see {@link KmsCost#assumptions()}), or null without them
     * @param scope what a report narrowed to some teams counts ({@code analyze --team}), null for the whole data
     */
    public record Assumptions(boolean batchEntriesBilled, long batchMatchSeconds, String kms, String scope) {
        public Assumptions(boolean batchEntriesBilled, long batchMatchSeconds) {
            this(batchEntriesBilled, batchMatchSeconds, null, null);
        }

        public Assumptions(boolean batchEntriesBilled, long batchMatchSeconds, String kms) {
            this(batchEntriesBilled, batchMatchSeconds, kms, null);
        }
    }

    /** What lies outside a top list: how many, their calls and their cost in exact decimals. */
    public record Others(long count, long calls, BigDecimal usd) {}

    /** One attribution line: what it is (an account, region, tag key=value, principal or secret) and its cost. */
    public record Line(String key, BigDecimal monthToDateUsd, BigDecimal projectedUsd, long calls) {}
}
