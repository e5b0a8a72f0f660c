package io.secrettrail.analytics.report;

import io.secrettrail.analytics.rules.Evidence;
import io.secrettrail.core.Times;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert's evidence as plain JSON values (times as ISO-8601 text), in the order the API and the
 * webhook payloads show it. Here, below both, so that the dashboard and the alerts share one form
 * without one reaching into the other.
 */
public final class EvidenceJson {
    private EvidenceJson() {}

    /** The evidence's fields by name; null for no evidence. */
    public static Map<String, Object> of(Evidence e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("principal", e.principal());
        m.put("windowStart", Times.format(e.windowStart()));
        m.put("windowEnd", Times.format(e.windowEnd()));
        m.put("counts", e.counts());
        m.put("events", e.events());
        m.put("sourceIps", e.sourceIps());
        m.put("userAgents", e.userAgents());
        m.put("callerKinds", e.callerKinds());
        m.put("eventIds", e.eventIds());
        return m;
    }
}
