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
            int accountRegion = i < Topology.ACCOUNT_REGION_COUNT
                    ? i
                    : Topology.accountRegion(rng.nextDouble() < 0.6 ? 0 : 1, rng.nextDouble() < 0.6 ? 0 : 1);
            SyntheticSecret s = new SyntheticSecret(
                    SyntheticSecret.Kind.INVENTORY, names.next(rng), RandomText.alnum(rng, 6), accountRegion);
            s.createdAt = window.firstSecond() - 30 * DAY - rng.nextLong(870 * DAY);
            s.lastChangedBeforeWindow = s.createdAt + rng.nextLong(window.firstSecond() - s.createdAt - DAY);
            if (rng.nextDouble() < 0.75) {
                s.lastAccessedBeforeWindow =
                        s.lastChangedBeforeWindow + rng.nextLong(window.firstSecond() - s.lastChangedBeforeWindow);
            }
            describe(s, rng);
            s.usualReaders = usualReaders(s, principals, rng);
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

        for (int accountRegion = 0; accountRegion < Topology.ACCOUNT_REGION_COUNT; accountRegion++) {
            selectableByAr.add(new ArrayList<>());
        }
        List<SyntheticSecret> pickable = new ArrayList<>();
        for (SyntheticSecret s : inventory) {
            if (!s.dormant) {
                pickable.add(s);
                selectableByAr.get(s.accountRegion).add(s);
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

    private static int[] usualReaders(SyntheticSecret s, PrincipalCatalog principals, SplittableRandom rng) {
        List<Principal> own = principals.of(Topology.accountIndexOf(s.accountRegion));
        int k = 1 + rng.nextInt(3);
        int[] c = new int[k + (Topology.accountIndexOf(s.accountRegion) == 0 && rng.nextDouble() < 0.2 ? 1 : 0)];
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
            s.lastChangedBeforeWindow = SecretTally.NONE;
            s.lastAccessedBeforeWindow = SecretTally.NONE;
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
            s.lastRotatedBeforeWindow = window.firstSecond() - 1 - rng.nextLong(30 * DAY - 1);
            s.lastChangedBeforeWindow = Math.max(s.lastChangedBeforeWindow, s.lastRotatedBeforeWindow);
            k++;
        }
    }

    private static SyntheticSecret replicaOf(
            SyntheticSecret p, TimeWindow window, PrincipalCatalog principals, SplittableRandom rng) {
        int accountRegion = Topology.accountRegion(
                Topology.accountIndexOf(p.accountRegion),
                Topology.otherRegionIndex(Topology.regionIndexOf(p.accountRegion)));
        SyntheticSecret r = new SyntheticSecret(SyntheticSecret.Kind.REPLICA, p.name, p.suffix(), accountRegion);
        r.primaryRegion = p.region;
        p.replica = r;
        r.createdAt = p.createdAt + rng.nextLong(Math.max(1, (window.firstSecond() - p.createdAt) / 2));
        r.lastChangedBeforeWindow = r.createdAt + rng.nextLong(Math.max(1, window.firstSecond() - r.createdAt - 1));
        if (rng.nextBoolean()) {
            r.lastAccessedBeforeWindow = r.lastChangedBeforeWindow
                    + rng.nextLong(Math.max(1, window.firstSecond() - r.lastChangedBeforeWindow));
        }
        r.team = p.team;
        r.costCenter = p.costCenter;
        r.description = p.description;
        r.versionId = p.versionId;
        r.fractionalEpoch = p.fractionalEpoch;
        r.usualReaders = usualReaders(r, principals, rng);
        return r;
    }

    private static SyntheticSecret special(
            SyntheticSecret.Kind kind,
            SecretNames names,
            boolean withSuffix,
            PrincipalCatalog principals,
            SplittableRandom rng) {
        int accountRegion = rng.nextInt(Topology.ACCOUNT_REGION_COUNT);
        SyntheticSecret s =
                new SyntheticSecret(kind, names.next(rng), withSuffix ? RandomText.alnum(rng, 6) : null, accountRegion);
        s.usualReaders = usualReaders(s, principals, rng);
        // Only reachable through the full ARN, so the cross-account reader is kept away from it.
        if (kind != SyntheticSecret.Kind.VANISHED) {
            s.usualReaders = Arrays.stream(s.usualReaders)
                    .filter(c -> c != principals.crossAccountReader().index)
                    .toArray();
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
    SyntheticSecret pickIn(int accountRegion, long t, SplittableRandom rng) {
        List<SyntheticSecret> list = selectableByAr.get(accountRegion);
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
