import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.CacheStats;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.web.WebConfig;
import io.secrettrail.web.WebServer;

/**
 * The dashboard under many distinct filters (a benchmark, not a test). Usage:
 *   java -Xmx2g -XX:+ExitOnOutOfMemoryError -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/CacheBench.java DIR [SECRETS] [EVENTS]
 * Fills DIR/cache-bench.duckdb with SECRETS (default 50,000) inventoried secrets and EVENTS (default
 * 1,000,000) reads over 30 days, waits for the background report, then, in the same run:
 *   idle      /health/live alone (the baseline);
 *   16        16 requests at once, each with a distinct days= value (secrets list, overview, page);
 *   100       100 more distinct filters, 8 at a time;
 * each while a probe times /health/live every 50 ms. Prints the probe's p50/p95/max and its ratio to
 * idle, the requests' latency and failures, the cache's entries and estimated bytes against its
 * bounds, and the heap in use after a full GC.
 */
public class CacheBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int secrets = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        long events = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000L;
        Files.createDirectories(dir);
        Path db = dir.resolve("cache-bench-" + secrets + "-" + events + ".duckdb");
        Instant asOf = Instant.parse("2026-11-21T00:00:00Z");
        boolean fresh = !Files.exists(db);
        try (EventStore store = EventStore.open(db)) {
            if (fresh) {
                long t = System.nanoTime();
                fill(store, secrets, events);
                store.rebuildRollups();
                System.err.printf(Locale.ROOT, "loaded %,d secrets and %,d events, rollups built, in %.1f s%n", secrets, events,
                        (System.nanoTime() - t) / 1e9);
            }
            Clock clock = Clock.fixed(asOf, ZoneOffset.UTC);
            long t = System.nanoTime();
            try (ReportCache reports = new ReportCache(store, ReportSettings.defaults(), () -> asOf).start(Duration.ofHours(1), clock)) {
                System.err.printf(Locale.ROOT, "report built in %.1f s; heap in use after GC %.0f MiB%n", (System.nanoTime() - t) / 1e9,
                        heap() / 1048576.0);
                DashboardService service = new DashboardService(store, reports);
                try (WebServer web = WebServer.start(new WebConfig("127.0.0.1", 0), service, ReportSettings.defaults().rules(),
                        clock)) {
                    String base = "http://127.0.0.1:" + web.port();
                    HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(20)).build();
                    System.out.printf(Locale.ROOT, "%nDashboard under distinct filters: %,d secrets, %,d events, %d cores, -Xmx%d MB%n",
                            secrets, events, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
                    System.out.printf(Locale.ROOT, "cache bounds: %d entries, %d MiB%n", DashboardService.CACHE_ENTRIES,
                            DashboardService.CACHE_BYTES >> 20);
                    get(http, base + "/api/v1/secrets"); // warm: the range-independent rows
                    System.err.printf(Locale.ROOT, "after the first secrets page: heap in use after GC %.0f MiB%n", heap() / 1048576.0);
                    double[] idle = probe(http, base, () -> { }, 100);
                    System.out.printf("%n%-44s %9s %9s %9s %8s%n", "/health/live while", "p50 ms", "p95 ms", "max ms", "p95/idle");
                    print("idle (baseline)", idle, idle);
                    List<Double> req16 = Collections.synchronizedList(new ArrayList<>());
                    double[] under16 = probe(http, base, () -> load(http, base, 1, 16, 16, req16), 0);
                    print("16 distinct filters at once", under16, idle);
                    List<Double> req100 = Collections.synchronizedList(new ArrayList<>());
                    double[] under100 = probe(http, base, () -> load(http, base, 100, 100, 8, req100), 0);
                    print("100 more distinct filters, 8 at a time", under100, idle);
                    System.out.printf("%n%-44s %9s %9s %9s%n", "the filtered requests", "p50 ms", "p95 ms", "max ms");
                    print("16 at once", stats(req16), null);
                    print("100, 8 at a time", stats(req100), null);
                    System.out.printf("requests that did not answer 200: %d%n", FAILED.get());
                    CacheStats c = service.cacheStats();
                    long heap = heap();
                    System.out.printf(Locale.ROOT, "%ncache after: %d of %d entries, %.1f of %d MiB (estimated); heap in use after GC %.0f MiB%n",
                            c.entries(), c.maxEntries(), c.bytes() / 1048576.0, c.maxBytes() >> 20, heap / 1048576.0);
                }
            }
        }
    }

    /** Requests with days = from..to (each a distinct filter), {@code parallel} at a time, their latencies into {@code out}. */
    static void load(HttpClient http, String base, int from, int to, int parallel, List<Double> out) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int d = from; d < from + to; d++) {
                int days = d;
                fs.add(pool.submit(() -> {
                    String path = switch (days % 3) {
                        case 0 -> "/api/v1/secrets?sort=name&days=" + days;
                        case 1 -> "/api/v1/overview?days=" + days;
                        default -> "/secrets?sort=projectedUsd&days=" + days;
                    };
                    long t = System.nanoTime();
                    get(http, base + path);
                    out.add((System.nanoTime() - t) / 1e6);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    /** Times /health/live every 50 ms while {@code work} runs (or {@code alone} times when there is none). */
    static double[] probe(HttpClient http, String base, Runnable work, int alone) throws Exception {
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean(alone > 0);
        Thread prober = new Thread(() -> {
            int n = 0;
            while (!done.get() || n < alone) {
                long t = System.nanoTime();
                get(http, base + "/health/live");
                ms.add((System.nanoTime() - t) / 1e6);
                n++;
                if (done.get() && n >= alone) {
                    break;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        prober.start();
        work.run();
        done.set(true);
        prober.join();
        return stats(ms);
    }

    static long heap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double[] stats(List<Double> list) {
        double[] a = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {a[a.length / 2], a[(int) Math.ceil(a.length * 0.95) - 1], a[a.length - 1]};
    }

    static void print(String label, double[] v, double[] idle) {
        System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f %9.1f%s%n", label, v[0], v[1], v[2],
                idle == null ? "" : String.format(Locale.ROOT, " %7.1fx", v[1] / idle[1]));
    }

    static final java.util.concurrent.atomic.AtomicInteger FAILED = new java.util.concurrent.atomic.AtomicInteger();

    static void get(HttpClient http, String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                FAILED.incrementAndGet();
                System.err.println(url + " answered " + r.statusCode());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(url, e);
        }
    }

    /** Inventoried secrets and reads of them straight into the tables, by SQL. */
    static void fill(EventStore store, int secrets, long n) throws Exception {
        try (Connection c = store.reader(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("""
                    INSERT INTO inventory SELECT
                        'arn:aws:secretsmanager:' || r || ':' || a || ':secret:team-' || (i %% 10) || '/service-' || i || '/db-AbCdEf',
                        'team-' || (i %% 10) || '/service-' || i || '/db', a, r, r, i %% 3 <> 0, NULL, 30,
                        TIMESTAMP '2025-01-01' + to_days(i %% 300), TIMESTAMP '2026-09-01' + to_days(i %% 90), NULL, NULL, NULL,
                        TIMESTAMP '2026-12-01', '{"team":"team-' || (i %% 10) || '"}', '{}'
                    FROM (SELECT i, CASE WHEN i %% 2 = 0 THEN '111111111111' ELSE '222222222222' END AS a,
                                 ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (i // 2) %% 4] AS r FROM range(%d) t(i))"""
                    .formatted(secrets));
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE g AS
                    SELECT i, CAST(hash(i * 13) %% 80 AS BIGINT) AS p, CAST(hash(i) %% %2$d AS BIGINT) AS sec,
                        TIMESTAMP '2026-10-22' + to_microseconds(CAST(i * (30 * 86400 * 1e6 / %1$d) AS BIGINT)) AS t,
                        CASE WHEN CAST(hash(i * 7) %% 100 AS BIGINT) < 2 THEN 'AccessDenied' END AS err
                    FROM range(%1$d) r(i)""".formatted(n, secrets));
            s.execute("""
                    INSERT INTO events SELECT gen_random_uuid(), 'ev-' || i, t, 'secretsmanager.amazonaws.com', 'GetSecretValue', 'AwsApiCall',
                        ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4],
                        CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END, err, NULL,
                        'arn:aws:iam::111111111111:role/app-' || p, 'AssumedRole', 'arn:aws:sts::111111111111:assumed-role/app-' || p || '/i',
                        '10.0.' || p || '.1', 'aws-sdk-java/2.25.1', true, false, 'bench', i, '{}', NULL
                    FROM g""");
            s.execute("""
                    INSERT INTO event_secrets SELECT gen_random_uuid(), t, 'ev-' || i,
                        'arn:aws:secretsmanager:' || ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4] || ':'
                            || CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END || ':secret:team-' || (sec % 10)
                            || '/service-' || sec || '/db-AbCdEf',
                        true, CASE WHEN sec % 2 = 0 THEN '111111111111' ELSE '222222222222' END,
                        ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'][1 + (sec // 2) % 4],
                        'team-' || (sec % 10) || '/service-' || sec || '/db'
                    FROM g""");
            s.execute("DROP TABLE g");
        }
    }
}
