package io.secrettrail.analytics.cost;

import java.math.BigDecimal;

/**
 * One figure SecretTrail computes for a month, in the units AWS bills it in, to be set beside AWS's billing lines:
 * per month, account, region, usage kind ({@code secrets} in secret-months, {@code api-requests} in requests,
 * {@code kms-requests}, {@code kms-keys}) and, where the figure belongs to one resource, that resource (a secret's
 * ARN; a KMS key's). A line with no resource is part of its group's total only (calls that name no secret).
 *
 * @param usd unrounded
 */
public record ComputedLine(
        String month,
        String account,
        String region,
        String usageKind,
        String resource,
        BigDecimal quantity,
        BigDecimal usd) {}
