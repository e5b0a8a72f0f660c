package io.secrettrail.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every secret of the model: the inventory (primaries and replicas) and the three kinds that only
 * the trail knows about. Random traffic draws inventory secrets with a skewed popularity.
 */
final class SecretCatalog {
    private static final long DAY = TimeWindow.DAY;

    final List<SyntheticSecret> inventory = new ArrayList<>();
    final List<SyntheticSecret> temporary = new ArrayList<>();
    final List<SyntheticSecret> unresolved = new ArrayList<>();
    final List<SyntheticSecret> vanished = new ArrayList<>();
    private final List<List<SyntheticSecret>> selectableByAr = new ArrayList<>();
    private final SyntheticSecret[] selectable;
    private final double[] cumulativeWeight;

    SecretCatalog(GeneratorConfig config, TimeWindow window, PrincipalCatalog principals, SplittableRandom rng) {
        SecretNames names = new SecretNames();
        int n = config.secrets();
        List<SyntheticSecret> primaries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // The first four cover every account/region so that no trail prefix is empty.
            int ar = i < Topology.AR_COUNT ? i : Topology.ar(rng.nextDouble() < 0.6 ? 0 : 1,
                    rng.nextDouble() < 0.6 ? 0 : 1);
            SyntheticSecret s = new SyntheticSecret(SyntheticSecret.Kind.INVENTORY, names.next(rng),
                    RandomText.alnum(rng, 6), ar);
            s.createdAt = window.firstSec() - 30 * DAY - rng.nextLong(870 * DAY);
            s.preChanged = s.createdAt + rng.nextLong(window.firstSec() - s.createdAt - DAY);
            if (rng.nextDouble() < 0.75) {
                s.preAccessed = s.preChanged + rng.nextLong(window.firstSec() - s.preChanged);
            }
            describe(s, rng);
            s.consumers = consumers(s, principals, rng);
            primaries.add(s);
        }
        assignRoles(primaries, window, rng);
        inventory.addAll(primaries);
        for (SyntheticSecret p : primaries) {
            if (p.primaryRegion != null) {
                inventory.add(replicaOf(p, window, principals, rng));
            }
        }
        int temps = 2 + rng.nextInt(2);
        for (int i = 0; i < temps; i++) {
            SyntheticSecret s = special(SyntheticSecret.Kind.TEMPORARY, names, true, principals, rng);
            s.createdAt = window.at(0.05 + 0.3 * rng.nextDouble());
            s.deletedAt = s.createdAt + (long) ((0.2 + 0.3 * rng.nextDouble()) * window.seconds());
            temporary.add(s);
        }
        int unres = 2 + rng.nextInt(2);
        for (int i = 0; i < unres; i++) {
            unresolved.add(special(SyntheticSecret.Kind.UNRESOLVED, names, false, principals, rng));
        }
        int gone = 1 + rng.nextInt(2);
        for (int i = 0; i < gone; i++) {
            vanished.add(special(SyntheticSecret.Kind.VANISHED, names, true, principals, rng));
        }

