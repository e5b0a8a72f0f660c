package io.secrettrail.web;

import static io.secrettrail.web.DashboardApiIT.assertError;
import static io.secrettrail.web.DashboardApiIT.get;
import static io.secrettrail.web.DashboardApiIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: incidents on the dashboard over HTTP (real Javalin on port 0, a DuckDB file): the alerts JSON lists
 * open incidents first and keeps its v1 fields, one incident has its JSON and its page (404 for an unknown or
 * malformed id), and an acknowledgement names one incident, under the forms' CSRF rules.
 */
class IncidentPagesIT {
    @TempDir
    static Path dir;

    static EventStore store;
    static ReportCache reports;
    static WebServer open;

    @BeforeAll
    static void start() throws Exception {
        store = EventStore.open(dir.resolve("incidents.duckdb"));
        TestData.loadBursts(store);
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        reports = new ReportCache(store, ReportSettings.defaults(), () -> TestData.END)
                .start(Duration.ofSeconds(1), clock);
        open = WebServer.start(
                new WebConfig("127.0.0.1", 0),
                new DashboardService(store, reports),
                ReportSettings.defaults().rules(),
                clock);
    }

    @AfterAll
    static void stop() throws Exception {
        open.close();
        reports.close();
        store.close();
    }

    static JsonNode json(WebServer s, String path) throws Exception {
        HttpResponse<String> r = get(s, path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return TestData.JSON.readTree(r.body());
    }

    @Test
    void incidents_have_their_own_json_page_and_acknowledgement_open_ones_listed_first() throws Exception {
        JsonNode items = json(open, "/api/v1/alerts?pageSize=1000").get("items");
        List<JsonNode> withIncident = new ArrayList<>();
        boolean closedSeen = false;
        for (JsonNode a : items) {
            // the v1 fields stay
            assertThat(a.has("rule") && a.has("severity") && a.has("resource") && a.has("reason") && a.has("state"))
                    .isTrue();
            boolean open = a.path("incident").isNull()
                    || a.path("incident").path("state").asText().equals("open");
            assertThat(open && closedSeen)
                    .as("an open alert after a closed one")
                    .isFalse();
            closedSeen |= !open;
            if (a.path("incident").isObject()) {
                withIncident.add(a);
            }
        }
        assertThat(withIncident).as("the two bursts are two incidents").hasSize(2);
        assertThat(withIncident.get(0).get("incident").get("state").asText()).isEqualTo("open");
        assertThat(withIncident.get(1).get("incident").get("state").asText()).isEqualTo("closed");
        JsonNode alert = withIncident.get(0);
        String id = alert.get("incident").get("incident").asText();
        JsonNode one = json(open, "/api/v1/alerts/incidents/" + id);
        assertThat(one.get("incident").get("incident").asText()).isEqualTo(id);
        assertThat(one.get("rule").asText()).isEqualTo(alert.get("rule").asText());
        assertError(get(open, "/api/v1/alerts/incidents/00000000-0000-3000-8000-000000000000"), 404, "not_found");
        assertError(get(open, "/api/v1/alerts/incidents/not-an-id"), 404, "not_found");
        HttpResponse<String> page = get(open, "/alerts/incident/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("incident " + id).contains("<h2>Sessions</h2>");
        assertThat(get(open, "/alerts/incident/00000000-0000-3000-8000-000000000000")
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(open, "/alerts/incident/%3Cscript%3E").statusCode()).isEqualTo(404);

        Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        String body = TestData.JSON.writeValueAsString(Map.of(
                "action",
                "ack",
                "rule",
                alert.get("rule").asText(),
                "resource",
                alert.get("resource").asText(),
                "principal",
                alert.path("principal").asText(""),
                "incident",
                id,
                "reason",
                "incident reviewed"));
        assertError(post(open, "/api/v1/alerts/actions", "application/json", body), 403, "csrf");
        assertError(
                post(
                        open,
                        "/api/v1/alerts/actions",
                        "application/json",
                        body.replace(id, "not-an-id"),
                        "X-CSRF-Token",
                        m.group(1)),
                400,
                "bad_request");
        assertThat(post(open, "/api/v1/alerts/actions", "application/json", body, "X-CSRF-Token", m.group(1))
                        .statusCode())
                .isEqualTo(201);
        JsonNode acked = json(open, "/api/v1/alerts/incidents/" + id);
        assertThat(acked.get("state").asText()).isEqualTo("acknowledged");
        assertThat(acked.get("stateReason").asText()).isEqualTo("incident reviewed");
        // only that incident: no other alert carries its reason
        assertThat(json(open, "/api/v1/alerts?pageSize=1000").get("items"))
                .filteredOn(a -> a.path("stateReason").asText("").equals("incident reviewed"))
                .hasSize(1);
    }
}
