package io.secrettrail.generator;

import java.util.SplittableRandom;

/** Builds Secrets Manager calls with the caller-dependent details filled in. */
final class CallFactory {
    final String canary;

    CallFactory(String canary) {
        this.canary = canary;
    }

    SecretsManagerCall call(EventName event, long t, int accountRegion, Principal p, SplittableRandom rng) {
        SecretsManagerCall c = new SecretsManagerCall(event, t, accountRegion, p);
        c.sessionIndex = p.sessionNames == null ? 0 : rng.nextInt(p.sessionNames.length);
        c.sourceIp = p.sourceIps[rng.nextInt(p.sourceIps.length)];
        c.userAgent = p.userAgents[rng.nextInt(p.userAgents.length)];
        c.eventId = RandomText.uuid(rng);
        c.requestId = RandomText.uuid(rng);
        c.tlsVariant = rng.nextInt(8);
        return c;
    }

    /** A call naming exactly one secret by a reference the caller could really use. */
    SecretsManagerCall single(EventName event, long t, SyntheticSecret s, Principal p, SplittableRandom rng) {
        SecretsManagerCall c = call(event, t, s.accountRegion, p, rng);
        c.secretId = reference(s, p, rng);
        c.namedSecrets = new SyntheticSecret[] {s};
        return c;
    }

    /**
     * Plain name ~40%, partial ARN ~10%, full ARN ~50%; another account's caller and long-gone
     * secrets only work by full ARN, unresolved ones are never named by it.
     */
    static String reference(SyntheticSecret s, Principal p, SplittableRandom rng) {
        double u = rng.nextDouble();
        if (s.kind == SyntheticSecret.Kind.UNRESOLVED) {
            return u < 0.75 ? s.name : s.partialArn;
        }
        if (s.kind == SyntheticSecret.Kind.VANISHED || p.accountIndex != Topology.accountIndexOf(s.accountRegion)) {
            return s.fullArn;
        }
        return u < 0.4 ? s.name : u < 0.5 ? s.partialArn : s.fullArn;
    }

    static void deny(SecretsManagerCall c, String resource) {
        c.errorCode = "AccessDenied";
        String action = "secretsmanager:" + c.event.name();
        c.errorMessage = "User: " + c.principal.callerArn(c.sessionIndex) + " is not authorized to perform: " + action
                + " on resource: " + resource + " because no identity-based policy allows the " + action + " action";
    }

    static void notFound(SecretsManagerCall c, String message) {
        c.errorCode = "ResourceNotFoundException";
        c.errorMessage = message;
    }

    void putValue(SecretsManagerCall c, SyntheticSecret s, SplittableRandom rng, boolean withCanary) {
        c.clientToken = RandomText.uuid(rng);
        c.responseArn = s.fullArn;
        c.responseVersionId = c.clientToken;
        if (withCanary) {
            c.secretString = canary;
        }
    }
}
