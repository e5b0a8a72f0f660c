package io.secrettrail.analytics.cost;

import java.math.BigDecimal;

/**
 * Money that could be saved each month, and why.
 *
 * @param kind {@code delete-unused} or {@code cache}
 * @param principal the hot reader, for {@code cache}; null otherwise
 */
public record Saving(String kind, String resource, String principal, BigDecimal monthlyUsd, String reason) {}
