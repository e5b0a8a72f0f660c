package io.secrettrail.analytics.dashboard;

import java.util.List;

/**
 * A secret's row in the secrets table: the range's figures (calls, errors, principals, last read) and the report's.
 *
 * @param state {@link #LIVE}, or {@link #GONE} once an inventory tombstone said it left the listing (deleted for
 *     good): still listed, for its history, but not a live secret
 * @param goneAt when it left the listing, or null
 * @param exists the report's {@code exists}: true confirmed, false never confirmed where an inventory covers its
 *     account and region, null otherwise (or before the first report)
 * @param monthToDateUsdExact {@code monthToDateUsd} in full precision (the report's open month), or null
 * @param projectedUsdExact {@code projectedUsd} in full precision, or null
 * @param team the report's team of the secret (see the {@code teams} section), or null before the first report
 */
public record SecretRow(
        String arn,
        String name,
        String account,
        String region,
        boolean inInventory,
        long calls,
        long errors,
        long principals,
        String lastAccessed,
        String lastRotated,
        String rotation,
        String projectedUsd,
        String monthToDateUsd,
        List<String> tags,
        List<String> alerts,
        String state,
        String goneAt,
        Boolean exists,
        String monthToDateUsdExact,
        String projectedUsdExact,
        String team) {
    static final String LIVE = "live";
    static final String GONE = "gone";

    /** Not gone: counted among the live secrets. */
    public boolean live() {
        return goneAt == null;
    }
}
