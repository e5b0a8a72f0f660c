package io.secrettrail.app;

import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.web.ProcessProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** What a process tells its health and metrics endpoints, from the parts its roles built. */
final class ProcessProbes {
    private ProcessProbes() {}

    /**
     * Readiness beside DuckDB's (broker, consumer, producer), figures for /metrics, the sources' state.
     *
     * @param health the consumer's, or null in a process without analytics
     * @param publisher the sources' publisher, or null in a process without ingest
     * @param billing the billing imports of the process owning the store, or null when none is configured
     */
    static ProcessProbe of(
            ConsumerHealth health, Admin admin, EventPublisher publisher, Sources sources, BillingRefresh billing) {
        ProcessProbe base = of(health, admin, publisher, sources);
        if (billing == null) {
            return base;
        }
        return new ProcessProbe() {
            @Override
            public Map<String, Boolean> readiness() {
                // a billing source failing never makes the process unready: it is retried at the next period
                return base.readiness();
            }

            @Override
            public Map<String, Double> gauges() {
                Map<String, Double> g = new HashMap<>(base.gauges());
                billing.gauges(g);
                return g;
            }

            @Override
            public List<ProcessProbe.SourceState> sources() {
                List<ProcessProbe.SourceState> s = new ArrayList<>(base.sources());
                s.addAll(billing.states());
                return s;
            }
        };
    }

    private static ProcessProbe of(ConsumerHealth health, Admin admin, EventPublisher publisher, Sources sources) {
        if (publisher == null) {
            return health == null ? ProcessProbe.NONE : health;
        }
        return new ProcessProbe() {
            @Override
            public Map<String, Boolean> readiness() {
                Map<String, Boolean> r = new LinkedHashMap<>(
                        health != null ? health.readiness() : Map.of("broker", ConsumerHealth.brokerReachable(admin)));
                r.put("producer", !publisher.failed());
                return r;
            }

            @Override
            public Map<String, Double> gauges() {
                Map<String, Double> g = new HashMap<>(health != null ? health.gauges() : Map.of());
                g.putAll(sources.gauges());
                return g;
            }

            @Override
            public List<ProcessProbe.SourceState> sources() {
                return sources.states();
            }
        };
    }
}
