package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * AWS's billing data set beside SecretTrail's computation ({@code cost.reconciliation}).
 *
 * @param sources where the billed figures come from: {@code cur2}, {@code cur-legacy}, {@code cost-explorer}
 * @param basis {@code unblended}: the billed dollars compared are unblended usage cost (usage at the rates billed,
 *     before credits, refunds, discounts and tax, which are listed apart in {@code nonUsage}); the net unblended
 *     figure is given beside it where the data has one
 * @param lines per month, account, region and usage kind (resource null), then per resource where the billing data
 *     names resources
 * @param nonUsage every billed line that is not usage (Credit, Refund, Tax, Discount...), never mixed into lines
 */
public record Reconciliation(String basis, List<String> sources, List<Line> lines, List<NonUsage> nonUsage) {

    /**
     * One comparison. {@code computed*} and {@code delta*} are null where SecretTrail does not compute the kind yet.
     *
     * @param usageKind {@code secrets}, {@code api-requests}, {@code kms-requests}, {@code kms-keys}, or the usage type
     *     itself for a billed usage type SecretTrail does not compute
     * @param delta billed minus computed
     * @param reconciled the dollars agree to the cent
     * @param explanations what is known to explain a difference, each a sentence with its numbers
     */
    public record Line(
            String month,
            String account,
            String region,
            String usageKind,
            String resource,
            BigDecimal billedQuantity,
            BigDecimal billedUsd,
            BigDecimal billedNetUsd,
            BigDecimal computedQuantity,
            BigDecimal computedUsd,
            BigDecimal deltaQuantity,
            BigDecimal deltaUsd,
            boolean reconciled,
            List<String> explanations) {}

    /** A billed line that is not usage, summed per month, account, region, service, usage type and line item type. */
    public record NonUsage(
            String month,
            String account,
            String region,
            String service,
            String usageType,
            String lineItemType,
            BigDecimal usd,
            BigDecimal netUsd) {}
}
