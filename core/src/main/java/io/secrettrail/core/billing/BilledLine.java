package io.secrettrail.core.billing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of AWS's own billing data for Secrets Manager or KMS, normalised from a Cost and Usage Report
 * export (CUR 2.0 or legacy) or from Cost Explorer: summed over the line items that share every field but
 * the amounts. Amounts are exact decimals as AWS wrote them.
 *
 * @param source {@code cur2}, {@code cur-legacy} or {@code cost-explorer}
 * @param file the export file (relative to the directory or S3 prefix read), or {@code GetCostAndUsage}
 * @param month the billing period, {@code YYYY-MM}
 * @param service {@code secretsmanager} or {@code kms}
 * @param usageKind what the usage type bills (see {@link UsageKinds}), or {@code null} for one not reconciled
 * @param lineItemType {@code Usage}, {@code Credit}, {@code Refund}, {@code Tax}, {@code Discount}... as AWS names it
 * @param resourceId the line item's resource (a secret's ARN), or {@code null} when the export has none
 * @param unblendedUsd the unblended cost
 * @param netUsd the net unblended cost (after discounts), or {@code null} where the data has no such column
 */
public record BilledLine(
        String source,
        String file,
        String month,
        String account,
        String region,
        String service,
        String usageType,
        String usageKind,
        String lineItemType,
        String resourceId,
        BigDecimal quantity,
        BigDecimal unblendedUsd,
        BigDecimal netUsd) {

    public static final String USAGE = "Usage";

    public BilledLine {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(lineItemType, "lineItemType");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unblendedUsd, "unblendedUsd");
    }

    /** Whether this line is usage (reconciled against the computation); credits, refunds, tax... are not. */
    public boolean usage() {
        return USAGE.equals(lineItemType);
    }
}
