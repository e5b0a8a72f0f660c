package io.secrettrail.analytics.access;

import java.time.Instant;
import java.util.List;

/**
 * One line of the access ledger: a principal's API calls naming one secret.
 *
 * @param sourceIps the source IPs of the top clients (source IP, user agent) by calls, sorted
 * @param userAgents the user agents of the same clients, sorted
 * @param otherClients the clients beyond the top ones, folded together
 * @param otherClientCalls their calls
 * @param callerKinds the kinds of all its callers (see the snapshot's caller kinds), sorted
 */
public record AccessEntry(
        String secret,
        String principal,
        long calls,
        long errors,
        Instant firstSeen,
        Instant lastSeen,
        List<String> sourceIps,
        List<String> userAgents,
        long otherClients,
        long otherClientCalls,
        List<String> callerKinds) {

    public AccessEntry(
            String secret,
            String principal,
            long calls,
            long errors,
            Instant firstSeen,
            Instant lastSeen,
            List<String> sourceIps,
            List<String> userAgents,
            long otherClients,
            long otherClientCalls) {
        this(
                secret,
                principal,
                calls,
                errors,
                firstSeen,
                lastSeen,
                sourceIps,
                userAgents,
                otherClients,
                otherClientCalls,
                List.of());
    }

    public AccessEntry(
            String secret,
            String principal,
            long calls,
            long errors,
            Instant firstSeen,
            Instant lastSeen,
            List<String> sourceIps,
            List<String> userAgents) {
        this(secret, principal, calls, errors, firstSeen, lastSeen, sourceIps, userAgents, 0, 0);
    }
}
