package io.secrettrail.core.secret;

import java.time.Instant;

/**
 * A secret's current resource policy, as {@code GetResourcePolicy} returns it ({@code {"ARN", "Name",
 * "ResourcePolicy"}}): read from Secrets Manager by the inventory source, or from a saved
 * {@code aws secretsmanager get-resource-policy} output.
 *
 * @param policy the policy document as the JSON text AWS returns, null when the secret has none
 * @param readAt when it was read from Secrets Manager; null for a saved output, which counts as current as of the
 *     report
 * @param origin {@code GetResourcePolicy} when read from Secrets Manager, else the file it came from
 */
public record ResourcePolicy(String arn, String name, String policy, Instant readAt, String origin) {
    /** The origin of a policy read from Secrets Manager by the inventory source. */
    public static final String FETCHED = "GetResourcePolicy";

    public ResourcePolicy {
        java.util.Objects.requireNonNull(arn, "arn");
        java.util.Objects.requireNonNull(origin, "origin");
    }

    /** The record key on the inventory topic: apart from the secret's own entry, which is keyed by its ARN. */
    public String key() {
        return "policy:" + arn;
    }
}
