package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12, item 6: every page's footer names the events dated in the future; the status keeps them out of the last event. */
class FutureEventsFooterIT {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    static CloudTrailEvent event(String id, Instant at) {
        return new CloudTrailEvent(
                id,
                at,
                CloudTrailEvent.SECRETS_MANAGER,
                "ListSecrets",
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                new Principal("arn:aws:iam::111111111111:role/app", "AssumedRole", null),
                "10.0.0.1",
                "sdk",
                List.of(),
                false,
                ("{\"eventID\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_footer_names_events_from_the_future_and_the_last_event_is_not_one_of_them() throws Exception {
        try (EventStore store = EventStore.open(null)) {
            Batch b = new Batch();
            b.event(new Batch.EventRow(event("past", NOW.minus(Duration.ofHours(2))), null, true, "trail/a.json", 1L));
            b.event(new Batch.EventRow(
                    event("f1", Instant.parse("2031-05-05T05:05:05Z")), null, true, "trail/a.json", 2L));
            b.event(new Batch.EventRow(
                    event("f2", Instant.parse("2090-01-01T00:00:00Z")), null, true, "trail/a.json", 3L));
            store.write(b);
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            try (ReportCache reports = new ReportCache(store, ReportSettings.defaults(), () -> NOW)
                            .start(Duration.ofSeconds(1), clock);
                    WebServer web = WebServer.start(
                            new WebConfig("127.0.0.1", 0),
                            new DashboardService(store, reports),
                            ReportSettings.defaults().rules(),
                            clock)) {
                String page = get(web, "/");
                assertThat(page)
                        .contains("<span id=\"future\">2 events dated in the future, latest 2090-01-01T00:00:00Z");
                assertThat(get(web, "/secrets")).contains("2 events dated in the future");
                JsonNode status = TestData.JSON.readTree(get(web, "/api/v1/status"));
                assertThat(status.get("futureEvents").asLong()).isEqualTo(2);
                assertThat(status.get("lastEventTime").asText()).isEqualTo("2026-11-21T10:00:00Z");
            }
        }
    }

    static String get(WebServer s, String path) throws Exception {
        HttpResponse<String> r = DashboardApiIT.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
