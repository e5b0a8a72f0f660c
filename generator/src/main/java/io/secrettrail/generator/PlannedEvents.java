package io.secrettrail.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The events the model's lifecycle requires at known times: creations, deletions, rotations, the
 * reads of the secrets that only the trail knows, the canary and the hostile user agent.
 */
final class PlannedEvents {
    private static final String[] ROTATION_STEPS = {"createSecret", "setSecret", "testSecret", "finishSecret"};

    private final SecretCatalog catalog;
    private final PrincipalCatalog principals;
    private final CallFactory factory;
    private final TimeWindow window;
    private final int maxReads;
    private final List<SecretsManagerRecord> events = new ArrayList<>();

    PlannedEvents(
            SecretCatalog catalog,
            PrincipalCatalog principals,
            CallFactory factory,
            TimeWindow window,
            long targetEvents) {
        this.catalog = catalog;
        this.principals = principals;
        this.factory = factory;
        this.window = window;
        // Keep the special secrets' reads a small share of small runs.
        this.maxReads = (int) Math.max(1, Math.min(40, targetEvents / 150));
    }

    /** All planned events, in time order (stable for equal times). */
    List<SecretsManagerRecord> build(SplittableRandom rng) {
        for (SyntheticSecret s : catalog.inventory) {
            if (s.createdInWindow) {
                create(s, s.createdAt, rng);
            }
            if (s.kind == SyntheticSecret.Kind.INVENTORY && s.deletedAt != SecretTally.NONE) {
                delete(s, s.deletedAt, rng.nextBoolean() ? s.name : s.fullArn, 7 + rng.nextInt(24), rng);
            }
        }
        rotations(rng);
        for (SyntheticSecret s : catalog.temporary) {
            create(s, s.createdAt, rng);
            int reads = 1 + rng.nextInt(Math.max(2, maxReads));
            for (int i = 0; i < reads; i++) {
                long t = window.pick(rng, s.createdAt + 1, s.deletedAt - 1);
                EventName e = rng.nextDouble() < 0.8 ? EventName.GetSecretValue : EventName.DescribeSecret;
                SecretsManagerCall c = factory.single(e, t, s, consumer(s, rng), rng);
                c.secretId = s.name;
                events.add(c);
            }
            delete(s, s.deletedAt, s.name, rng.nextBoolean() ? 0 : 7, rng);
        }
        for (SyntheticSecret s : catalog.unresolved) {
            int reads = 1 + rng.nextInt(maxReads);
            for (int i = 0; i < reads; i++) {
                EventName e = rng.nextDouble() < 0.8 ? EventName.GetSecretValue : EventName.DescribeSecret;
                SecretsManagerCall c = factory.single(e, window.pick(rng, 0, Long.MAX_VALUE), s, consumer(s, rng), rng);
                if (c.principal.canBeDenied() && rng.nextDouble() < 0.1) {
                    CallFactory.deny(c, c.secretId);
                }
                events.add(c);
            }
        }
        for (SyntheticSecret s : catalog.vanished) {
            int reads = 1 + rng.nextInt(Math.max(1, maxReads / 2));
            for (int i = 0; i < reads; i++) {
                SecretsManagerCall c = factory.single(
                        EventName.GetSecretValue, window.pick(rng, 0, Long.MAX_VALUE), s, consumer(s, rng), rng);
                CallFactory.notFound(c, "Secrets Manager can't find the specified secret.");
                events.add(c);
            }
        }
        SyntheticSecret steady = steadySecret();
        if (steady != null) {
            // One canary is forced so that leak tests never depend on the 1% draw.
            SecretsManagerCall put = factory.single(
                    EventName.PutSecretValue,
                    window.at(0.5),
                    steady,
                    principals.ci(Topology.accountIndexOf(steady.accountRegion)),
                    rng);
            factory.putValue(put, steady, rng, true);
            steady.versionIdSince = put.time;
            steady.versionId = put.responseVersionId;
            events.add(put);
            SecretsManagerCall hostile = factory.single(
                    EventName.DescribeSecret,
                    window.at(0.25),
                    steady,
                    principals.hostile(Topology.accountIndexOf(steady.accountRegion)),
                    rng);
            hostile.userAgent = UserAgents.HOSTILE;
            events.add(hostile);
        }
        events.sort(Comparator.comparingLong(SecretsManagerRecord::time));
        return events;
    }

