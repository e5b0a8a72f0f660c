package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Month-to-date and projected cost of the calendar month of {@code asOf}, in USD to the cent, with
 * its attribution. Calls that name no secret are reported as unattributed, not spread.
 */
public record CostReport(
        String month, String currency,
        BigDecimal monthToDateUsd, BigDecimal projectedUsd,
        BigDecimal secretsMonthToDateUsd, BigDecimal secretsProjectedUsd,
        long apiCallsMonthToDate, long apiCallsProjected,
        BigDecimal apiCallsMonthToDateUsd, BigDecimal apiCallsProjectedUsd,
        BigDecimal unattributedMonthToDateUsd,
        List<Line> byAccount, List<Line> byRegion, List<Line> byTag, List<Line> topPrincipals,
        Map<String, Line> bySecret) {

    /** One attribution line: what it is (an account, region, tag key=value, principal or secret) and its cost. */
    public record Line(String key, BigDecimal monthToDateUsd, BigDecimal projectedUsd, long calls) {}
}
