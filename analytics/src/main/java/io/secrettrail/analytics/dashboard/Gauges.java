package io.secrettrail.analytics.dashboard;

import java.util.List;
import java.util.Map;

/** Figures for /metrics: stored counters, alerts by rule and severity, webhook deliveries by webhook and status. */
public record Gauges(Map<String, Long> counters, Map<List<String>, Long> alerts, Map<List<String>, Long> deliveries) {}
