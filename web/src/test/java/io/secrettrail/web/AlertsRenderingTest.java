package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The alerts page's timelines and table, and the incident page, with event-derived strings that try to be markup. */
class AlertsRenderingTest {
    static final String ROLE = "arn:aws:iam::123456789012:role/<script>alert(1)</script>";
    static final String UA = "<img src=x onerror=alert(2)>";
    static final String SESSION = "\"><svg onload=alert(3)>";
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-<b>x</b>";
    static final Pages.View VIEW = new Pages.View(Map.of(), "csrf-token", LedgerRenderingTest.STATUS, null, List.of());

    static AlertRow row(String rule, String id, String state, String first, String last, long hits) {
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("incident", id);
        incident.put("state", state);
        incident.put("firstHit", first);
        incident.put("lastHit", last);
        incident.put("hits", hits);
        incident.put("mitre", Map.of("id", "T1555.006", "name", "Cloud Secrets Management Stores"));
        incident.put("runbook", "Revoke <the> sessions");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("principal", ROLE);
        evidence.put("windowStart", first);
        evidence.put("windowEnd", last);
        evidence.put("counts", Map.of("secrets", 25));
        evidence.put("events", 40);
        evidence.put("sourceIps", List.of("203.0.113.9"));
        evidence.put("userAgents", List.of(UA));
        evidence.put("callerKinds", List.of("unknown"));
        evidence.put("eventIds", List.of("ev-<1>"));
        evidence.put("sessions", List.of(Map.of("sessionName", SESSION, "accessKeyId", "ASIAEXAMPLE")));
        return new AlertRow(
                rule,
                "high",
                SECRET,
                ROLE,
                "alarm",
                "25 distinct secrets read in 1 h by " + ROLE + " (threshold 20) " + "x".repeat(400),
                "123456789012",
                "us-east-1",
                first,
                last,
                "open",
                null,
                null,
                null,
                null,
                evidence,
                incident,
                "payments");
    }

    static final AlertRow OPEN = row(
            "bulk-retrieval",
            "0b9f3c2e-1d2a-3b4c-8d5e-6f7a8b9c0d1e",
            "open",
            "2026-11-20T10:00:00Z",
            "2026-11-20T12:00:00Z",
            3);
    static final AlertRow CLOSED = row(
            "bulk-retrieval",
            "1c0a4d3f-2e3b-3c5d-9e6f-7a8b9c0d1e2f",
            "closed",
            "2026-11-01T10:00:00Z",
            "2026-11-01T11:00:00Z",
            1);
    static final AlertRow OTHER = row(
            "access-denied-burst",
            "2d1b5e4a-3f4c-3d6e-8f7a-8b9c0d1e2f3a",
            "open",
            "2026-11-10T00:00:00Z",
            "2026-11-10T00:00:00Z",
            1);

    /** No tag the strings above would open, in text or attribute. */
    static void assertInert(String html) {
        assertThat(html)
                .doesNotContain("<script>alert")
                .doesNotContain("<img")
                .doesNotContain("<svg onload")
                .doesNotContain("<b>x</b>")
                .doesNotContain("<the>")
                .doesNotContain("<1>");
    }

    @Test
    void one_timeline_per_rule_with_a_bar_per_incident_open_ones_marked_and_titles_escaped() {
        String svg = Svg.timelines(List.of(OPEN, CLOSED, OTHER));
        assertThat(Pattern.compile("<svg class=\"timeline\"").matcher(svg).results())
                .hasSize(2);
        assertThat(svg).contains("data-rule=\"access-denied-burst\"").contains("data-rule=\"bulk-retrieval\"");
        assertThat(Pattern.compile("<rect class=\"bar ").matcher(svg).results()).hasSize(3);
        assertThat(Pattern.compile("<rect class=\"bar open\"").matcher(svg).results())
                .hasSize(2);
        assertThat(Pattern.compile("<circle class=\"open-mark\"").matcher(svg).results())
                .hasSize(2);
        assertThat(svg)
                .contains(
                        "<title>bulk-retrieval high on arn:aws:iam::123456789012:role/&lt;script&gt;alert(1)&lt;/script&gt;:"
                                + " 2026-11-20T10:00:00Z to 2026-11-20T12:00:00Z, open, 3 hits</title>");
        assertInert(svg);
    }

    @Test
    void a_bar_spans_first_to_last_hit_on_the_shared_axis() {
        String svg = Svg.timelines(List.of(OPEN, CLOSED));
        // the axis runs from the closed incident's first hit to the open one's last: the closed bar starts at its left
        assertThat(svg).contains("<rect class=\"bar closed\" x=\"300.0\"");
        assertThat(svg).contains("<rect class=\"bar open\"").containsPattern("x=\"[0-9.]+\" y=\"4\" width=\"[0-9.]+\"");
        assertThat(Svg.timelines(List.of())).isEqualTo("<p class=\"none\">no incidents</p>");
        AlertRow posture = new AlertRow(
                "rotation-disabled",
                "medium",
                "arn:x",
                null,
                "alarm",
                "no rotation",
                "1",
                "r",
                "2026-11-01T00:00:00Z",
                "2026-11-20T00:00:00Z",
                "open",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(Svg.timelines(List.of(posture)))
                .as("a posture alert is no incident")
                .contains("no incidents");
    }

    @Test
    void the_alerts_page_escapes_event_strings_links_each_incident_and_acts_on_it() {
        String html = Pages.alerts(new Page<>(List.of(OPEN, CLOSED), 1, 100, 2), List.of("bulk-retrieval"), VIEW);
        assertInert(html);
        assertThat(html)
                .contains("<th>subject</th><th>started</th><th>last hit</th><th>state</th><th>count</th>")
                .contains("href=\"/alerts/incident/0b9f3c2e-1d2a-3b4c-8d5e-6f7a8b9c0d1e\"")
                .contains("<input type=\"hidden\" name=\"incident\" value=\"0b9f3c2e-1d2a-3b4c-8d5e-6f7a8b9c0d1e\">")
                .contains("<td class=\"reason\">25 distinct secrets")
                .contains("role/&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void the_incident_page_shows_its_evidence_sessions_events_mitre_and_runbook_escaped() {
        String html = Pages.incident(OPEN, VIEW);
        assertInert(html);
        assertThat(html)
                .contains("incident 0b9f3c2e-1d2a-3b4c-8d5e-6f7a8b9c0d1e")
                .contains("<td class=\"ua\"><div>&lt;img src=x onerror=alert(2)&gt;</div></td>")
                .contains("<td>&quot;&gt;&lt;svg onload=alert(3)&gt;</td>")
                .contains("ASIAEXAMPLE")
                .contains("<code>ev-&lt;1&gt;</code>")
                .contains("href=\"https://attack.mitre.org/techniques/T1555/006/\"")
                .contains("Revoke &lt;the&gt; sessions")
                .contains("<div>secrets: 25</div>")
                .contains("<div>203.0.113.9</div>");
    }
}
