package io.secrettrail.analytics.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The overview page ({@code secrets}: the live ones; {@code goneSecrets}: those an inventory tombstone says left
 * the listing, still shown for their history): totals of the range, alerts by severity (all of them, and the open ones: posture alerts and
 * open incidents), how many incidents are closed, calls per day, the top secrets and callers. The cost figures
 * are the report's v1 ones (to the cent) and, as {@code ...Exact}, its open month's in full precision; under a team
 * filter every figure is of the team's secrets (the cost: their lines of the open month, the v1 ones to the cent).
 */
public record Overview(
        long secrets,
        long goneSecrets,
        long calls,
        long errors,
        long principals,
        String monthToDateUsd,
        String projectedUsd,
        String monthToDateUsdExact,
        String projectedUsdExact,
        Map<String, Long> alertsBySeverity,
        Map<String, Long> openAlertsBySeverity,
        long closedAlerts,
        List<DayCount> callsPerDay,
        List<Count> topSecrets,
        List<Count> topCallers,
        String reportAsOf) {}
