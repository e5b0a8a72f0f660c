package io.secrettrail.core.secret;

/**
 * The secret an event names, after resolution.
 *
 * @param key the canonical full ARN, or, when unresolved, the stable partial ARN built from the
 *            account, region and name
 * @param resolved whether {@code key} is the secret's full ARN
 */
public record SecretRef(String key, boolean resolved, String account, String region, String name) {}
