package io.secrettrail.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Attack scenarios planted into the everyday traffic, each with the incident an analysis must
 * report ({@link Planted}). They are placed relative to the trail's span; one that does not fit is
 * left out and listed in {@link #skipped()} with the reason. Each scenario has its own callers,
 * drawn from their own random stream, so the everyday traffic is the same with or without them
 * and a caller's detections belong to one scenario only.
 *
 * <p>Reads early in the trail keep clear of {@code first-seen-principal}: a secret observed for
 * less than its 7 days of history raises nothing, so the bulk reader and the batch job start in the
 * trail's first days, and the one first-seen read comes after a read that opens the secret's history.
 *
 * <p>Over 300 lines on purpose: the scenarios share their placement rules and callers, each is one
 * short method beside the truth it records, and reading them together shows that no two overlap.
 */
final class AttackScenarios {
    private static final long DAY = TimeWindow.DAY;
    /** bulk-retrieval's default threshold is 20 distinct secrets; two more leave room. */
    static final int BULK_SECRETS = 22;
    /** access-denied-burst's default threshold is 20 refusals within 24 hours. */
    static final int DENIED_CALLS = 25;
    /** Stratus Red Team's batch detonation made five calls within two seconds (one per page). */
    static final int CATCH_ALL_CALLS = 5;

    static final int BATCHES = 3;
    static final int BATCH_SECRETS = 4;
    static final long REPEAT_AFTER = 14 * DAY;
    static final String CATCH_ALL_FILTER = "!tagKeyThatWillNeverExist";
    static final String MARKED_FOR_DELETION =
            "You can't perform this operation on the secret because it was marked for deletion.";
    static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";

    /** One incident an analysis must find: rule, subject, first and last hit, counts, events. */
    record Planted(
            String scenario,
            String rule,
            String subject,
            String principal,
            String secret,
            int accountRegion,
            long firstHit,
            long lastHit,
            Map<String, Object> counts,
            List<String> eventIds) {}

    /** A scenario left out, and why. */
    record Skipped(String scenario, String reason) {}

    /** The secrets the batch scenario read, with the batches and generated entries that name each. */
    record BatchRead(SyntheticSecret secret, int batches, List<String> entryEventIds) {}

    private final SecretCatalog catalog;
    private final PrincipalCatalog principals;
    private final CallFactory factory;
    private final TimeWindow window;
    private final List<TrailRecord> records = new ArrayList<>();
    private final List<Planted> planted = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<BatchRead> batchReads = new ArrayList<>();
    private final List<String> batchEventIds = new ArrayList<>();
    /** The scenarios' own callers are appended to the catalog from here on. */
    private final int firstActor;

    AttackScenarios(SecretCatalog catalog, PrincipalCatalog principals, CallFactory factory, TimeWindow window) {
        this.catalog = catalog;
        this.principals = principals;
        this.factory = factory;
        this.window = window;
        this.firstActor = principals.all().size();
    }

    /** Plants every scenario that fits; call once. */
    AttackScenarios plant(SplittableRandom rng) {
        bulkRetrieval(rng);
        batchWithEntries(rng);
        loggingStoppedThenCatchAll(rng);
        accessDeniedBurst(rng);
        publicPolicy(rng);
        firstSeenPrincipal(rng);
        deletedSecretRead(rng);
        records.sort(Comparator.comparingLong(TrailRecord::time));
        planted.sort(Comparator.comparingLong(Planted::firstHit).thenComparing(Planted::rule));
        return this;
    }

    /** The scenarios' records, in time order. */
    List<TrailRecord> records() {
        return records;
    }

    List<Planted> planted() {
        return planted;
    }

    List<Skipped> skipped() {
        return skipped;
    }

    List<BatchRead> batchReads() {
        return batchReads;
    }

    List<String> batchEventIds() {
        return batchEventIds;
    }

    /** The callers only the scenarios use (the public policy's administrator is an everyday one). */
    List<String> actors() {
        return principals.all().subList(firstActor, principals.all().size()).stream()
                .map(p -> p.callerKey)
                .toList();
    }

    /** Early in the trail: within its first days, and never past a fifth of a short one. */
    private long early(long days, double fraction) {
        return window.firstSecond() + Math.min(days * DAY, (long) (fraction * window.seconds()));
    }

    private boolean fits(String scenario, long from, long to, String needs) {
        if (from >= window.firstSecond() && to <= window.lastSecond()) {
            return true;
        }
        skipped.add(new Skipped(scenario, needs + "; the trail spans " + window.seconds() / DAY + " days"));
        return false;
    }

    /** Non-dormant secrets of one account in catalog order that exist throughout [from, to]. */
    private List<SyntheticSecret> steady(int account, long from, long to) {
        List<SyntheticSecret> out = new ArrayList<>();
        for (SyntheticSecret s : catalog.inventory) {
            if (Topology.accountIndexOf(s.accountRegion) == account
                    && !s.dormant
                    && s.activeAt(from)
                    && s.activeAt(to)) {
                out.add(s);
            }
        }
        return out;
    }

    /** One role reads 22 secrets within six minutes, and again two weeks later: two incidents. */
    private void bulkRetrieval(SplittableRandom rng) {
        long first = early(1, 0.1);
        long firstEnd = first + (BULK_SECRETS - 1) * 15L;
        long second = first + REPEAT_AFTER;
        long secondEnd = second + (BULK_SECRETS - 1) * 15L;
        List<SyntheticSecret> secrets = steady(0, first, secondEnd);
        if (secrets.size() < BULK_SECRETS) {
            skipped.add(new Skipped(
                    "bulk-retrieval",
                    "needs " + BULK_SECRETS + " secrets in account " + Topology.ACCOUNTS.get(0) + ", the model has "
                            + secrets.size()));
            return;
        }
        secrets = secrets.subList(0, BULK_SECRETS);
        Principal p = principals.scenarioRole(
                rng,
                0,
                "data-export-job",
                "/batch/",
                "export-" + RandomText.hex(rng, 8),
                "203.0.113.77",
                UserAgents.BOTO);
        if (fits("bulk-retrieval", first, firstEnd, "needs a trail of a day")) {
            bulkCampaign("bulk-retrieval", p, secrets, first, rng);
        }
        if (fits(
                "bulk-retrieval-repeat",
                second,
                secondEnd,
                "needs a trail of " + (REPEAT_AFTER / DAY + 2) + " days to repeat two weeks later")) {
            bulkCampaign("bulk-retrieval-repeat", p, secrets, second, rng);
        }
    }

    private void bulkCampaign(
            String scenario, Principal p, List<SyntheticSecret> secrets, long start, SplittableRandom rng) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            SecretsManagerCall c = factory.single(EventName.GetSecretValue, start + i * 15L, secrets.get(i), p, rng);
            add(c);
            ids.add(c.eventId);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("secrets", (long) secrets.size());
        counts.put("calls", (long) secrets.size());
        planted.add(new Planted(
                scenario,
                "bulk-retrieval",
                p.callerKey,
                p.callerKey,
                null,
                -1,
                start,
                start + (secrets.size() - 1) * 15L,
                counts,
                ids));
    }

    /**
     * A reporting job's BatchGetSecretValue by id list, three times an hour apart, each with the
     * GetSecretValue entry AWS writes for every secret it requests. No public sample of a generated
     * entry exists; these carry the batch's principal, session, source IP, user agent and second,
     * and their own requestID and eventID (an assumption, documented in the README).
     */
    private void batchWithEntries(SplittableRandom rng) {
        long start = early(2, 0.2);
        long end = start + (BATCHES - 1) * 3600L;
        List<SyntheticSecret> secrets = steady(1, start, end);
        if (secrets.size() < BATCH_SECRETS) {
            skipped.add(new Skipped(
                    "batch-with-entries",
                    "needs " + BATCH_SECRETS + " secrets in account " + Topology.ACCOUNTS.get(1) + ", the model has "
                            + secrets.size()));
            return;
        }
        if (!fits("batch-with-entries", start, end, "needs a trail of three hours")) {
            return;
        }
        // Same account and region for the whole batch: BatchGetSecretValue reads one region.
        int ar = secrets.get(0).accountRegion;
        List<SyntheticSecret> listed = new ArrayList<>();
        for (SyntheticSecret s : secrets) {
            if (s.accountRegion == ar && listed.size() < BATCH_SECRETS) {
                listed.add(s);
            }
        }
        if (listed.size() < 2) {
            skipped.add(new Skipped("batch-with-entries", "needs two secrets in one region of an account"));
            return;
        }
        Principal p = principals.scenarioRole(
                rng, 1, "nightly-report", "/jobs/", "report-" + RandomText.hex(rng, 8), "10.70.4.21", UserAgents.JAVA);
        List<List<String>> entries = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            entries.add(new ArrayList<>());
        }
        for (int b = 0; b < BATCHES; b++) {
            long t = start + b * 3600L;
            SecretsManagerCall batch = factory.call(EventName.BatchGetSecretValue, t, ar, p, rng);
            batch.namedSecrets = listed.toArray(new SyntheticSecret[0]);
            batch.secretIdList = new String[listed.size()];
            batch.entriesGenerated = true;
            for (int i = 0; i < listed.size(); i++) {
                batch.secretIdList[i] = CallFactory.reference(listed.get(i), p, rng);
            }
            add(batch);
            batchEventIds.add(batch.eventId);
            for (int i = 0; i < listed.size(); i++) {
                SecretsManagerCall entry = factory.call(EventName.GetSecretValue, t, ar, p, rng);
                entry.sessionIndex = batch.sessionIndex;
                entry.sourceIp = batch.sourceIp;
                entry.userAgent = batch.userAgent;
                entry.tlsVariant = batch.tlsVariant;
                entry.secretId = batch.secretIdList[i];
                entry.namedSecrets = new SyntheticSecret[] {listed.get(i)};
                add(entry);
                entries.get(i).add(entry.eventId);
            }
        }
        for (int i = 0; i < listed.size(); i++) {
            batchReads.add(new BatchRead(listed.get(i), BATCHES, entries.get(i)));
        }
    }

    /**
     * Stolen access keys stop the account's trail, then sweep every secret with a filter that
     * matches all (the Stratus/Panther shape, five pages within two seconds, no generated entries:
     * like the Stratus detonation log, which holds only the batch calls).
     */
    private void loggingStoppedThenCatchAll(SplittableRandom rng) {
        long stop = window.at(0.40);
        long sweep = stop + 120;
        if (!fits("logging-stopped", stop, sweep + 2, "needs a trail of a few minutes")) {
            skipped.add(new Skipped("catch-all-batch", "follows logging-stopped, which does not fit"));
            return;
        }
        int ar = Topology.accountRegion(0, 0);
        Principal p = principals.scenarioUser(rng, 0, "ci-runner-7", "198.51.100.23", UserAgents.CLI);
        SecretsManagerCall like = factory.call(EventName.ListSecrets, stop, ar, p, rng);
        String trail = TrailControlCall.trailArn(ar, "management-events");
        records.add(new TrailControlCall(like, trail));
        planted.add(new Planted(
                "logging-stopped",
                "logging-stopped",
                trail,
                p.callerKey,
                null,
                ar,
                stop,
                stop,
                Map.of("stopLogging", 1L),
                List.of(like.eventId)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CATCH_ALL_CALLS; i++) {
            SecretsManagerCall c = factory.call(EventName.BatchGetSecretValue, sweep + i / 3, ar, p, rng);
            c.tagKeyFilter = CATCH_ALL_FILTER;
            add(c);
            ids.add(c.eventId);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("calls", (long) CATCH_ALL_CALLS);
        counts.put("failed", 0L);
        counts.put("matchAll", true);
        planted.add(new Planted(
                "catch-all-batch",
                "batch-retrieval",
                p.callerKey,
                p.callerKey,
                null,
                ar,
                sweep,
                sweep + (CATCH_ALL_CALLS - 1) / 3,
                counts,
                ids));
    }

    /** A user whose policy grants nothing tries 25 reads within 20 minutes, every one refused. */
    private void accessDeniedBurst(SplittableRandom rng) {
        long start = window.at(0.55);
        long end = start + (DENIED_CALLS - 1) * 48L;
        List<SyntheticSecret> secrets = steady(0, start, end);
        if (secrets.isEmpty()) {
            skipped.add(new Skipped("access-denied-burst", "needs a secret in account " + Topology.ACCOUNTS.get(0)));
            return;
        }
        if (!fits("access-denied-burst", start, end, "needs a trail of 20 minutes")) {
            return;
        }
        Principal p = principals.scenarioUser(rng, 0, "old-jenkins", "192.0.2.144", UserAgents.GO);
        List<String> ids = new ArrayList<>();
        Set<SyntheticSecret> named = new HashSet<>();
        for (int i = 0; i < DENIED_CALLS; i++) {
            SyntheticSecret s = secrets.get(i % secrets.size());
            SecretsManagerCall c = factory.single(EventName.GetSecretValue, start + i * 48L, s, p, rng);
            CallFactory.deny(c, c.secretId);
            add(c);
            ids.add(c.eventId);
            named.add(s);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("denied", (long) DENIED_CALLS);
        counts.put("secrets", (long) named.size());
        planted.add(new Planted(
                "access-denied-burst",
                "access-denied-burst",
                p.callerKey,
                p.callerKey,
                null,
                -1,
                start,
                end,
                counts,
                ids));
    }

    /** An administrator sets a resource policy granting GetSecretValue to "*", with no condition. */
    private void publicPolicy(SplittableRandom rng) {
        long t = window.at(0.65);
        List<SyntheticSecret> secrets = steady(0, t, window.lastSecond());
        if (secrets.isEmpty()) {
            skipped.add(new Skipped("public-policy", "needs a secret that exists until the trail's end"));
            return;
        }
        // The last steady secret: the canary and the hostile user agent use the first.
        SyntheticSecret s = secrets.get(secrets.size() - 1);
        SecretsManagerCall c = factory.single(EventName.PutResourcePolicy, t, s, principals.admin(0), rng);
        c.resourcePolicy = PUBLIC_POLICY;
        c.responseArn = s.fullArn;
        c.responseName = s.name;
        add(c);
        planted.add(new Planted(
                "public-policy",
                "public-policy",
                s.reportArn(),
                c.principal.callerKey,
                s.reportArn(),
                s.accountRegion,
                t,
                t,
                Map.of("openStatements", 1L),
                List.of(c.eventId)));
    }

    /**
     * A role never seen before reads one secret eight days after the secret's history opens (a
     * read by its usual consumer at the trail's first second), past first-seen's 7 days.
     */
    private void firstSeenPrincipal(SplittableRandom rng) {
        long open = window.firstSecond();
        long t = open + 8 * DAY + 3 * 3600;
        if (!fits("first-seen-principal", open, t, "needs a trail of 9 days, for 7 days of history")) {
            return;
        }
        List<SyntheticSecret> secrets = steady(1, open, t);
        SyntheticSecret s = null;
        for (SyntheticSecret candidate : secrets) {
            if (candidate.kind == SyntheticSecret.Kind.INVENTORY && candidate.usualReaders.length > 0) {
                s = candidate;
                break;
            }
        }
        if (s == null) {
            skipped.add(new Skipped(
                    "first-seen-principal",
                    "needs a secret with a usual reader in account " + Topology.ACCOUNTS.get(1)));
            return;
        }
        Principal usual = principals.all().get(s.usualReaders[0]);
        if (usual.type == Principal.Type.AWS_SERVICE) {
            usual = principals.ci(1);
        }
        add(factory.single(EventName.GetSecretValue, open, s, usual, rng));
        Principal p = principals.scenarioRole(
                rng, 1, "sandbox-admin", "/", "dev-" + RandomText.hex(rng, 6), "203.0.113.9", UserAgents.CLI_MAC);
        SecretsManagerCall c = factory.single(EventName.GetSecretValue, t, s, p, rng);
        add(c);
        planted.add(new Planted(
                "first-seen-principal",
                "first-seen-principal",
                p.callerKey + " " + s.reportArn(),
                p.callerKey,
                s.reportArn(),
                s.accountRegion,
                t,
                t,
                Map.of("historyDays", (t - open) / DAY),
                List.of(c.eventId)));
    }

    /** Its usual reader still asks for a secret an hour after it was scheduled for deletion. */
    private void deletedSecretRead(SplittableRandom rng) {
        for (SyntheticSecret s : catalog.inventory) {
            if (s.kind != SyntheticSecret.Kind.INVENTORY || s.deletedAt == SecretTally.NONE) {
                continue;
            }
            long first = s.deletedAt + 3600;
            long last = first + 300;
            if (last > window.lastSecond()) {
                continue;
            }
            Principal p = s.usualReaders.length > 0 ? principals.all().get(s.usualReaders[0]) : principals.ci(0);
            if (p.type == Principal.Type.AWS_SERVICE) {
                p = principals.kmsCaller(Topology.accountIndexOf(s.accountRegion));
            }
            List<String> ids = new ArrayList<>();
            for (long t : new long[] {first, last}) {
                SecretsManagerCall c = factory.single(EventName.GetSecretValue, t, s, p, rng);
                c.errorCode = "InvalidRequestException";
                c.errorMessage = MARKED_FOR_DELETION;
                add(c);
                ids.add(c.eventId);
            }
            planted.add(new Planted(
                    "deleted-secret-read",
                    "deleted-secret-access",
                    s.reportArn(),
                    p.callerKey,
                    s.reportArn(),
                    s.accountRegion,
                    first,
                    last,
                    Map.of("attempts", 2L),
                    ids));
            return;
        }
        skipped.add(
                new Skipped("deleted-secret-read", "needs a secret deleted more than an hour before the trail's end"));
    }

    private void add(SecretsManagerCall c) {
        records.add(c);
    }
}
