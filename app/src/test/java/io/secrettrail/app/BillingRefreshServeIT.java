package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Json;
import io.secrettrail.ingest.aws.FakeAws;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §4 in the long-running process: the runtime serve uses (report cache, dashboard) over a real DuckDB file
 * imports a CUR 2.0 export from S3 and Cost Explorer on start, again once {@code aws.billing.interval} has passed
 * on a clock the test moves, and keeps serving while a source fails.
 */
class BillingRefreshServeIT {
    static final String ACCOUNT = "111111111111";
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf";
    static final String EXPORT = "exports/data/BILLING_PERIOD=2026-10/part-00001.snappy.parquet";

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();

    @AfterEach
    void close() {
        fake.close();
        AppFixtures.forgetAwsKey();
    }

    /** A CUR 2.0 export of October with one storage line of the secret: {@code months} secret-months at $0.40. */
    private byte[] export(String months) throws Exception {
        BigDecimal usd = new BigDecimal(months).multiply(new BigDecimal("0.40"));
        return AppFixtures.october(
                dir.resolve("export-" + months + ".parquet"),
                List.of(new AppFixtures.StorageLine(ARN, new BigDecimal(months), usd)));
    }

    static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
    }

    /** The billed dollars of the secret's own line in October, or null while there is none. */
    static BigDecimal billedOfSecret(int port) throws Exception {
        JsonNode page = get(port, "/api/v1/reconciliation");
        if (page == null) {
            return null;
        }
        List<JsonNode> mine = new ArrayList<>();
        page.path("lines").forEach(l -> {
            if (ARN.equals(l.path("resource").asText(null))) {
                mine.add(l);
            }
        });
        assertThat(mine)
                .as("one line per secret and month: a re-import replaces")
                .hasSizeLessThanOrEqualTo(1);
        return mine.isEmpty() ? null : mine.get(0).path("billedUsd").decimalValue();
    }

    static JsonNode source(int port, String name) throws Exception {
        JsonNode status = get(port, "/api/v1/status");
        for (JsonNode s : status.path("sources")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** serve's settings: the CUR 2.0 export location and Cost Explorer on the fake, every six hours. */
    private AppConfig config(java.time.Clock clock) throws Exception {
        AppFixtures.useAwsKey(fake, ACCOUNT);
        SettingsOptions settings = new SettingsOptions();
        settings.set.putAll(Map.of(
                "aws.endpoint", fake.endpoint().toString(),
                "aws.cur.pathStyle", "true",
                "aws.regions", "us-east-1",
                "aws.billing.cur", "s3://billing/exports/",
                "aws.billing.costExplorer", "true",
                "aws.billing.interval", "6h",
                "aws.maxAttempts", "2"));
        return AppFixtures.serveConfig(dir.resolve("work"), clock, settings);
    }

    /** The DuckDB file with prod/db in the inventory. */
    private EventStore storeWithSecret() throws Exception {
        EventStore store = EventStore.open(dir.resolve("secrettrail.duckdb"));
        AppFixtures.inventoried(store, ARN);
        return store;
    }

    @Test
    void serve_answers_while_the_first_import_is_still_running_and_shows_it_when_it_lands() throws Exception {
        fake.s3().put("billing", EXPORT, export("1"));
        // Cost Explorer refuses outright: that import fails, is logged, and serve goes on
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.accessDenied());
        AppConfig config =
                config(new io.secrettrail.ingest.aws.AwsFixtures.MovingClock(Instant.parse("2026-11-21T00:00:00Z")));
        try (EventStore store = storeWithSecret();
                FakeAws.Gate slowS3 = fake.hold("ListObjectsV2")) {
            SecretTrailRuntime rt =
                    SecretTrailRuntime.startOn(config, Set.of(SecretTrailRuntime.Role.WEB), store, () -> true);
            try {
                int port = rt.port();
                // start returned and the dashboard listens while the import waits on S3's listing
                await().atMost(Duration.ofSeconds(30)).until(() -> slowS3.arrived() > 0);
                assertThat(get(port, "/api/v1/status"))
                        .as("the dashboard answers")
                        .isNotNull();
                assertThat(billedOfSecret(port))
                        .as("nothing billed before the import lands")
                        .isNull();
                assertThat(source(port, "cur s3://billing/exports/")
                                .path("lastSuccess")
                                .asText(null))
                        .isNull();

                slowS3.open();
                await().atMost(Duration.ofSeconds(60)).until(() -> billedOfSecret(port) != null);
                assertThat(billedOfSecret(port)).isEqualByComparingTo("0.40");
                assertThat(source(port, "cur s3://billing/exports/").path("up").asBoolean())
                        .isTrue();
                JsonNode ce = source(port, "cost-explorer");
                assertThat(ce.path("up").asBoolean()).isFalse();
                assertThat(ce.path("lastError").asText()).contains("AccessDenied");
                assertThat(get(port, "/api/v1/status"))
                        .as("a failing import does not stop serve")
                        .isNotNull();
            } finally {
                // a held request would keep the report thread, which close waits for
                slowS3.open();
                rt.close();
            }
        }
    }

    @Test
    void serve_imports_billing_on_start_replaces_it_each_period_and_survives_a_failing_source() throws Exception {
        fake.s3().put("billing", EXPORT, export("1"));
        fake.costExplorer()
                .add(
                        LocalDate.of(2026, 11, 2),
                        ACCOUNT,
                        "us-east-1",
                        "AWS Secrets Manager",
                        "AWSSecretsManagerAPIRequest",
                        "0.00005",
                        "10");
        io.secrettrail.ingest.aws.AwsFixtures.MovingClock clock =
                new io.secrettrail.ingest.aws.AwsFixtures.MovingClock(Instant.parse("2026-11-21T00:00:00Z"));
        AppConfig config = config(clock);
        try (EventStore store = storeWithSecret()) {
            try (SecretTrailRuntime rt =
                    SecretTrailRuntime.startOn(config, Set.of(SecretTrailRuntime.Role.WEB), store, () -> true)) {
                int port = rt.port();
                // the first import runs in the background right after start: the next report carries it
                await().atMost(Duration.ofSeconds(30)).until(() -> billedOfSecret(port) != null);
                assertThat(billedOfSecret(port)).isEqualByComparingTo("0.40");
                assertThat(source(port, "cur s3://billing/exports/").path("up").asBoolean())
                        .isTrue();
                assertThat(source(port, "cost-explorer").path("kind").asText()).isEqualTo("billing");
                assertThat(source(port, "cost-explorer").path("lastSuccess").asText())
                        .isEqualTo("2026-11-21T00:00:00Z");
                int asks = fake.requests("GetCostAndUsage").size();
                assertThat(asks).as("Cost Explorer asked on start").isPositive();

                // the export is rewritten (AWS does so while a month is open) and Cost Explorer is throttled
                fake.s3().put("billing", EXPORT, export("2"));
                fake.failAlways("GetCostAndUsage", FakeAws.Fault.throttling());
                int listsBefore = fake.requests("ListObjectsV2").size();
                clock.advance(Duration.ofHours(6).minusSeconds(1));
                // boundary: one second short of the interval, ticks pass without an import
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> true);
                assertThat(fake.requests("ListObjectsV2")).hasSize(listsBefore);
                assertThat(fake.requests("GetCostAndUsage")).hasSize(asks);

                clock.advance(Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    BigDecimal b2 = billedOfSecret(port);
                    return b2 != null && b2.compareTo(new BigDecimal("0.80")) == 0;
                });
                JsonNode ce = source(port, "cost-explorer");
                assertThat(ce.path("up").asBoolean()).isFalse();
                assertThat(ce.path("lastError").asText()).isNotBlank();
                assertThat(ce.path("lastSuccess").asText()).isEqualTo("2026-11-21T00:00:00Z");
                assertThat(source(port, "cur s3://billing/exports/").path("up").asBoolean())
                        .isTrue();
                JsonNode page = get(port, "/api/v1/reconciliation");
                assertThat(page.toString())
                        .as("Cost Explorer's earlier lines stay while it fails")
                        .contains("api-requests");

                // Cost Explorer recovers: the next period imports it again
                fake.clearFaults();
                clock.advance(Duration.ofHours(6));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> source(port, "cost-explorer").path("up").asBoolean());
                assertThat(source(port, "cost-explorer").path("lastSuccess").asText())
                        .isEqualTo("2026-11-21T12:00:00Z");
                assertThat(billedOfSecret(port)).isEqualByComparingTo("0.80");
            }
        }
    }
}
