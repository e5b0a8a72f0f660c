package io.secrettrail.web;

import static io.secrettrail.web.DashboardApiIT.assertError;
import static io.secrettrail.web.DashboardApiIT.get;
import static io.secrettrail.web.DashboardApiIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.export.ScheduledExport;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/export on a real Javalin (port 0) over a real DuckDB file: guarded like every POST route. */
class ExportRouteIT {
    static final String TOKEN = DashboardApiIT.TOKEN;

    @TempDir
    static Path dir;

    static EventStore store;
    static ReportCache reports;
    static WebServer open;
    static WebServer locked;
    static WebServer without;
    static Path lake;
    /** Holds an export of {@link #open} inside its run while a test wants one running; open otherwise. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    static final CountDownLatch inside = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        store = EventStore.open(dir.resolve("web.duckdb"));
        TestData.loadBursts(store);
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        reports = new ReportCache(store, ReportSettings.defaults(), () -> TestData.END)
                .start(Duration.ofSeconds(1), clock);
        DashboardService service = new DashboardService(store, reports);
        lake = dir.resolve("lake");
        ExportSettings settings = ExportSettings.of(Map.of("export.parquet.dir", lake.toString()));
        ScheduledExport.Run real = ScheduledExport.over(store, settings, ReportSettings.defaults());
        ScheduledExport export = new ScheduledExport(
                settings,
                at -> {
                    inside.countDown();
                    assertThat(gate.await(20, TimeUnit.SECONDS)).isTrue();
                    return real.export(at);
                },
                () -> TestData.END,
                clock);
        open = start(new WebConfig("127.0.0.1", 0), service, export, clock);
        locked = start(new WebConfig("0.0.0.0", 0, TOKEN), service, export, clock);
        without = start(
                new WebConfig("127.0.0.1", 0),
                service,
                new ScheduledExport(ExportSettings.none(), real, () -> TestData.END, clock),
                clock);
    }

    private static WebServer start(WebConfig config, DashboardService service, ScheduledExport export, Clock clock) {
        return WebServer.start(
                config,
                service,
                ReportSettings.defaults().rules(),
                io.secrettrail.analytics.alerts.WebhookSettings.none(),
                null,
                ProcessProbe.NONE,
                export,
                clock);
    }

    @AfterAll
    static void stop() throws Exception {
        open.close();
        locked.close();
        without.close();
        reports.close();
        store.close();
    }

    static String csrf(WebServer s) throws Exception {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                .matcher(get(s, "/alerts").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void off_loopback_the_export_needs_the_token_and_a_bearer_call_needs_no_csrf() throws Exception {
        assertError(post(locked, "/api/v1/export", "application/json", ""), 401, "unauthorized");
        assertError(
                post(locked, "/api/v1/export", "application/json", "", "Authorization", "Bearer wrong-token-value"),
                401,
                "unauthorized");
        HttpResponse<String> ok =
                post(locked, "/api/v1/export", "application/json", "", "Authorization", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void a_post_without_its_csrf_token_or_from_a_foreign_origin_is_refused() throws Exception {
        assertError(post(open, "/api/v1/export", "application/json", ""), 403, "csrf");
        assertError(post(open, "/api/v1/export", "application/json", "", "X-CSRF-Token", "0".repeat(64)), 403, "csrf");
        assertError(
                post(
                        open,
                        "/api/v1/export",
                        "application/json",
                        "",
                        "X-CSRF-Token",
                        csrf(open),
                        "Origin",
                        "http://evil.example"),
                403,
                "origin_not_allowed");
    }

    @Test
    void a_post_naming_a_foreign_host_is_refused_before_it_exports() throws Exception {
        // DNS rebinding: a page of rebind.evil.example that resolves to loopback, token in hand
        DashboardHostileIT.Raw r = DashboardHostileIT.raw(
                open,
                "POST /api/v1/export HTTP/1.1\r\nHost: rebind.evil.example:" + open.port() + "\r\nX-CSRF-Token: "
                        + csrf(open) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        DashboardHostileIT.assertRawError(r, 421, "host_not_allowed");
    }

    @Test
    void the_export_answers_its_summary_and_the_files_hold_the_databases_rows() throws Exception {
        HttpResponse<String> r = post(open, "/api/v1/export", "application/json", "", "X-CSRF-Token", csrf(open));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = TestData.JSON.readTree(r.body());
        assertThat(body.get("dir").asText()).isEqualTo(lake.toAbsolutePath().toString());
        assertThat(body.get("asOf").asText()).isEqualTo(TestData.END.toString());
        assertThat(body.get("tables").fieldNames())
                .toIterable()
                .containsExactly("events", "access", "rollups", "cost_months", "alerts");
        long rows = body.get("tables").get("events").get("rows").asLong();
        assertThat(rows).isEqualTo(40);
        assertThat(body.get("tables").get("events").get("files").asLong()).isEqualTo(2); // two days
        try (Connection c = store.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + lake
                        + "/events/*/*.parquet', hive_partitioning = true)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows);
        }
    }

    @Test
    void a_second_export_while_one_runs_is_refused_with_409() throws Exception {
        gate = new CountDownLatch(1);
        String token = csrf(open);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post(open, "/api/v1/export", "application/json", "", "X-CSRF-Token", token);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(inside.await(20, TimeUnit.SECONDS)).isTrue();
            assertError(
                    post(open, "/api/v1/export", "application/json", "", "X-CSRF-Token", token), 409, "export_running");
        } finally {
            gate.countDown();
        }
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void without_an_export_directory_the_route_answers_404_naming_the_setting() throws Exception {
        HttpResponse<String> r = post(without, "/api/v1/export", "application/json", "", "X-CSRF-Token", csrf(without));
        assertError(r, 404, "not_found");
        assertThat(r.body()).contains("export.parquet.dir");
    }

    @Test
    void a_directory_holding_a_table_folder_no_export_wrote_is_refused_with_409_and_left_alone() throws Exception {
        Path shared = dir.resolve("shared");
        Path theirs =
                java.nio.file.Files.createDirectories(shared.resolve("events")).resolve("keep.parquet");
        java.nio.file.Files.writeString(theirs, "someone else's");
        ExportSettings settings = ExportSettings.of(Map.of("export.parquet.dir", shared.toString()));
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        try (WebServer server = start(
                new WebConfig("127.0.0.1", 0),
                new DashboardService(store, reports),
                new ScheduledExport(
                        settings,
                        ScheduledExport.over(store, settings, ReportSettings.defaults()),
                        () -> TestData.END,
                        clock),
                clock)) {
            HttpResponse<String> r =
                    post(server, "/api/v1/export", "application/json", "", "X-CSRF-Token", csrf(server));
            assertError(r, 409, "export_refused");
            assertThat(r.body()).contains(".secrettrail-export");
        }
        assertThat(theirs).hasContent("someone else's");
        assertThat(shared.resolve("alerts")).doesNotExist();
    }
}
