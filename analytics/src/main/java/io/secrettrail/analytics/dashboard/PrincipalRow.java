package io.secrettrail.analytics.dashboard;

/**
 * A principal's row: the secrets it touched, its calls and errors, when, and its share of the month's cost.
 *
 * @param costShareUsd the v1 figure: the report's top principals only, to the cent
 * @param costShareUsdExact its calls' cost this month in full precision, for every principal with calls
 */
public record PrincipalRow(
        String principal,
        long secrets,
        long calls,
        long errors,
        String firstSeen,
        String lastSeen,
        String costShareUsd,
        String costShareUsdExact) {}
