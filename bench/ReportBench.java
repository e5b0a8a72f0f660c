import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.analytics.store.EventStore;

/**
 * The report phase alone (a benchmark, not a test). Usage:
 *   java -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/ReportBench.java DB ASOF OUT [fresh|again]
 * DB is the secrettrail.duckdb an analyze left (a copy: this opens it read-write, and no other process may
 * hold it). fresh (the default) first forgets the stored incidents and watermarks, so the build does what
 * analyze's did; again keeps them (what a second report over the same data does). Builds the report as
 * analyze does (the owning, incremental build), writes it as JSON to OUT, and prints the time of the build,
 * of the JSON writing, and of every statement the build ran (prepare to close, rows read included), grouped
 * by the first words of its SQL (a rule's statement by its rule id).
 */
public class ReportBench {
    static final Map<String, long[]> TIMES = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Instant asOf = Instant.parse(args[1]);
        Path out = Path.of(args[2]);
        boolean fresh = args.length < 4 || args[3].equals("fresh");
        try (EventStore store = EventStore.open(db)) {
            try (Connection c = store.reader();
                    Statement s = c.createStatement()) {
                if (fresh) {
                    s.execute("DELETE FROM rule_incidents");
                    s.execute("DELETE FROM rule_watermarks");
                }
            }
            long t0 = System.nanoTime();
            Report report;
            try (Connection reader = store.reader()) {
                String set = System.getenv("DUCKDB_SET"); // e.g. "memory_limit='2GB'", to try a setting
                if (set != null) {
                    try (Statement s = reader.createStatement()) {
                        s.execute("SET " + set);
                    }
                }
                String profile = System.getenv("PROFILE_DIR"); // every statement's DuckDB profile, kept when slow
                if (profile != null) {
                    try (Statement s = reader.createStatement()) {
                        s.execute("PRAGMA enable_profiling='json'");
                        s.execute("PRAGMA profiling_output='" + profile + "/last.txt'");
                    }
                    PROFILE = Path.of(profile);
                }
                Connection timed = timed(reader);
                report = ReportService.owning(timed, ReportSettings.defaults()).build(asOf, 0, 0, 0);
            }
            long t1 = System.nanoTime();
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out))) {
                ReportWriter.json(report, o);
            }
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "build %.2f s, json %.2f s, %d alerts%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, report.alerts().size());
            long sum = 0;
            for (var e : TIMES.entrySet()) {
                sum += e.getValue()[0];
            }
            try (Connection c = store.reader();
                    Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery(
                            "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()"
                                    + " WHERE memory_usage_bytes + temporary_storage_bytes > 10000000")) {
                while (rs.next()) {
                    System.out.printf(Locale.ROOT, "memory %s %d MB, temp %d MB%n",
                            rs.getString(1), rs.getLong(2) >> 20, rs.getLong(3) >> 20);
                }
            }
            System.out.printf(Locale.ROOT, "statements %.2f s in all%n", sum / 1e9);
            TIMES.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .forEach(e -> System.out.printf(Locale.ROOT, "%8.3f s %5d x  %s%n",
                            e.getValue()[0] / 1e9, e.getValue()[1], e.getKey()));
        }
    }

    static Path PROFILE;

    static String file(String key) {
        String s = key.replaceAll("[^A-Za-z0-9-]+", "_");
        return s.substring(0, Math.min(40, s.length())) + ".txt";
    }

    static void add(String key, long nanos) {
        if (PROFILE != null && nanos > 300_000_000L) {
            try {
                Files.copy(PROFILE.resolve("last.txt"),
                        PROFILE.resolve(file(key)),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        long[] t = TIMES.computeIfAbsent(key, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    static String key(String sql) {
        String s = sql.replaceAll("--[^\n]*", " ").replaceAll("\\s+", " ").trim();
        return s.length() > 90 ? s.substring(0, 90) : s;
    }

    static Connection timed(Connection real) {
        InvocationHandler h = (proxy, m, a) -> {
            try {
                if (m.getName().equals("prepareStatement") && a != null && a.length == 1) {
                    long began = System.nanoTime();
                    PreparedStatement ps = (PreparedStatement) m.invoke(real, a);
                    return statement(ps, key((String) a[0]), began);
                }
                return m.invoke(real, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(
                ReportBench.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    static PreparedStatement statement(PreparedStatement real, String sqlKey, long began) {
        String[] key = {sqlKey};
        InvocationHandler h = (proxy, m, a) -> {
            try {
                if (m.getName().equals("setString") && a != null && (Integer) a[0] == 2
                        && sqlKey.startsWith("WITH params AS")) {
                    key[0] = "rule " + a[1] + (sqlKey.contains("SELECT * FROM findings") ? " (columns)" : "");
                }
                Object r = m.invoke(real, a);
                if (m.getName().equals("close")) {
                    add(key[0], System.nanoTime() - began);
                }
                return r;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (PreparedStatement) Proxy.newProxyInstance(
                ReportBench.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
    }
}
