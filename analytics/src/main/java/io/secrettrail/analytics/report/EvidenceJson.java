package io.secrettrail.analytics.report;

import java.util.LinkedHashMap;
import java.util.Map;

import io.secrettrail.analytics.rules.Evidence;
import io.secrettrail.core.Times;

/** A finding's evidence as plain JSON values (times as ISO-8601 text): the dashboard's alerts and the webhook payloads. */
public final class EvidenceJson {
    private EvidenceJson() {}

    /** The evidence's fields by name, or null for none. */
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
        m.put("eventIds", e.eventIds());
        return m;
    }
}
