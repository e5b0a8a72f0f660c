package io.secrettrail.analytics.dashboard;

import java.util.List;

/**
 * One row of the access ledger: a principal's use of a secret.
 *
 * @param sourceIps, userAgents those of the top clients (source IP, user agent) by calls
 * @param otherClients clients beyond them, folded into one "others" row; {@code otherCalls} their calls
 */
public record Access(
        String secret,
        String principal,
        long calls,
        long errors,
        String firstSeen,
        String lastSeen,
        List<String> sourceIps,
        List<String> userAgents,
        long otherClients,
        long otherCalls) {}
