package io.secrettrail.generator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What to generate. {@code end} is passed in rather than read from the clock so that the same
 * seed and end always produce byte-identical output. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * GeneratorConfig config = GeneratorConfig.builder().outputDir(dir).end(end)
 *         .secrets(500).days(7).eventsPerDay(30_000).noiseRatio(0.5).seed(42).build();
 * }</pre>
 *
 * @param outputDir    directory that receives {@code trail/}, {@code inventory/} and {@code truth.json}
 * @param days         length of the window that ends (exclusively) at {@code end}, 1..400
 * @param secrets      number of primary inventory secrets (replicas and special cases come on top), 1..1000000
 * @param eventsPerDay Secrets Manager events per day, before duplicates, 0..50000000
 * @param noiseRatio   share of distinct records that come from other services, in [0,1)
 * @param seed         seed of every random choice
 * @param end          exclusive upper bound of every eventTime, and the truth's asOf
 * @param scenarios    plant the attack scenarios of {@link AttackScenarios} and write their truth to
 *                     {@code scenarios.json}; off, the output is the same bytes as before scenarios existed
 * @param fileMinutes  how much time one trail file per account and region gathers: CloudTrail's 5 minutes by
 *                     default; more (a multiple of 5 dividing a day) writes the same records in fewer files
 */
public record GeneratorConfig(
        Path outputDir,
        int days,
        int secrets,
        int eventsPerDay,
        double noiseRatio,
        long seed,
        Instant end,
        boolean scenarios,
        int fileMinutes) {
    static final int DEFAULT_DAYS = 7;
    static final int DEFAULT_SECRETS = 60;
    static final int DEFAULT_EVENTS_PER_DAY = 2000;
    static final double DEFAULT_NOISE_RATIO = 0.5;
    static final long DEFAULT_SEED = 42L;
    /** CloudTrail's delivery interval. */
    static final int DEFAULT_FILE_MINUTES = 5;

    /** Rejects any value out of range, naming the field and the value. */
    public GeneratorConfig {
        if (outputDir == null) {
            throw new IllegalArgumentException("outputDir must not be null");
        }
        if (days < 1 || days > 400) {
            throw new IllegalArgumentException("days must be in 1..400, was " + days);
        }
        if (secrets < 1 || secrets > 1_000_000) {
            throw new IllegalArgumentException("secrets must be in 1..1000000, was " + secrets);
        }
        if (eventsPerDay < 0 || eventsPerDay > 50_000_000) {
            throw new IllegalArgumentException("eventsPerDay must be in 0..50000000, was " + eventsPerDay);
        }
        if (!(noiseRatio >= 0.0 && noiseRatio < 1.0)) {
            throw new IllegalArgumentException("noiseRatio must be in [0,1), was " + noiseRatio);
        }
        if (end == null) {
            throw new IllegalArgumentException("end must not be null");
        }
        if (fileMinutes < 5 || fileMinutes > 1440 || fileMinutes % 5 != 0 || 1440 % fileMinutes != 0) {
            throw new IllegalArgumentException(
                    "fileMinutes must be a multiple of 5 that divides a day (5..1440), was " + fileMinutes);
        }
    }

    /** Without scenarios and with CloudTrail's 5-minute files, as {@code secrettrail generate} writes by default. */
    public GeneratorConfig(
            Path outputDir, int days, int secrets, int eventsPerDay, double noiseRatio, long seed, Instant end) {
        this(outputDir, days, secrets, eventsPerDay, noiseRatio, seed, end, false, DEFAULT_FILE_MINUTES);
    }

    /** The defaults of {@code secrettrail generate} (7 days, 60 secrets, 2000 events a day, half noise, seed 42). */
    public static GeneratorConfig defaults(Path outputDir, Instant end) {
        Objects.requireNonNull(outputDir, "outputDir");
        return builder().outputDir(outputDir).end(end).build();
    }

    /** A builder holding the defaults; {@code outputDir} and {@code end} have none and must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings; {@link #build()} validates them all at once, through the record's constructor. */
    public static final class Builder {
        private Path outputDir;
        private int days = DEFAULT_DAYS;
        private int secrets = DEFAULT_SECRETS;
        private int eventsPerDay = DEFAULT_EVENTS_PER_DAY;
        private double noiseRatio = DEFAULT_NOISE_RATIO;
        private long seed = DEFAULT_SEED;
        private Instant end;
        private boolean scenarios;
        private int fileMinutes = DEFAULT_FILE_MINUTES;

        private Builder() {}

        public Builder outputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        public Builder days(int days) {
            this.days = days;
            return this;
        }

        public Builder secrets(int secrets) {
            this.secrets = secrets;
            return this;
        }

        public Builder eventsPerDay(int eventsPerDay) {
            this.eventsPerDay = eventsPerDay;
            return this;
        }

        public Builder noiseRatio(double noiseRatio) {
            this.noiseRatio = noiseRatio;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        /** Plants the attack scenarios and writes {@code scenarios.json} (default off). */
        public Builder scenarios(boolean scenarios) {
            this.scenarios = scenarios;
            return this;
        }

        /** Minutes of records per trail file and account-region (default 5, as CloudTrail delivers). */
        public Builder fileMinutes(int fileMinutes) {
            this.fileMinutes = fileMinutes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public GeneratorConfig build() {
            return new GeneratorConfig(
                    outputDir, days, secrets, eventsPerDay, noiseRatio, seed, end, scenarios, fileMinutes);
        }
    }
}