        for (int ar = 0; ar < Topology.AR_COUNT; ar++) {
            selectableByAr.add(new ArrayList<>());
        }
        List<SyntheticSecret> pickable = new ArrayList<>();
        for (SyntheticSecret s : inventory) {
            if (!s.dormant) {
                pickable.add(s);
                selectableByAr.get(s.ar).add(s);
            }
        }
        selectable = pickable.toArray(new SyntheticSecret[0]);
        // A few hot secrets take most reads, as in real accounts: weight 1/rank^0.9 over a random rank.
        int[] rank = permutation(selectable.length, rng);
        cumulativeWeight = new double[selectable.length];
        double sum = 0;
        for (int i = 0; i < selectable.length; i++) {
            sum += 1.0 / Math.pow(1 + rank[i], 0.9);
            cumulativeWeight[i] = sum;
        }
    }

    private static void describe(SyntheticSecret s, SplittableRandom rng) {
        String[] teams = {"payments", "platform", "data", "identity", "growth"};
        s.team = teams[rng.nextInt(teams.length)];
        s.costCenter = "CC-" + (1000 + rng.nextInt(9000));
        s.description = "Credentials for " + s.name + " (" + s.team + ")";
        s.versionId = RandomText.uuid(rng);
        s.fractionalEpoch = rng.nextBoolean();
    }

    private static int[] consumers(SyntheticSecret s, PrincipalCatalog principals, SplittableRandom rng) {
        List<Principal> own = principals.of(Topology.accountOf(s.ar));
        int k = 1 + rng.nextInt(3);
        int[] c = new int[k + (Topology.accountOf(s.ar) == 0 && rng.nextDouble() < 0.2 ? 1 : 0)];
        for (int i = 0; i < k; i++) {
            Principal p;
            do {
                p = own.get(rng.nextInt(own.size()));
            } while (p.admin);
            c[i] = p.index;
        }
        if (c.length > k) {
            c[k] = principals.crossAccountReader().index;
        }
        return c;
    }

    /** Decides, without overlap, which primaries are new, replicated, deleted, dormant or rotating. */
    private static void assignRoles(List<SyntheticSecret> primaries, TimeWindow window, SplittableRandom rng) {
        int n = primaries.size();
        int created = n >= 3 ? Math.max(1, Math.round(0.08f * n)) : 0;
        int replicated = n >= 2 ? Math.max(1, Math.round(0.10f * n)) : 0;
        int deleted = n >= 4 ? Math.max(1, Math.round(0.05f * n)) : 0;
        int dormant = n >= 5 ? Math.max(1, Math.round(0.10f * n)) : 0;
        int rotating = n >= 2 ? Math.max(1, Math.round(0.30f * n)) : 0;
        int[] order = permutation(n, rng);
        int i = 0;
        for (int k = 0; k < created && i < n; k++, i++) {
            SyntheticSecret s = primaries.get(order[i]);
            s.createdInWindow = true;
            s.createdAt = window.at(0.05 + 0.6 * rng.nextDouble());
            s.preChanged = SecretTally.NONE;
            s.preAccessed = SecretTally.NONE;
        }
        int replicaStart = i;
        for (int k = 0; k < replicated && i < n; k++, i++) {
            SyntheticSecret s = primaries.get(order[i]);
            s.primaryRegion = s.region;
        }
        for (int k = 0; k < deleted && i < n; k++, i++) {
            primaries.get(order[i]).deletedAt = window.at(0.3 + 0.65 * rng.nextDouble());
        }
        for (int k = 0; k < dormant && i < n; k++, i++) {
            primaries.get(order[i]).dormant = true;
        }
        // Rotation starts with the replicated primaries so that some of those rotate too.
        int rotationStart = replicaStart;
        for (int j = rotationStart, k = 0; k < rotating && j < n; j++) {
            SyntheticSecret s = primaries.get(order[j]);
            if (s.dormant || s.deletedAt != SecretTally.NONE) {
                continue;
            }
            s.rotationEnabled = true;
            s.preRotated = window.firstSec() - 1 - rng.nextLong(30 * DAY - 1);
            s.preChanged = Math.max(s.preChanged, s.preRotated);
            k++;
        }
    }

    private static SyntheticSecret replicaOf(SyntheticSecret p, TimeWindow window, PrincipalCatalog principals,
                                             SplittableRandom rng) {
        int ar = Topology.ar(Topology.accountOf(p.ar), Topology.otherRegion(Topology.regionOf(p.ar)));
        SyntheticSecret r = new SyntheticSecret(SyntheticSecret.Kind.REPLICA, p.name, p.suffix(), ar);
        r.primaryRegion = p.region;
        p.replica = r;
        r.createdAt = p.createdAt + rng.nextLong(Math.max(1, (window.firstSec() - p.createdAt) / 2));
        r.preChanged = r.createdAt + rng.nextLong(Math.max(1, window.firstSec() - r.createdAt - 1));
        if (rng.nextBoolean()) {
            r.preAccessed = r.preChanged + rng.nextLong(Math.max(1, window.firstSec() - r.preChanged));
        }
        r.team = p.team;
        r.costCenter = p.costCenter;
        r.description = p.description;
        r.versionId = p.versionId;
        r.fractionalEpoch = p.fractionalEpoch;
        r.consumers = consumers(r, principals, rng);
        return r;
    }

    private static SyntheticSecret special(SyntheticSecret.Kind kind, SecretNames names, boolean withSuffix,
                                           PrincipalCatalog principals, SplittableRandom rng) {
        int ar = rng.nextInt(Topology.AR_COUNT);
        SyntheticSecret s = new SyntheticSecret(kind, names.next(rng), withSuffix ? RandomText.alnum(rng, 6) : null,
                ar);
        s.consumers = consumers(s, principals, rng);
        // Only reachable through the full ARN, so the cross-account reader is kept away from it.
        if (kind != SyntheticSecret.Kind.VANISHED) {
            s.consumers = Arrays.stream(s.consumers)
                    .filter(c -> c != principals.crossAccountReader().index).toArray();
        }
        return s;
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A popular-weighted inventory secret usable at {@code t}, or null after a few misses. */
    SyntheticSecret pickActive(long t, SplittableRandom rng) {
        if (selectable.length == 0) {
            return null;
        }
        double total = cumulativeWeight[selectable.length - 1];
        for (int attempt = 0; attempt < 4; attempt++) {
            int i = Arrays.binarySearch(cumulativeWeight, rng.nextDouble() * total);
            i = i < 0 ? Math.min(-i - 1, selectable.length - 1) : i;
            if (selectable[i].activeAt(t)) {
                return selectable[i];
            }
        }
        return null;
    }

    /** A uniformly chosen non-dormant inventory secret of one account/region, or null. */
    SyntheticSecret pickIn(int ar, long t, SplittableRandom rng) {
        List<SyntheticSecret> list = selectableByAr.get(ar);
        if (list.isEmpty()) {
            return null;
        }
        SyntheticSecret s = list.get(rng.nextInt(list.size()));
        return s.activeAt(t) ? s : null;
    }

    List<SyntheticSecret> all() {
        List<SyntheticSecret> all = new ArrayList<>(inventory);
        all.addAll(temporary);
        all.addAll(unresolved);
        all.addAll(vanished);
        return all;
    }
}
