package io.secrettrail.analytics.access;

import java.time.Instant;
import java.util.List;

/** One line of the access ledger: a principal's API calls naming one secret. */
public record AccessEntry(String secret, String principal, long calls, long errors, Instant firstSeen, Instant lastSeen,
                          List<String> sourceIps, List<String> userAgents) {}
