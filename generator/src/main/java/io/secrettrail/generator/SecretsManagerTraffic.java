package io.secrettrail.generator;

import java.util.List;
import java.util.SplittableRandom;

/** The everyday mix of Secrets Manager calls, drawn one at a time. */
final class SecretsManagerTraffic {
    private final SecretCatalog catalog;
    private final PrincipalCatalog principals;
    private final CallFactory factory;

    SecretsManagerTraffic(SecretCatalog catalog, PrincipalCatalog principals, CallFactory factory) {
        this.catalog = catalog;
        this.principals = principals;
        this.factory = factory;
    }

    SecretsManagerCall next(long t, SplittableRandom rng) {
        double u = rng.nextDouble();
        if (u < 0.10) {
            return unattributed(t, u, rng);
        }
        SyntheticSecret s = catalog.pickActive(t, rng);
        if (s == null) {
            return unattributed(t, 0.0, rng);
        }
        Principal p = caller(s, rng);
        EventName e = operation(rng.nextDouble());
        // Replicas are read-only; the cross-account reader and RDS only read.
        if ((s.kind == SyntheticSecret.Kind.REPLICA || p.crossAccount) && !e.readOnly
                || p.type == Principal.Type.AWS_SERVICE) {
            e = EventName.GetSecretValue;
        }
        SecretsManagerCall c =
                e == EventName.BatchGetSecretValue ? batch(t, s, p, rng) : factory.single(e, t, s, p, rng);
        if (c.event == EventName.PutSecretValue) {
            factory.putValue(c, s, rng, rng.nextDouble() < 0.01);
        } else if (c.event == EventName.UpdateSecret) {
            c.description = "Credentials for " + s.name + " (rev " + (1 + rng.nextInt(40)) + ")";
            c.responseArn = s.fullArn;
            c.responseName = s.name;
        } else if (c.event == EventName.TagResource) {
            c.ownerTagValue = s.team + "-oncall";
        }
        if (p.canBeDenied() && rng.nextDouble() < 0.03) {
            CallFactory.deny(c, c.secretId != null ? c.secretId : c.secretIdList[0]);
        } else if (c.event == EventName.GetSecretValue && rng.nextDouble() < 0.005) {
            c.versionStage = "AWSPENDING";
            CallFactory.notFound(
                    c, "Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
        }
        if (c.event == EventName.PutSecretValue && c.errorCode == null) {
            remember(s, c);
        }
        return c;
    }

    private static void remember(SyntheticSecret s, SecretsManagerCall c) {
        // The inventory shows the version of the latest successful PutSecretValue.
        if (c.time >= s.versionIdSince) {
            s.versionIdSince = c.time;
            s.versionId = c.responseVersionId;
        }
    }

    private static EventName operation(double op) {
        if (op < 0.70) {
            return EventName.GetSecretValue;
        } else if (op < 0.83) {
            return EventName.DescribeSecret;
        } else if (op < 0.89) {
            return EventName.BatchGetSecretValue;
        } else if (op < 0.93) {
            return EventName.PutSecretValue;
        } else if (op < 0.95) {
            return EventName.UpdateSecret;
        } else if (op < 0.965) {
            return EventName.TagResource;
        } else if (op < 0.98) {
            return EventName.GetResourcePolicy;
        }
        return EventName.ListSecretVersionIds;
    }

    /** Mostly the secret's usual readers, sometimes anyone else of its account. */
    private Principal caller(SyntheticSecret s, SplittableRandom rng) {
        if (s.usualReaders.length > 0 && rng.nextDouble() < 0.85) {
            return principals.all().get(s.usualReaders[rng.nextInt(s.usualReaders.length)]);
        }
        List<Principal> own = principals.of(Topology.accountIndexOf(s.accountRegion));
        return own.get(rng.nextInt(own.size()));
    }

    private SecretsManagerCall batch(long t, SyntheticSecret first, Principal p, SplittableRandom rng) {
        int want = 2 + rng.nextInt(4);
        SyntheticSecret[] picked = new SyntheticSecret[want];
        picked[0] = first;
        int n = 1;
        for (int attempt = 0; attempt < want * 3 && n < want; attempt++) {
            SyntheticSecret s = catalog.pickIn(first.accountRegion, t, rng);
            if (s != null && !contains(picked, n, s)) {
                picked[n++] = s;
            }
        }
        if (n < 2) {
            return factory.single(EventName.GetSecretValue, t, first, p, rng);
        }
        SecretsManagerCall c = factory.call(EventName.BatchGetSecretValue, t, first.accountRegion, p, rng);
        c.namedSecrets = java.util.Arrays.copyOf(picked, n);
        c.secretIdList = new String[n];
        for (int i = 0; i < n; i++) {
            c.secretIdList[i] = CallFactory.reference(c.namedSecrets[i], p, rng);
        }
        return c;
    }

    private static boolean contains(SyntheticSecret[] a, int n, SyntheticSecret s) {
        for (int i = 0; i < n; i++) {
            if (a[i] == s) {
                return true;
            }
        }
        return false;
    }

    /** ListSecrets, GetRandomPassword and filter-based BatchGetSecretValue name no secret. */
    private SecretsManagerCall unattributed(long t, double u, SplittableRandom rng) {
        int accountRegion = rng.nextInt(Topology.ACCOUNT_REGION_COUNT);
        List<Principal> own = principals.of(Topology.accountIndexOf(accountRegion));
        Principal p;
        do {
            p = own.get(rng.nextInt(own.size()));
        } while (p.type == Principal.Type.AWS_SERVICE);
        EventName e = u < 0.07
                ? EventName.ListSecrets
                : u < 0.09 ? EventName.GetRandomPassword : EventName.BatchGetSecretValue;
        SecretsManagerCall c = factory.call(e, t, accountRegion, p, rng);
        if (e == EventName.BatchGetSecretValue) {
            c.tagKeyFilter = rng.nextBoolean() ? "team" : "cost-center";
        }
        return c;
    }
}
