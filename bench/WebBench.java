import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.web.WebConfig;
import io.secrettrail.web.WebServer;

/**
 * Dashboard API latency on a large store (a benchmark, not a test). Usage:
 *   java -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/WebBench.java DIR [EVENTS]
 * Fills DIR/web-bench.duckdb with EVENTS (default 10,000,000) synthetic Secrets Manager events by
 * SQL (2 accounts, 4 regions, 2,000 secrets, 80 roles each reading its own ~40 secrets, 30 days,
 * 2% AccessDenied), builds the rollups, waits for the background report, then times every API
 * endpoint (p50/p95 of 60 requests after 5 warm-ups: what a page sees between two commits, results
 * being computed once per data version), then cold requests (a new range each time, nothing cached)
 * and, as a baseline in the same run, the overview's figures computed from the raw events instead
 * of the rollups.
 */
public class WebBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long n = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        Files.createDirectories(dir);
        Path db = dir.resolve("web-bench.duckdb");
        Instant asOf = Instant.parse("2026-11-21T00:00:00Z");
        boolean fresh = !Files.exists(db);
        try (EventStore store = EventStore.open(db)) {
            if (fresh) {
                long t = System.nanoTime();
                fill(store, n);
                System.err.printf(Locale.ROOT, "loaded %,d events in %.1f s%n", n, (System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                store.rebuildRollups();
                System.err.printf(Locale.ROOT, "rollups built in %.1f s%n", (System.nanoTime() - t) / 1e9);
            }
            Clock clock = Clock.fixed(asOf, ZoneOffset.UTC);
            long t = System.nanoTime();
            try (ReportCache reports = new ReportCache(store, ReportSettings.defaults(), () -> asOf).start(Duration.ofHours(1), clock);
                 WebServer web = WebServer.start(new WebConfig("127.0.0.1", 0), new DashboardService(store, reports),
                         ReportSettings.defaults().rules(), clock)) {
                System.err.printf(Locale.ROOT, "report (13 rules, cost, savings) built in %.1f s%n", (System.nanoTime() - t) / 1e9);
                String base = "http://127.0.0.1:" + web.port();
                String secret = "arn:aws:secretsmanager:us-east-1:111111111111:secret:team-8/service-8/db-AbCdEf";
                String role = "arn:aws:iam::111111111111:role/app-8";
                Map<String, String> endpoints = new LinkedHashMap<>();
                endpoints.put("status", "/api/v1/status");
                endpoints.put("overview", "/api/v1/overview");
                endpoints.put("overview, last 7 days, one account", "/api/v1/overview?days=7&account=111111111111");
                endpoints.put("secrets, page 1", "/api/v1/secrets");
                endpoints.put("secrets, filtered and sorted", "/api/v1/secrets?q=team-3&sort=projectedUsd&page=2&pageSize=20");
                endpoints.put("secret detail", "/api/v1/secrets/" + secret);
                endpoints.put("principals", "/api/v1/principals");
                endpoints.put("principal detail + policy", "/api/v1/principals/" + role);
                endpoints.put("access of one secret", "/api/v1/access?secret=" + secret.replace("/", "%2F"));
                endpoints.put("alerts", "/api/v1/alerts");
                endpoints.put("cost", "/api/v1/cost");
                endpoints.put("rules", "/api/v1/rules");
                endpoints.put("overview page (HTML)", "/");
                endpoints.put("secrets page (HTML)", "/secrets");
                HttpClient http = HttpClient.newHttpClient();
                System.out.printf("%nDashboard API on %,d events (%d cores)%n", n, Runtime.getRuntime().availableProcessors());
                System.out.printf("%-38s %9s %9s %9s%n", "endpoint", "p50 ms", "p95 ms", "max ms");
                for (var e : endpoints.entrySet()) {
                    double[] ms = time(http, base + e.getValue(), 60);
                    System.out.printf(Locale.ROOT, "%-38s %9.1f %9.1f %9.1f%n", e.getKey(), ms[0], ms[1], ms[2]);
                }
                // Cold: every request a different range, so nothing is cached (the first request after each commit).
                System.out.printf("%n%-38s %9s %9s %9s%n", "cold (a new range each request)", "p50 ms", "p95 ms", "max ms");
                for (String path : List.of("/api/v1/overview", "/api/v1/secrets", "/api/v1/principals", "/api/v1/secrets/" + secret)) {
                    double[] ms = new double[30];
                    for (int i = 0; i < 30; i++) {
                        String url = base + path + "?from=2026-10-" + String.format("%02d", 1 + i) + "&to=2026-11-20";
                        long b = System.nanoTime();
                        check(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()), url);
                        ms[i] = (System.nanoTime() - b) / 1e6;
                    }
                    java.util.Arrays.sort(ms);
                    System.out.printf(Locale.ROOT, "%-38s %9.1f %9.1f %9.1f%n", path.length() > 38 ? path.substring(0, 35) + "..." : path,
                            ms[15], ms[28], ms[29]);
                }
                // Baseline: the overview's calls-per-day and top callers from raw events.
                double[] raw = new double[60];
                try (Connection c = store.reader(); Statement s = c.createStatement()) {
                    for (int i = -5; i < 60; i++) {
                        long b = System.nanoTime();
                        try (ResultSet rs = s.executeQuery("SELECT CAST(event_time AS DATE), event_name, count(*) FROM events GROUP BY ALL")) {
                            while (rs.next()) { }
                        }
                        try (ResultSet rs = s.executeQuery("SELECT principal, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 10")) {
                            while (rs.next()) { }
                        }
                        if (i >= 0) {
                            raw[i] = (System.nanoTime() - b) / 1e6;
                        }
                    }
                }
                java.util.Arrays.sort(raw);
                double[] rolled = new double[30];
                try (Connection c = store.reader(); Statement s = c.createStatement()) {
                    for (int i = -5; i < 30; i++) {
                        long b = System.nanoTime();
                        try (ResultSet rs = s.executeQuery("SELECT day, event_name, sum(calls) FROM rollup_daily GROUP BY ALL")) {
                            while (rs.next()) { }
                        }
                        try (ResultSet rs = s.executeQuery("SELECT principal, sum(calls) FROM rollup_daily GROUP BY 1 ORDER BY 2 DESC LIMIT 10")) {
                            while (rs.next()) { }
                        }
                        if (i >= 0) {
                            rolled[i] = (System.nanoTime() - b) / 1e6;
                        }
                    }
                }
                java.util.Arrays.sort(rolled);
                System.out.printf(Locale.ROOT, "%nbaseline, the same two overview figures (calls per day by event, top callers) by SQL:"
                        + " from raw events p50 %.1f ms, p95 %.1f ms; from rollup_daily p50 %.1f ms, p95 %.1f ms: %.1fx faster%n",
                        raw[29], raw[56], rolled[15], rolled[28], raw[29] / rolled[15]);
            }
        }
    }

    static double[] time(HttpClient http, String url, int runs) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).build();
        for (int i = 0; i < 5; i++) {
            check(http.send(req, HttpResponse.BodyHandlers.discarding()), url);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            check(http.send(req, HttpResponse.BodyHandlers.discarding()), url);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return new double[] {ms[runs / 2], ms[(int) Math.ceil(runs * 0.95) - 1], ms[runs - 1]};
    }

    static void check(HttpResponse<?> r, String url) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
    }

    /** Synthetic events straight into the tables, in batches of a million (bounded memory). */
    static void fill(EventStore store, long n) throws Exception {
        try (Connection c = store.reader(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("""
                    INSERT INTO inventory SELECT
                        'arn:aws:secretsmanager:' || r || ':' || a || ':secret:team-' || (i % 10) || '/service-' || i || '/db-AbCdEf',
                        'team-' || (i % 10) || '/service-' || i || '/db', a, r, r, i % 3 <> 0, NULL, 30,
                        TIMESTAMP '2025-01-01' + to_days(i % 300), TIMESTAMP '2026-09-01' + to_days(i % 90), NULL, NULL, NULL,
                        TIMESTAMP '2026-12-01', '{"team":"team-' || (i % 10) || '"}', '{}'
                    FROM (SELECT i, CASE WHEN i % 2 = 0 THEN '111111111111' ELSE '222222222222' END AS a,
                                 ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (i // 2) % 4] AS r FROM range(2000) t(i))""");
            long chunk = 1_000_000;
            for (long from = 0; from < n; from += chunk) {
                long to = Math.min(n, from + chunk);
                s.execute("""
                        CREATE OR REPLACE TEMP TABLE g AS
                        SELECT i, p, CAST((p * 25 + (hash(i) %% 40)) %% 2000 AS BIGINT) AS sec,
                            TIMESTAMP '2026-10-22' + to_microseconds(CAST(i * (30 * 86400 * 1e6 / %1$d) AS BIGINT)) AS t,
                            CASE WHEN CAST(hash(i * 7) %% 100 AS BIGINT) < 2 THEN 'AccessDenied' END AS err,
                            ['GetSecretValue', 'GetSecretValue', 'GetSecretValue', 'GetSecretValue', 'DescribeSecret', 'GetSecretValue',
                             'BatchGetSecretValue', 'ListSecrets', 'PutSecretValue', 'GetSecretValue'][1 + CAST(hash(i * 3) %% 10 AS BIGINT)] AS name
                        FROM (SELECT i, CAST(hash(i * 13) %% 80 AS BIGINT) AS p FROM range(%2$d, %3$d) r(i))""".formatted(n, from, to));
                s.execute("""
                        INSERT INTO events SELECT gen_random_uuid(), 'ev-' || i, t, 'secretsmanager.amazonaws.com', name, 'AwsApiCall',
                            ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4],
                            CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END, err, NULL,
                            'arn:aws:iam::' || CASE WHEN p % 2 = 0 THEN '111111111111' ELSE '222222222222' END || ':role/app-' || p,
                            'AssumedRole', 'arn:aws:sts::111111111111:assumed-role/app-' || p || '/i-' || (i % 97),
                            '10.0.' || p || '.' || (i % 7), 'aws-sdk-java/2.25.' || (p % 5), name <> 'ListSecrets', false, 'bench', i, '{}', NULL
                        FROM g""");
                s.execute("""
                        INSERT INTO event_secrets SELECT gen_random_uuid(), t, 'ev-' || i,
                            'arn:aws:secretsmanager:' || ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4] || ':'
                                || CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END || ':secret:team-' || (sec % 10)
                                || '/service-' || sec || '/db-AbCdEf',
                            true, CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END,
                            ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4],
                            'team-' || (sec % 10) || '/service-' || sec || '/db'
                        FROM g WHERE name <> 'ListSecrets'""");
                System.err.printf(Locale.ROOT, "  %,d / %,d events%n", to, n);
            }
            s.execute("DROP TABLE g");
        }
    }
}
