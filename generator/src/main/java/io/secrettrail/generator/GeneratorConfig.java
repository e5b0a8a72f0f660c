package io.secrettrail.generator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What to generate. {@code end} is passed in rather than read from the clock so that the same
 * seed and end always produce byte-identical output.
 *
 * @param out          directory that receives {@code trail/}, {@code inventory/} and {@code truth.json}
 * @param days         length of the window that ends (exclusively) at {@code end}
 * @param secrets      number of primary inventory secrets (replicas and special cases come on top)
 * @param eventsPerDay Secrets Manager events per day, before duplicates
 * @param noiseRatio   share of distinct records that come from other services
 * @param seed         seed of every random choice
 * @param end          exclusive upper bound of every eventTime, and the truth's asOf
 */
public record GeneratorConfig(Path out, int days, int secrets, int eventsPerDay, double noiseRatio, long seed,
                              Instant end) {

    public GeneratorConfig {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
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
    }

    public static GeneratorConfig defaults(Path out, Instant end) {
        Objects.requireNonNull(out, "out");
        return new GeneratorConfig(out, 7, 60, 2000, 0.5, 42L, end);
    }
}
