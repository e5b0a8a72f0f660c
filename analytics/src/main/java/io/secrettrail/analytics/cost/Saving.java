package io.secrettrail.analytics.cost;

import java.math.BigDecimal;

/**
 * Money that could be saved each month, and why.
 *
 * @param kind {@code delete-unused} or {@code cache}, or {@link #KMS_DEFAULT_KEY} (information only)
 * @param principal the hot reader, for {@code cache}; null otherwise
 */
public record Saving(String kind, String resource, String principal, BigDecimal monthlyUsd, String reason) {
    /**
     * A customer managed key used by a single low-value secret: what {@code aws/secretsmanager} would save. Information,
     * never a recommendation: a customer managed key may be needed (a key policy, cross-account access, compliance).
     */
    static final String KMS_DEFAULT_KEY = "kms-default-key";

    /** Information only: what a change would save, not a change SecretTrail recommends. */
    public boolean information() {
        return KMS_DEFAULT_KEY.equals(kind);
    }
}
