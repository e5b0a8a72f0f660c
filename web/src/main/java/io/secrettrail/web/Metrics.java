package io.secrettrail.web;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Request latency per route, kept as Prometheus histograms, and the text exposition format
 * (version 0.0.4) for everything {@code /metrics} shows.
 */
final class Metrics {
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Histogram(AtomicLongArray counts, DoubleAdder sum) {}

    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();

    void observe(String route, double seconds) {
        Histogram h = latency.computeIfAbsent(route, r -> new Histogram(new AtomicLongArray(BUCKETS.length + 1), new DoubleAdder()));
        int i = 0;
        while (i < BUCKETS.length && seconds > BUCKETS[i]) {
            i++;
        }
        h.counts().incrementAndGet(i);
        h.sum().add(seconds);
    }

    /** Appends the latency histograms. */
    void writeLatency(StringBuilder out) {
        out.append("# HELP secrettrail_http_request_duration_seconds Time to answer a request, by route.\n")
                .append("# TYPE secrettrail_http_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((route, h) -> {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += h.counts().get(i);
                out.append("secrettrail_http_request_duration_seconds_bucket{route=\"").append(label(route)).append("\",le=\"")
                        .append(i < BUCKETS.length ? num(BUCKETS[i]) : "+Inf").append("\"} ").append(cumulative).append('\n');
            }
            out.append("secrettrail_http_request_duration_seconds_sum{route=\"").append(label(route)).append("\"} ")
                    .append(num(h.sum().sum())).append('\n');
            out.append("secrettrail_http_request_duration_seconds_count{route=\"").append(label(route)).append("\"} ")
                    .append(cumulative).append('\n');
        });
    }

    /** One gauge or counter family with labelled samples. */
    static void family(StringBuilder out, String name, String type, String help, Map<Map<String, String>, ? extends Number> samples) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name).append(' ')
                .append(type).append('\n');
        samples.forEach((labels, value) -> {
            out.append(name);
            if (!labels.isEmpty()) {
                out.append('{');
                boolean first = true;
                for (var l : new TreeMap<>(labels).entrySet()) {
                    out.append(first ? "" : ",").append(l.getKey()).append("=\"").append(label(l.getValue())).append('"');
                    first = false;
                }
                out.append('}');
            }
            out.append(' ').append(num(value.doubleValue())).append('\n');
        });
    }

    static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * Figures of the process (sources, consumer) as Prometheus families. Keys are a metric name,
     * optionally with its labels already written: {@code name{label="value",...}}; a name ending in
     * {@code _total} is a counter, any other a gauge.
     */
    static void writeGauges(StringBuilder out, Map<String, Double> gauges) {
        TreeMap<String, StringBuilder> families = new TreeMap<>();
        for (var e : new TreeMap<>(gauges).entrySet()) {
            int brace = e.getKey().indexOf('{');
            String name = brace < 0 ? e.getKey() : e.getKey().substring(0, brace);
            families.computeIfAbsent(name, n -> new StringBuilder()).append(e.getKey()).append(' ').append(num(e.getValue())).append('\n');
        }
        families.forEach((name, samples) -> out.append("# HELP ").append(name).append(" See the README, Observability.\n")
                .append("# TYPE ").append(name).append(' ').append(name.endsWith("_total") ? "counter" : "gauge").append('\n')
                .append(samples));
    }
}
