package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.Saving;
import java.math.BigDecimal;
import java.util.List;

/**
 * The Cost page: one month of the report's {@code cost.months[]} in detail, narrowed to an account and region,
 * and the months of the range beside it (the month-over-month chart). Exact decimals throughout.
 *
 * @param month the month shown, "YYYY-MM"
 * @param months the months of the range, oldest first: the picker's choices and the chart's bars
 * @param note why the month shown is not the one asked for (outside the range), else null
 * @param filtered an account or region filter applies: totals are then the sums of that scope's secret lines
 * @param apiCalls billed calls (fractional under a filter: a call naming n secrets counts 1/n for each)
 * @param unattributedUsd the month's calls that name no existing secret; null under a filter, which cannot
 *     place them in an account or region
 * @param projectedUsd the open month's projection; null for a closed month
 * @param principalsInScope under a filter, the principal lines count every API call made in the scope's
 *     account and region (unattributed ones and generated batch entries too; under a team, only those naming one
 *     of its secrets, whole), so they need not add up to the secret lines
 * @param savings the report's savings (of the open month), narrowed to the scope's secrets
 */
public record CostPage(
        String month,
        boolean closed,
        List<Bar> months,
        String note,
        boolean filtered,
        BigDecimal secretsUsd,
        BigDecimal apiCalls,
        BigDecimal apiCallsUsd,
        BigDecimal unattributedUsd,
        BigDecimal totalUsd,
        BigDecimal projectedUsd,
        List<MonthCost.Line> bySecret,
        List<MonthCost.Line> byAccount,
        List<MonthCost.Line> byRegion,
        List<MonthCost.Line> byTag,
        List<MonthCost.Line> byPrincipal,
        boolean principalsInScope,
        List<Saving> savings) {

    /**
     * One month of the range, in the page's scope: storage, API calls and (once the report has them) KMS.
     *
     * @param kmsUsd null while the report carries no KMS figures
     * @param projectedUsd the open month's projection; null when closed
     */
    public record Bar(
            String month,
            boolean closed,
            BigDecimal secretsUsd,
            BigDecimal apiCallsUsd,
            BigDecimal kmsUsd,
            BigDecimal totalUsd,
            BigDecimal projectedUsd) {}
}
