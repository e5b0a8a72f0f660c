import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.secrettrail.analytics.store.EventStore;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The floor of the single DuckDB writer (a benchmark, not a test): how long DuckDB's Appender alone takes, on one
 * thread, to store the rows an analyze stored, with nothing else of SecretTrail's writer (no dedupe, no rollups, no
 * decoding). Usage:
 *   java -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/AppendFloor.java DB OUTDIR [BATCH]
 * DB is a secrettrail.duckdb an analyze left (read only); its events and event_secrets rows are read into memory, then
 * appended into a new store in OUTDIR (the same schema, made by EventStore.open; the store's checkpoint threshold and
 * memory limit) in transactions of BATCH rows
 * (default 5,000, the consumer's), committed one by one as the writer does. Prints the rows, the wall and the thread's
 * CPU seconds, and the microseconds per event, for the events table alone and for both tables.
 */
public class AppendFloor {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        List<Object[]> events = rows(source, "SELECT * FROM events ORDER BY arrival");
        List<Object[]> pairs = rows(source, "SELECT * FROM event_secrets");
        System.out.printf(Locale.ROOT, "AppendFloor: %,d events and %,d (event, secret) pairs from %s, transactions of %,d%n",
                events.size(), pairs.size(), source.getFileName(), batch);
        for (boolean withPairs : new boolean[] {false, true}) {
            Files.createDirectories(dir);
            Path db = dir.resolve("append-floor.duckdb");
            Files.deleteIfExists(db);
            Files.deleteIfExists(Path.of(db + ".wal"));
            EventStore.open(db).close(); // the store's schema, every migration
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            java.util.Properties settings = new java.util.Properties(); // the store's (analytics' Database.open)
            settings.setProperty("checkpoint_threshold", "256MB");
            settings.setProperty("memory_limit", "256MiB");
            try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + db, settings)) {
                c.setAutoCommit(false);
                long wall = System.nanoTime();
                long cpu = mx.getCurrentThreadCpuTime();
                int p = 0;
                for (int from = 0; from < events.size(); from += batch) {
                    int to = Math.min(events.size(), from + batch);
                    append(c, "events", events.subList(from, to));
                    if (withPairs) {
                        int pairsTo = (int) ((long) pairs.size() * to / events.size());
                        append(c, "event_secrets", pairs.subList(p, pairsTo));
                        p = pairsTo;
                    }
                    c.commit();
                }
                double w = (System.nanoTime() - wall) / 1e9;
                double u = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
                System.out.printf(Locale.ROOT, "%-28s %8.2f s wall %8.2f s CPU (this thread) %6.1f µs per event%n",
                        withPairs ? "events + event_secrets" : "events alone", w, u, u * 1e6 / events.size());
            }
        }
    }

    private static List<Object[]> rows(Path db, String sql) throws Exception {
        List<Object[]> out = new ArrayList<>();
        java.util.Properties ro = new java.util.Properties();
        ro.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db, ro);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    String type = rs.getMetaData().getColumnTypeName(i + 1);
                    row[i] = switch (type) {
                        case "UUID" -> rs.getObject(i + 1, UUID.class);
                        case "TIMESTAMP" -> rs.getObject(i + 1, LocalDateTime.class);
                        default -> rs.getObject(i + 1);
                    };
                }
                out.add(row);
            }
        }
        return out;
    }

    private static void append(DuckDBConnection c, String table, List<Object[]> rows) throws Exception {
        try (DuckDBAppender a = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (Object[] row : rows) {
                a.beginRow();
                for (Object v : row) {
                    if (v == null) {
                        a.appendNull();
                    } else if (v instanceof String s) {
                        a.append(s);
                    } else if (v instanceof Long l) {
                        a.append(l.longValue());
                    } else if (v instanceof Integer i) {
                        a.append(i.intValue());
                    } else if (v instanceof Boolean b) {
                        a.append(b.booleanValue());
                    } else if (v instanceof UUID u) {
                        a.append(u);
                    } else if (v instanceof LocalDateTime t) {
                        a.append(t);
                    } else {
                        throw new IllegalStateException("no append for " + v.getClass() + " in " + table);
                    }
                }
                a.endRow();
            }
        }
    }
}
