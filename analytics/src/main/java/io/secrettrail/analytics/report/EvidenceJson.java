package io.secrettrail.analytics.report;

import io.secrettrail.analytics.rules.Evidence;
import io.secrettrail.analytics.rules.Incident;
import io.secrettrail.analytics.rules.Session;
import io.secrettrail.core.Times;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        m.put("sessions", sessions(e));
        return m;
    }

    /** The sessions of the evidence, each with its non-null fields. */
    public static List<Map<String, Object>> sessions(Evidence e) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Session s : e.sessions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "sessionName", s.sessionName());
            put(m, "sourceIdentity", s.sourceIdentity());
            put(m, "accessKeyId", s.accessKeyId());
            put(m, "vpcEndpointId", s.vpcEndpointId());
            out.add(m);
        }
        return out;
    }

    /**
     * An alert's incident fields, in the order the report, the API and the webhooks show them: incident,
     * state, firstHit, lastHit, hits, mitre, runbook.
     */
    public static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("incident", i.id());
        m.put("state", i.state());
        m.put("firstHit", Times.format(i.firstHit()));
        m.put("lastHit", Times.format(i.lastHit()));
        m.put("hits", i.hits());
        Map<String, Object> mitre = new LinkedHashMap<>();
        mitre.put("id", i.mitreId());
        mitre.put("name", i.mitreName());
        m.put("mitre", mitre);
        m.put("runbook", i.runbook());
        return m;
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
