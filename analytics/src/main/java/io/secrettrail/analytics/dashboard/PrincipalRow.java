package io.secrettrail.analytics.dashboard;

/** A principal's row: the secrets it touched, its calls and errors, when, and its share of the month's cost. */
public record PrincipalRow(
        String principal,
        long secrets,
        long calls,
        long errors,
        String firstSeen,
        String lastSeen,
        String costShareUsd) {}
