package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Json;
import io.secrettrail.ingest.aws.AwsFixtures.MovingClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet export in the runtime serve uses, over a real DuckDB file and the real dashboard: {@code export.cron}
 * fires once the clock the test moves reaches it, and {@code POST /api/v1/export} writes it on request.
 */
class ServeExportIT {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private AppConfig config(MovingClock clock, Path lake) throws Exception {
        SettingsOptions settings = new SettingsOptions();
        settings.set.putAll(Map.of("export.parquet.dir", lake.toString(), "export.cron", "cron(0 3 * * ? *)"));
        return AppFixtures.serveConfig(dir.resolve("work"), clock, settings);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_cron_fires_when_the_clock_reaches_it_and_a_post_exports_on_request() throws Exception {
        Path lake = dir.resolve("lake");
        MovingClock clock = new MovingClock(Instant.parse("2026-11-21T02:59:00Z"));
        try (EventStore store = EventStore.open(dir.resolve("secrettrail.duckdb"))) {
            AppFixtures.inventoried(store, ARN);
            SecretTrailRuntime rt = SecretTrailRuntime.startOn(
                    config(clock, lake), Set.of(SecretTrailRuntime.Role.WEB), store, () -> true);
            try {
                String base = "http://127.0.0.1:" + rt.port();
                assertThat(lake.resolve("cost_months")).as("not before 03:00").doesNotExist();
                clock.advance(Duration.ofSeconds(90)); // 03:00:30
                await().atMost(Duration.ofSeconds(45)).until(() -> Files.isDirectory(lake.resolve("cost_months")));
                assertThat(lake.resolve("cost_months").resolve("month=2026-11")).isDirectory();

                Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(send(HttpRequest.newBuilder(URI.create(base + "/alerts")))
                                .body());
                assertThat(m.find()).isTrue();
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/export"))
                        .header("X-CSRF-Token", m.group(1))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = Json.mapper().readTree(r.body());
                assertThat(body.get("asOf").asText()).isEqualTo("2026-11-21T03:00:30Z");
                assertThat(body.at("/tables/cost_months/rows").asLong()).isEqualTo(1);
            } finally {
                rt.close();
            }
        }
    }
}
