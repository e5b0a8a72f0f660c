package io.secrettrail.web;

import java.util.List;
import java.util.Map;

/**
 * What the process beside the store reports to the dashboard: readiness checks (broker
 * reachable, consumer assigned), figures for /metrics, and the state of its sources.
 */
public interface ProcessProbe {
    /** A source as an on-call engineer needs it: is it working, since when, and if not, why. */
    record SourceState(
            String name, String kind, boolean up, String lastSuccess, String lastError, long records, long failures) {}

    ProcessProbe NONE = new ProcessProbe() {};

    /** A {@link #gauges()} key with labels, escaped as Prometheus text wants: {@code name{k="v",...}}. */
    static String sample(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(b.length() > name.length() + 1 ? "," : "")
                .append(k)
                .append("=\"")
                .append(Metrics.label(v))
                .append('"'));
        return b.append('}').toString();
    }

    /** Checks for /health/ready beside DuckDB's, by name. */
    default Map<String, Boolean> readiness() {
        return Map.of();
    }

    /** Figures for /metrics, by metric name (labels may be written in the key). */
    default Map<String, Double> gauges() {
        return Map.of();
    }

    default List<SourceState> sources() {
        return List.of();
    }
}
