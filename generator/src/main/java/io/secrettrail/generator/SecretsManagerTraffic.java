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
        SmEvent e = operation(rng.nextDouble());
        // Replicas are read-only; the cross-account reader and RDS only read.
        if ((s.kind == SyntheticSecret.Kind.REPLICA || p.crossAccount) && !e.readOnly
                || p.type == Principal.Type.AWS_SERVICE) {
            e = SmEvent.GetSecretValue;
        }
        SecretsManagerCall c = e == SmEvent.BatchGetSecretValue ? batch(t, s, p, rng) : factory.single(e, t, s, p, rng);
        if (c.event == SmEvent.PutSecretValue) {
            factory.putValue(c, s, rng, rng.nextDouble() < 0.01);
        } else if (c.event == SmEvent.UpdateSecret) {
            c.description = "Credentials for " + s.name + " (rev " + (1 + rng.nextInt(40)) + ")";
            c.responseArn = s.fullArn;
            c.responseName = s.name;
        } else if (c.event == SmEvent.TagResource) {
            c.tagValue = s.team + "-oncall";
        }
        if (p.canBeDenied() && rng.nextDouble() < 0.03) {
            CallFactory.deny(c, c.secretId != null ? c.secretId : c.secretIdList[0]);
        } else if (c.event == SmEvent.GetSecretValue && rng.nextDouble() < 0.005) {
            c.versionStage = "AWSPENDING";
            CallFactory.notFound(c, "Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
        }
        if (c.event == SmEvent.PutSecretValue && c.errorCode == null) {
            remember(s, c);
        }
        return c;
    }

    private static void remember(SyntheticSecret s, SecretsManagerCall c) {
        // The inventory shows the version of the latest successful PutSecretValue.
        if (c.time >= s.versionTime) {
            s.versionTime = c.time;
            s.versionId = c.responseVersionId;
        }
    }

    private static SmEvent operation(double op) {
        if (op < 0.70) {
            return SmEvent.GetSecretValue;
        } else if (op < 0.83) {
            return SmEvent.DescribeSecret;
        } else if (op < 0.89) {
            return SmEvent.BatchGetSecretValue;
        } else if (op < 0.93) {
            return SmEvent.PutSecretValue;
        } else if (op < 0.95) {
            return SmEvent.UpdateSecret;
        } else if (op < 0.965) {
            return SmEvent.TagResource;
        } else if (op < 0.98) {
            return SmEvent.GetResourcePolicy;
        }
        return SmEvent.ListSecretVersionIds;
    }

    /** Mostly the secret's usual readers, sometimes anyone else of its account. */
    private Principal caller(SyntheticSecret s, SplittableRandom rng) {
        if (s.consumers.length > 0 && rng.nextDouble() < 0.85) {
            return principals.all().get(s.consumers[rng.nextInt(s.consumers.length)]);
        }
        List<Principal> own = principals.of(Topology.accountOf(s.ar));
        return own.get(rng.nextInt(own.size()));
    }

    private SecretsManagerCall batch(long t, SyntheticSecret first, Principal p, SplittableRandom rng) {
        int want = 2 + rng.nextInt(4);
        SyntheticSecret[] picked = new SyntheticSecret[want];
        picked[0] = first;
        int n = 1;
        for (int attempt = 0; attempt < want * 3 && n < want; attempt++) {
            SyntheticSecret s = catalog.pickIn(first.ar, t, rng);
            if (s != null && !contains(picked, n, s)) {
                picked[n++] = s;
            }
        }
        if (n < 2) {
            return factory.single(SmEvent.GetSecretValue, t, first, p, rng);
        }
        SecretsManagerCall c = factory.call(SmEvent.BatchGetSecretValue, t, first.ar, p, rng);
        c.named = java.util.Arrays.copyOf(picked, n);
        c.secretIdList = new String[n];
        for (int i = 0; i < n; i++) {
            c.secretIdList[i] = CallFactory.reference(c.named[i], p, rng);
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
        int ar = rng.nextInt(Topology.AR_COUNT);
        List<Principal> own = principals.of(Topology.accountOf(ar));
        Principal p;
        do {
            p = own.get(rng.nextInt(own.size()));
        } while (p.type == Principal.Type.AWS_SERVICE);
        SmEvent e = u < 0.07 ? SmEvent.ListSecrets : u < 0.09 ? SmEvent.GetRandomPassword : SmEvent.BatchGetSecretValue;
        SecretsManagerCall c = factory.call(e, t, ar, p, rng);
        if (e == SmEvent.BatchGetSecretValue) {
            c.filterValue = rng.nextBoolean() ? "team" : "cost-center";
        }
        return c;
    }
}
