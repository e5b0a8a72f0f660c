package io.secrettrail.analytics.dashboard;

import java.util.List;

/** A secret's row in the secrets table: the range's figures (calls, errors, principals, last read) and the report's. */
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
        List<String> alerts) {}
