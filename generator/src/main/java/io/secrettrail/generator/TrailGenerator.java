package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates a synthetic CloudTrail trail, the matching Secrets Manager inventory and the report
 * an audit of them must produce. Everything derives from the seed and {@code end}: the clock is
 * never read for content, so equal configs give byte-identical output.
 *
 * <p>Time advances bucket by bucket (CloudTrail's 5-minute deliveries); each bucket draws its
 * Secrets Manager events, adds the planned lifecycle events that fall in it, tops up noise to the
 * requested ratio, and hands everything to the delivery, which writes the files that are due.
 * The truth is tallied from each unique event as it is made.
 */
public final class TrailGenerator {
    private final GeneratorConfig config;

    public TrailGenerator(GeneratorConfig config) {
        this.config = config;
    }

    public GenerationSummary generate() throws IOException {
        Path out = config.outputDir();
        Path trailDir = out.resolve("trail");
        Path inventoryDir = out.resolve("inventory");
        Path truthFile = out.resolve("truth.json");
        refuseNonEmpty(trailDir);

        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom modelRng = root.split();
        SplittableRandom trafficRng = root.split();
        SplittableRandom noiseRng = root.split();
        SplittableRandom deliveryRng = root.split();
        // Split after the others, so that those streams are the same with scenarios off or on.
        SplittableRandom scenarioRng = root.split();

        TimeWindow window = TimeWindow.of(config.end(), config.days());
        String canary = "st-canary-" + config.seed();
        PrincipalCatalog principals = new PrincipalCatalog(modelRng);
        SecretCatalog catalog = new SecretCatalog(config, window, principals, modelRng);
        CallFactory factory = new CallFactory(canary);
        long target = (long) config.days() * config.eventsPerDay();
        List<SecretsManagerRecord> planned = target == 0
                ? List.of()
                : new PlannedEvents(catalog, principals, factory, window, target).build(modelRng);
        long randomTotal = Math.max(0, target - planned.size());
        // On top of the requested events per day, so that the everyday traffic does not change.
        AttackScenarios scenarios = config.scenarios()
                ? new AttackScenarios(catalog, principals, factory, window).plant(scenarioRng)
                : null;
        List<TrailRecord> planted = scenarios == null ? List.of() : scenarios.records();

        SecretsManagerTraffic traffic = new SecretsManagerTraffic(catalog, principals, factory);
        NoiseTraffic noise = new NoiseTraffic(catalog, principals);
        JsonFactory json = new JsonFactory();
        TrailDelivery delivery =
                new TrailDelivery(new TrailFileWriter(trailDir, json), deliveryRng, window.lastBucket(), (int)
                        (config.fileMinutes() * 60L / TimeWindow.BUCKET));
        ProgressMeter progress = new ProgressMeter(System.err);

        double noisePerEvent = config.noiseRatio() / (1.0 - config.noiseRatio());
        long seconds = window.seconds();
        long smEvents = 0;
        long noiseEvents = 0;
        long unattributed = 0;
        // API calls naming several secrets, one of them outside the inventory: whether they are attributed
        // depends on whether any of their secrets turns out to exist, known only at the end
        List<SyntheticSecret[]> shared = new java.util.ArrayList<>();
        int nextPlanned = 0;
        int nextScenario = 0;
        try {
            for (long bucket = window.firstBucket(); bucket <= window.lastBucket(); bucket++) {
                long from = Math.max(window.firstSecond(), bucket * TimeWindow.BUCKET);
                long to = Math.min(window.lastSecond(), bucket * TimeWindow.BUCKET + TimeWindow.BUCKET - 1);
                // Spread the random calls evenly over seconds, exactly summing to randomTotal.
                long count = share(to - window.firstSecond() + 1, randomTotal, seconds)
                        - share(from - window.firstSecond(), randomTotal, seconds);
                for (long i = 0; i < count; i++) {
                    long t = from + trafficRng.nextLong(to - from + 1);
                    unattributed += emit(traffic.next(t, trafficRng), bucket, delivery, shared);
                    smEvents++;
                }
                while (nextPlanned < planned.size() && planned.get(nextPlanned).time() <= to) {
                    unattributed += emit(planned.get(nextPlanned++), bucket, delivery, shared);
                    smEvents++;
                }
                while (nextScenario < planted.size()
                        && planted.get(nextScenario).time() <= to) {
                    TrailRecord r = planted.get(nextScenario++);
                    if (r instanceof SecretsManagerRecord sm) {
                        unattributed += emit(sm, bucket, delivery, shared);
                        smEvents++;
                    } else {
                        delivery.accept(r, bucket);
                    }
                }
                long noiseDue = (long) Math.floor(smEvents * noisePerEvent) - noiseEvents;
                for (long i = 0; i < noiseDue; i++) {
                    NoiseRecord n = noise.next(from + noiseRng.nextLong(to - from + 1), noiseRng);
                    if (n.secret != null && n.secret.fullArn != null) {
                        n.secret.tally.kmsRequests++; // a KMS request made for it: SecretTrail keeps it
                    }
                    delivery.accept(n, bucket);
                }
                noiseEvents += Math.max(0, noiseDue);
                delivery.flush(bucket);
                progress.tick(delivery.files(), delivery.records());
            }
        } finally {
            delivery.close();
        }
        progress.done(delivery.files(), delivery.records());

        GenerationSummary summary = new GenerationSummary(
                delivery.files(),
                delivery.records(),
                smEvents,
                delivery.duplicates(),
                trailDir,
                inventoryDir,
                truthFile,
                scenarios == null ? null : out.resolve("scenarios.json"),
                scenarios == null
                        ? List.of()
                        : scenarios.skipped().stream()
                                .map(k -> k.scenario() + ": " + k.reason())
                                .toList());
        new InventoryWriter(json).write(inventoryDir, catalog);
        new TruthWriter(json).write(truthFile, config.end(), summary, catalog, unattributed, shared, canary);
        if (scenarios != null) {
            new ScenarioTruthWriter(json).write(summary.scenariosFile(), config.end(), config.seed(), scenarios);
        }
        return summary;
    }

    /** Tallies a unique Secrets Manager event into the truth and delivers it; returns 1 if unattributed. */
    private static int emit(
            SecretsManagerRecord r, long bucket, TrailDelivery delivery, List<SyntheticSecret[]> shared) {
        SyntheticSecret[] namedSecrets = r.namedSecrets();
        Principal caller = r.event().serviceEvent ? null : r.principal();
        // A batch whose generated entries are in the trail is read through them, not counted twice.
        boolean reads = !r.failed()
                && (r.event() == EventName.GetSecretValue
                        || r.event() == EventName.BatchGetSecretValue
                                && !(r instanceof SecretsManagerCall c && c.entriesGenerated));
        for (SyntheticSecret s : namedSecrets) {
            s.tally.count(r.event(), r.time(), caller, r.failed());
            if (reads) {
                s.tally.reads++;
            }
        }
        if (!r.event().serviceEvent) {
            if (namedSecrets.length == 1) {
                namedSecrets[0].tally.soloApiCalls++;
            } else if (namedSecrets.length > 1
                    && java.util.Arrays.stream(namedSecrets).anyMatch(s -> !s.inInventory())) {
                shared.add(namedSecrets);
            }
        }
        delivery.accept(r, bucket);
        return namedSecrets.length == 0 ? 1 : 0;
    }

    private static long share(long elapsed, long total, long seconds) {
        // At most 400 days of seconds times 2e10 events: well inside a long.
        return elapsed * total / seconds;
    }

    private static void refuseNonEmpty(Path trailDir) throws IOException {
        if (Files.isDirectory(trailDir)) {
            try (Stream<Path> entries = Files.list(trailDir)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(
                            trailDir.toString(), null, "trail directory is not empty; generate into a fresh directory");
                }
            }
        }
    }
}
