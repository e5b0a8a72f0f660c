package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.snapshot.CallerKinds;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One row of the access ledger: a principal's use of a secret.
 *
 * @param sourceIps, userAgents those of the top clients (source IP, user agent) by calls
 * @param otherClients clients beyond them, folded into one "others" row; {@code otherCalls} their calls
 * @param callerKinds the kinds of the listed clients (caching, sdk, ...), sorted
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
        long otherCalls,
        List<String> callerKinds) {

    public Access(
            String secret,
            String principal,
            long calls,
            long errors,
            String firstSeen,
            String lastSeen,
            List<String> sourceIps,
            List<String> userAgents,
            long otherClients,
            long otherCalls) {
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
                otherCalls,
                kinds(principal, userAgents));
    }

    /** The kinds of the user agents of a principal's clients, by the snapshot's rules. */
    static List<String> kinds(String principal, List<String> userAgents) {
        CallerKinds k = CallerKinds.standard();
        String service = CallerKinds.serviceOf(principal);
        Set<String> out = new TreeSet<>();
        for (String ua : userAgents) {
            out.add(k.classify(ua, service).kind());
        }
        if (userAgents.isEmpty() && service != null) {
            out.add(k.classify(null, service).kind());
        }
        return List.copyOf(out);
    }
}