    /** A primary that exists for the whole window and is neither dormant nor deleted. */
    private SyntheticSecret steadySecret() {
        for (SyntheticSecret s : catalog.inventory) {
            if (s.kind == SyntheticSecret.Kind.INVENTORY
                    && !s.createdInWindow
                    && !s.dormant
                    && s.deletedAt == SecretTally.NONE) {
                return s;
            }
        }
        return null;
    }

    private Principal consumer(SyntheticSecret s, SplittableRandom rng) {
        if (s.usualReaders.length == 0) {
            return principals.ci(Topology.accountIndexOf(s.accountRegion));
        }
        Principal p = principals.all().get(s.usualReaders[rng.nextInt(s.usualReaders.length)]);
        return p.type == Principal.Type.AWS_SERVICE
                ? principals.kmsCaller(Topology.accountIndexOf(s.accountRegion))
                : p;
    }

    private void create(SyntheticSecret s, long t, SplittableRandom rng) {
        Principal p = principals.ci(Topology.accountIndexOf(s.accountRegion));
        SecretsManagerCall c = factory.call(EventName.CreateSecret, t, s.accountRegion, p, rng);
        c.nameToCreate = s.name;
        c.clientToken = RandomText.uuid(rng);
        c.description = s.description != null ? s.description : "Created by terraform";
        c.responseArn = s.fullArn;
        c.responseVersionId = c.clientToken;
        c.namedSecrets = new SyntheticSecret[] {s};
        events.add(c);
    }

    private void delete(SyntheticSecret s, long t, String secretId, int recoveryDays, SplittableRandom rng) {
        Principal p = principals.admin(Topology.accountIndexOf(s.accountRegion));
        SecretsManagerCall c = factory.call(EventName.DeleteSecret, t, s.accountRegion, p, rng);
        c.secretId = secretId;
        c.recoveryDays = recoveryDays;
        c.responseName = s.name;
        c.responseArn = s.fullArn;
        c.deletionDate = TimeText.deletionDate(t + recoveryDays * TimeWindow.DAY);
        c.namedSecrets = new SyntheticSecret[] {s};
        events.add(c);
    }

    /** Scheduled rotations every 30 days, plus some manual RotateSecret calls. */
    private void rotations(SplittableRandom rng) {
        boolean first = true;
        for (SyntheticSecret s : catalog.inventory) {
            if (!s.rotationEnabled) {
                continue;
            }
            for (long t = s.lastRotatedBeforeWindow + 30 * TimeWindow.DAY;
                    t <= window.lastSecond();
                    t += 30 * TimeWindow.DAY) {
                long at = t + rng.nextLong(3600);
                if (at >= window.firstSecond()) {
                    rotation(s, at, rng);
                }
            }
            if (first || rng.nextDouble() < 0.15) {
                first = false;
                long t = window.pick(rng, window.firstSecond(), window.lastSecond() - 300);
                SecretsManagerCall c = factory.single(
                        EventName.RotateSecret, t, s, principals.admin(Topology.accountIndexOf(s.accountRegion)), rng);
                c.clientToken = RandomText.uuid(rng);
                c.responseArn = s.fullArn;
                c.responseName = s.name;
                c.responseVersionId = c.clientToken;
                events.add(c);
                rotation(s, t + 1 + rng.nextInt(3), rng);
            }
        }
    }

    private void rotation(SyntheticSecret s, long t, SplittableRandom rng) {
        if (t + 130 > window.lastSecond()) {
            return;
        }
        events.add(
                new RotationEvent(EventName.RotationStarted, t, s, RandomText.uuid(rng), RandomText.uuid(rng), null));
        if (rng.nextDouble() < 0.9) {
            events.add(new RotationEvent(
                    EventName.RotationSucceeded,
                    t + 20 + rng.nextInt(100),
                    s,
                    RandomText.uuid(rng),
                    RandomText.uuid(rng),
                    null));
        } else {
            String function = "rotate-" + s.name.replaceAll("[^A-Za-z0-9_-]", "-");
            if (function.length() > 64) {
                function = function.substring(0, 64);
            }
            String message = "Error when executing lambda arn:aws:lambda:" + s.region + ":" + s.accountId + ":function:"
                    + function + " during " + ROTATION_STEPS[rng.nextInt(ROTATION_STEPS.length)] + " step";
            events.add(new RotationEvent(
                    EventName.RotationFailed,
                    t + 5 + rng.nextInt(55),
                    s,
                    RandomText.uuid(rng),
                    RandomText.uuid(rng),
                    message));
        }
    }
}
