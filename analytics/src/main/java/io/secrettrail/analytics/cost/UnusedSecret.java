package io.secrettrail.analytics.cost;

/**
 * A secret the rules found unused, as the savings need it: which one, and the rule's reason (quoted in the
 * saving's own). The report hands these over, so that cost does not depend on the rules.
 */
public record UnusedSecret(String arn, String reason) {}
