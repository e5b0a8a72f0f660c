package io.secrettrail.web;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.secrettrail.analytics.dashboard.CacheStats;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Gauges;
import io.secrettrail.analytics.dashboard.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Everything {@code /metrics} shows, behind one Prometheus registry per server: request latency per
 * route (a histogram), the JVM's own figures, the dashboard's figures read at scrape time, and the
 * figures of the process beside it ({@link ProcessProbe#gauges()}). Written in the Prometheus text
 * format 0.0.4 by the library's writer.
 *
 * <p>Two things the library would change are kept as they were, since scrapers and tests read them:
 * {@code secrettrail_store_version} is a gauge (a counter must end in {@code _total}, and the name is
 * documented), and whole-number samples are written without {@code .0} ({@code ..._lag_messages 0}).
 */
final class Metrics {
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
    static final String CONTENT_TYPE = TEXT.getContentType();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram latency = Histogram.builder()
            .name("secrettrail_http_request_duration_seconds")
            .help("Time to answer a request, by route.")
            .labelNames("route")
            .classicOnly()
            .classicUpperBounds(BUCKETS)
            .register(registry);

    private Metrics(Supplier<Map<String, Double>> process) {
        JvmMetrics.builder().register(registry);
        registry.register((MultiCollector) () -> processFamilies(process.get()));
    }

    /** The dashboard server's: its latency, the store's figures through the dashboard, the process's. */
    static Metrics dashboard(DashboardService service, ProcessProbe probe) {
        Metrics m = new Metrics(probe::gauges);
        m.registry.register((MultiCollector) () -> dashboardFamilies(service));
        return m;
    }

    /** A process with no dashboard ({@code ingest}): its own figures and the JVM's. */
    static Metrics process(Supplier<Map<String, Double>> gauges) {
        return new Metrics(gauges);
    }

    /** @param route the route's pattern, never the raw path: ARNs would make a series each */
    void observe(String route, double seconds) {
        latency.labelValues(route).observe(seconds);
    }

    /** The text exposition of everything registered. */
    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try {
            TEXT.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wholeNumbers(out.toString(StandardCharsets.UTF_8));
    }

    private static MetricSnapshots dashboardFamilies(DashboardService service) {
        try {
            Status s = service.status();
            Gauges g = service.gauges();
            CacheStats cache = service.cacheStats();
            List<MetricSnapshot> out = new ArrayList<>();
            out.add(gauge(
                    "secrettrail_events_stored",
                    "Unique Secrets Manager events in DuckDB.",
                    Map.of(Labels.EMPTY, (double) s.events())));
            out.add(gauge(
                    "secrettrail_secret_keys",
                    "Distinct secret references seen in events.",
                    Map.of(Labels.EMPTY, (double) s.secrets())));
            out.add(gauge(
                    "secrettrail_store_version",
                    "Committed batches since the process started.",
                    Map.of(Labels.EMPTY, (double) s.version())));
            Map<Labels, Double> dropped = new LinkedHashMap<>();
            g.counters().forEach((k, v) -> dropped.put(Labels.of("kind", k), (double) v));
            out.add(counter(
                    "secrettrail_records_dropped_total",
                    "Records stored events did not take: duplicates (same eventID) and undecodable messages.",
                    dropped));
            Map<Labels, Double> alerts = new LinkedHashMap<>();
            g.alerts().forEach((k, v) -> alerts.put(Labels.of("rule", k.get(0), "severity", k.get(1)), (double) v));
            out.add(gauge("secrettrail_alerts", "Alarms of the latest report, by rule and severity.", alerts));
            Map<Labels, Double> deliveries = new LinkedHashMap<>();
            g.deliveries()
                    .forEach((k, v) -> deliveries.put(Labels.of("status", k.get(1), "webhook", k.get(0)), (double) v));
            out.add(gauge(
                    "secrettrail_webhook_deliveries",
                    "Webhook deliveries in the outbox, by webhook and status.",
                    deliveries));
            out.add(gauge(
                    "secrettrail_report_build_seconds",
                    "How long the latest background report took.",
                    Map.of(Labels.EMPTY, s.reportBuildSeconds())));
            out.add(gauge(
                    "secrettrail_dashboard_cache_entries",
                    "Results the dashboard keeps (bounded; least recently used out).",
                    Map.of(Labels.EMPTY, (double) cache.entries())));
            out.add(gauge(
                    "secrettrail_dashboard_cache_bytes",
                    "Estimated heap of the dashboard's cached results (bounded).",
                    Map.of(Labels.EMPTY, (double) cache.bytes())));
            return new MetricSnapshots(out);
        } catch (SQLException e) {
            throw new IllegalStateException("the dashboard's figures could not be read", e);
        }
    }

    /**
     * The process's figures: keys are a metric name, optionally with its labels already written
     * ({@link ProcessProbe#sample}); a name ending in {@code _total} is a counter, any other a gauge.
     */
    static MetricSnapshots processFamilies(Map<String, Double> gauges) {
        Map<String, Map<Labels, Double>> families = new TreeMap<>();
        gauges.forEach((key, value) -> {
            int brace = key.indexOf('{');
            String name = brace < 0 ? key : key.substring(0, brace);
            families.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .put(brace < 0 ? Labels.EMPTY : labels(key.substring(brace)), value);
        });
        List<MetricSnapshot> out = new ArrayList<>();
        families.forEach((name, samples) -> out.add(
                name.endsWith("_total")
                        ? counter(name, "See the README, Observability.", samples)
                        : gauge(name, "See the README, Observability.", samples)));
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> samples) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        samples.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels)
                .value(v)
                .build()));
        return b.build();
    }

    /** The library adds {@code _total} to a counter's name itself. */
    private static CounterSnapshot counter(String name, String help, Map<Labels, Double> samples) {
        CounterSnapshot.Builder b = CounterSnapshot.builder()
                .name(name.substring(0, name.length() - "_total".length()))
                .help(help);
        samples.forEach((labels, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels)
                .value(v)
                .build()));
        return b.build();
    }

    /** {@code {k="v",...}} as written by {@link ProcessProbe#sample}, read back (\\, \" and \n unescaped). */
    static Labels labels(String written) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int i = 1;
        while (i < written.length() && written.charAt(i) != '}') {
            int eq = written.indexOf("=\"", i);
            names.add(written.substring(i, eq));
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; written.charAt(j) != '"'; j++) {
                char c = written.charAt(j);
                if (c == '\\') {
                    char n = written.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(c);
                }
            }
            values.add(v.toString());
            i = j + 1;
            if (i < written.length() && written.charAt(i) == ',') {
                i++;
            }
        }
        return Labels.of(names.toArray(String[]::new), values.toArray(String[]::new));
    }

    /** Sample values that are whole numbers as integers ({@code 5}, not {@code 5.0} or {@code 1.0E7}), as before the library. */
    static String wholeNumbers(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                String value = line.substring(space + 1);
                try {
                    double d = Double.parseDouble(value);
                    if (d == Math.rint(d) && Math.abs(d) < 1e15 && !value.contains("Inf")) {
                        line = line.substring(0, space + 1) + (long) d;
                    }
                } catch (NumberFormatException e) {
                    // +Inf, -Inf, NaN: as written
                }
            }
            out.append(line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
