package io.secrettrail.analytics.report;

import io.secrettrail.analytics.cost.Prices;
import io.secrettrail.analytics.rules.IgnoredCallers;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.snapshot.BatchEntryMatcher;
import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.analytics.snapshot.SelfCalls;
import io.secrettrail.analytics.store.StoreLimits;
import io.secrettrail.core.Setting;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * What a report is computed with: the rules and their thresholds, the prices, and how old a live
 * report may grow ({@code report.maxAgeMinutes}) before it is built again without new events. Built from
 * settings (config file, then flags) and validated at once, naming the bad setting.
 *
 * @param batchMatcher tells a batch's generated {@code GetSecretValue} entries from direct calls
 *     ({@code batch.matchSeconds}, default 5), for reads and billing alike
 * @param batchEntriesBilled {@code price.batchEntriesBilled} (default false): whether those entries are billed
 * @param self SecretTrail's own principals ({@code self.principals}, default none), whose own calls counts, cost
 *     attribution and caller detections leave out
 * @param ownership how each secret's team and owner are found ({@code ownership.*}, see {@link Ownership})
 */
public record ReportSettings(
        RuleCatalog rules,
        Map<String, Object> ruleValues,
        Prices prices,
        int cacheMaxReadsPerHour,
        Duration cacheTtl,
        StoreLimits limits,
        IgnoredCallers ignore,
        BatchEntryMatcher batchMatcher,
        boolean batchEntriesBilled,
        Duration maxAge,
        SelfCalls self,
        Ownership ownership) {
    /**
     * The settings read here besides the rules' parameters, {@link StoreLimits#KEYS} and the {@code ownership.*} family
     * ({@link Ownership#of} refuses its unknown keys).
     */
    public static final java.util.Set<String> KEYS = java.util.Set.of(
            "price.per10kCallsUsd",
            "price.kmsPer10kRequestsUsd",
            "price.kmsKeyMonthUsd",
            "price.kmsFreeRequestsPerMonth",
            "cache.maxReadsPerHour",
            "cache.ttl",
            "detections.ignore",
            "detections.quietHours",
            "batch.matchSeconds",
            "price.batchEntriesBilled",
            "report.maxAgeMinutes",
            "self.principals");

    /** How long a live report stands without new events before posture, silence and cost are evaluated again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);

    public ReportSettings(
            RuleCatalog rules,
            Map<String, Object> ruleValues,
            Prices prices,
            int cacheMaxReadsPerHour,
            Duration cacheTtl,
            StoreLimits limits) {
        this(
                rules,
                ruleValues,
                prices,
                cacheMaxReadsPerHour,
                cacheTtl,
                limits,
                IgnoredCallers.NONE,
                BatchEntryMatcher.defaults(),
                false,
                DEFAULT_MAX_AGE,
                SelfCalls.NONE,
                Ownership.DEFAULTS);
    }

    public ReportSettings(
            RuleCatalog rules,
            Map<String, Object> ruleValues,
            Prices prices,
            int cacheMaxReadsPerHour,
            Duration cacheTtl) {
        this(rules, ruleValues, prices, cacheMaxReadsPerHour, cacheTtl, StoreLimits.defaults());
    }

    public static ReportSettings defaults() {
        return of(Map.of());
    }

    public static ReportSettings of(Map<String, String> settings) {
        RuleCatalog catalog = RuleCatalog.load();
        Map<String, Object> values = catalog.values(settings);
        Prices aws = Prices.aws();
        Prices prices = new Prices(
                (BigDecimal) values.getOrDefault("price.secretMonthUsd", aws.secretMonthUsd()),
                price(settings, "price.per10kCallsUsd", aws.per10kCallsUsd()),
                price(settings, "price.kmsPer10kRequestsUsd", aws.kmsPer10kRequestsUsd()),
                price(settings, "price.kmsKeyMonthUsd", aws.kmsKeyMonthUsd()),
                Setting.whole(
                        settings, "price.kmsFreeRequestsPerMonth", aws.kmsFreeRequestsPerMonth(), 0, Long.MAX_VALUE),
                regionalPrices(settings));
        return new ReportSettings(
                catalog,
                values,
                prices,
                (int) Setting.whole(settings, "cache.maxReadsPerHour", 60, 1, 1_000_000),
                Setting.duration(settings, "cache.ttl", Duration.ofHours(1)),
                StoreLimits.of(settings),
                IgnoredCallers.of(settings),
                // an hour is far beyond any logging delay: a wider window would tie direct calls to batches
                new BatchEntryMatcher(Duration.ofSeconds(Setting.whole(settings, "batch.matchSeconds", 5, 0, 3600))),
                Setting.bool(settings, "price.batchEntriesBilled", false),
                Duration.ofMinutes(Setting.whole(settings, "report.maxAgeMinutes", 15, 1, 24 * 60)),
                SelfCalls.of(settings),
                Ownership.of(settings));
    }

    /**
     * Whether a rule judges rotation schedules (rotation-schedule-too-long, once {@code posture.maxRotationInterval}
     * is set): only then does a report's snapshot walk the crons.
     */
    public boolean judgesRotationSchedules() {
        Object v = ruleValues.get("posture.maxRotationInterval");
        return v != null && !v.toString().isEmpty();
    }

    /** Where a regional price is set: {@code price.region.<region>.<price>}. */
    private static final String REGION_PREFIX = "price.region.";

    /** Whether {@code key} is a regional price's (any sub-key: {@link Prices} refuses the unknown ones, named). */
    public static boolean regionalKey(String key) {
        return key.startsWith(REGION_PREFIX);
    }

    /** {@code price.region.<region>.<price>} settings, by region. */
    static Map<String, Map<String, BigDecimal>> regionalPrices(Map<String, String> settings) {
        Map<String, Map<String, BigDecimal>> out = new java.util.TreeMap<>();
        for (String k : new java.util.TreeSet<>(settings.keySet())) {
            if (!regionalKey(k)) {
                continue;
            }
            String rest = k.substring(REGION_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new IllegalArgumentException(k + ": expected price.region.<region>.<price>, <price> one of "
                        + new java.util.TreeSet<>(Prices.REGIONAL));
            }
            String region = rest.substring(0, dot);
            if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
                throw new IllegalArgumentException(k + ": \"" + io.secrettrail.core.Text.visible(region)
                        + "\" is not a region name such as eu-west-1");
            }
            out.computeIfAbsent(region, r -> new java.util.TreeMap<>())
                    .put(rest.substring(dot + 1), price(settings, k, null));
        }
        return out;
    }

    private static BigDecimal price(Map<String, String> settings, String name, BigDecimal fallback) {
        String v = settings.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a number, was " + v);
        }
    }
}
