import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.IgnoredCallers;
import io.secrettrail.analytics.rules.IncrementalRunner;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleRunner;
import io.secrettrail.analytics.snapshot.BatchEntryMatcher;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;

/**
 * One evaluation of the detections (snapshot + every detection's hits grouped into incidents) on N stored
 * events, after 10,000 new ones arrive (a benchmark, not a test). Usage:
 *   java -Xmx512m [-Dbatch=25000] -cp 'app/target/secrettrail.jar:app/target/lib/*' \
 *       bench/IncidentsBench.java DIR [EVENTS]
 * Stores EVENTS (default 1,000,000) reads by 50 roles on 500 secrets over 30 days, with a bulk retrieval by
 * one role every 3 days, through the real parser, resolver and store (batches of {@code batch} events, each
 * committed with its offset like the consumer's), into DIR/events-EVENTS.duckdb, printing progress on stderr.
 * That file is kept: a later run with the same EVENTS reuses it, and a load cut short resumes from the offset
 * stored with the last batch. Each run then works on a copy of it (DIR/run-EVENTS.duckdb): one evaluation
 * from scratch that sets the watermarks (IncrementalRunner with none stored), then 10,000 more events (the
 * last hour, one more burst among them), and times one evaluation twice on the same database: from scratch
 * (the baseline, RuleRunner: its time grows with the stored events) and incremental (IncrementalRunner:
 * what arrived since the rule's watermark plus its window), printing both, the snapshot the rules read
 * (built over all events either way), the ratios and the file sizes, then the slowest rules and the
 * snapshot's relations timed one by one. Options: {@code -Dmemory=2GB} raises DuckDB's memory limit for the
 * evaluations (the store's is 512MB: not enough at 10M, see RESULTS.md), {@code -Dscratch=false} skips the
 * from-scratch evaluation after the 10,000 new (the first evaluation stands for it), {@code -Dparts=false}
 * skips timing the relations.
 */
public class IncidentsBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-10-22T00:00:00Z");
    static final Instant AS_OF = Instant.parse("2026-11-21T00:00:00Z");
    static final long SPAN_MS = AS_OF.toEpochMilli() - START.toEpochMilli() - 3_600_000L;
    static final String TOPIC = "bench";
    static final int BATCH = Integer.getInteger("batch", 25_000);
    /** DuckDB's memory limit for the evaluations; unset: the store's own (512MB). */
    static final String MEMORY = System.getProperty("memory");
    /** false: skip the from-scratch evaluation after the 10,000 new (the first one is from scratch too). */
    static final boolean SCRATCH = Boolean.parseBoolean(System.getProperty("scratch", "true"));
    /** false: skip timing the snapshot's relations one by one at the end. */
    static final boolean PARTS = Boolean.parseBoolean(System.getProperty("parts", "true"));

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Files.createDirectories(dir);
        Path base = dir.resolve("events-" + events + ".duckdb");
        double load;
        long stored;
        try (EventStore store = EventStore.open(base)) {
            long from = store.storedOffsets().getOrDefault(TOPIC, Map.of()).getOrDefault(0, 0L);
            if (from > events) {
                throw new IllegalStateException(base + " holds " + from + " events, more than " + events);
            }
            long t0 = System.nanoTime();
            load(store, (int) from, events - (int) from, false, events);
            load = (System.nanoTime() - t0) / 1e9;
            stored = from;
        }
        Path run = dir.resolve("run-" + events + ".duckdb");
        Files.deleteIfExists(Path.of(run + ".wal"));
        Files.copy(base, run, StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(Path.of(base + ".wal"))) {
            Files.copy(Path.of(base + ".wal"), Path.of(run + ".wal"));
        }
        System.err.printf(Locale.ROOT, "%s: %,d MB, copied to %s%n", base, Files.size(base) >> 20, run);
        try (EventStore store = EventStore.open(run)) {
            if (MEMORY != null) {
                try (Connection c = store.reader();
                        Statement st = c.createStatement()) {
                    st.execute("SET memory_limit = '" + MEMORY.replaceAll("[^0-9A-Za-z]", "") + "'");
                }
            }
            // the first incremental evaluation finds no watermark: it evaluates from scratch and sets them
            double[] first = evaluate(store, true, new HashMap<>());
            progress("first evaluation (from scratch, sets the watermarks)", first);
            load(store, events, 10_000, true, 10_000);
            Map<String, Double> scratchRules = new HashMap<>();
            double[] scratch = SCRATCH ? evaluate(store, false, scratchRules) : first;
            progress("from scratch after 10,000 new", scratch);
            if (SCRATCH) {
                System.err.println("  slowest rules:" + slowest(scratchRules));
            }
            Map<String, Double> incrementalRules = new HashMap<>();
            double[] incremental = evaluate(store, true, incrementalRules);
            progress("incremental after 10,000 new", incremental);
            System.err.println("  slowest rules:" + slowest(incrementalRules));
            System.out.printf(Locale.ROOT, "%,d stored events: load %s; first evaluation %.2f s (%d incidents);"
                            + " from scratch after 10,000 new %.2f s (%d incidents), of which snapshot %.2f s;"
                            + " incremental after 10,000 new %.2f s (%d incidents), of which snapshot %.2f s;"
                            + " from scratch / incremental %.2fx, without the snapshot %.2fx; database %,d MB%n",
                    events, loadText(stored, events, load),
                    first[0], (long) first[1], scratch[0], (long) scratch[1], scratch[2],
                    incremental[0], (long) incremental[1], incremental[2], scratch[0] / incremental[0],
                    (scratch[0] - scratch[2]) / (incremental[0] - incremental[2]), Files.size(base) >> 20);
            if (SCRATCH) {
                System.out.println("slowest rules from scratch:" + slowest(scratchRules));
            }
            System.out.println("slowest rules incremental:" + slowest(incrementalRules));
            if (PARTS) {
                StringBuilder parts = new StringBuilder("snapshot relations one by one:");
                snapshotParts(store)
                        .forEach((k, v) -> parts.append(String.format(Locale.ROOT, " %s %.2f s;", k, v)));
                System.out.println(parts);
            }
        }
    }

    static String loadText(long stored, int events, double seconds) {
        if (stored == events) {
            return "reused";
        }
        return String.format(Locale.ROOT, "%.1f s", seconds) + (stored == 0 ? "" : " (resumed at " + stored + ")");
    }

    static void progress(String what, double[] r) {
        System.err.printf(Locale.ROOT, "%s: %.2f s, snapshot %.2f s, %d incidents%n", what, r[0], r[2], (long) r[1]);
    }

    /**
     * Stores events {@code from} to {@code from + n} ({@code total} of the span, so a resumed load puts each
     * event where a whole one would); the batches are made on this thread while the store writes the
     * previous one.
     */
    static void load(EventStore store, int from, int n, boolean lastHour, int total) throws Exception {
        if (n <= 0) {
            return;
        }
        int origin = lastHour ? from : 0;
        BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(1);
        Batch end = new Batch();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                long done = 0;
                for (Batch b = ready.take(); b != end; b = ready.take()) {
                    long t = System.nanoTime();
                    store.write(b);
                    done += b.size();
                    long now = System.nanoTime();
                    if (n > 10_000) {
                        System.err.printf(Locale.ROOT, "loaded %,d of %,d: %,.0f events/s, this batch %,.0f/s%n",
                                from + done, from + n, done / ((now - t0) / 1e9), b.size() / ((now - t) / 1e9));
                    }
                }
            } catch (Exception e) {
                failed.set(e);
            }
        }, "writer");
        writer.start();
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        EventParser parser = new EventParser();
        Batch b = new Batch();
        for (int i = from; i < from + n && failed.get() == null; i++) {
            long at = lastHour
                    ? SPAN_MS + (3_600_000L * (i - origin)) / total
                    : (SPAN_MS * (i - origin)) / total;
            // every 3 days one role reads 25 secrets within a minute: a bulk-retrieval incident each time
            boolean burst = (i % 100_000) < 25 || (lastHour && i - from < 25);
            String role = burst ? "intruder" : "app-" + (i % 50);
            String secret = burst ? "prod/s" + (i % 100_000) : "app/s" + ((i * 7) % 500);
            byte[] raw = record(i, role, secret, START.plusMillis(burst ? at - at % 3_600_000L + i % 25 * 1000L : at))
                    .getBytes(StandardCharsets.UTF_8);
            CloudTrailEvent e = parser.parse(JSON.readTree(raw), raw);
            b.event(e, resolver.resolve(e), TOPIC, (long) i);
            if (b.size() == BATCH || i == from + n - 1) {
                b.offset(TOPIC, 0, i + 1L);
                put(ready, b, writer);
                b = new Batch();
            }
        }
        put(ready, end, writer);
        writer.join();
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    static void put(BlockingQueue<Batch> q, Batch b, Thread writer) throws InterruptedException {
        while (!q.offer(b, 1, TimeUnit.SECONDS)) {
            if (!writer.isAlive()) {
                return;
            }
        }
    }

    /** Seconds for one evaluation of every detection, the incidents found, and seconds of the snapshot. */
    static double[] evaluate(EventStore store, boolean incremental, Map<String, Double> perRule) throws Exception {
        RuleCatalog catalog = RuleCatalog.load();
        Map<String, Object> values = catalog.values(Map.of());
        long t = System.nanoTime();
        long incidents = 0;
        double snapshot;
        try (Connection c = store.reader()) {
            Snapshot s = Snapshot.at(c, AS_OF);
            snapshot = (System.nanoTime() - t) / 1e9;
            RuleRunner runner = new RuleRunner(s);
            IncrementalRunner incr = new IncrementalRunner(s, IgnoredCallers.NONE);
            for (Rule r : catalog.all()) {
                if (r.hits()) {
                    long tr = System.nanoTime();
                    List<Finding> found = incremental ? incr.run(r, values) : runner.run(r, values);
                    incidents += found.size();
                    perRule.put(r.id(), (System.nanoTime() - tr) / 1e9);
                }
            }
        }
        return new double[] {(System.nanoTime() - t) / 1e9, incidents, snapshot};
    }

    /** The slowest rules of one evaluation, slowest first. */
    static String slowest(Map<String, Double> perRule) {
        StringBuilder out = new StringBuilder();
        perRule.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6)
                .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.2f s;", e.getKey(), e.getValue())));
        return out.toString();
    }

    /**
     * Seconds of each relation of the snapshot, built one by one in the order {@code Snapshot.at} builds them
     * (on a connection of its own, after the timed evaluations); the rest (policy statements, caller kinds) is
     * the whole snapshot less these.
     */
    static Map<String, Double> snapshotParts(EventStore store) throws Exception {
        Map<String, Double> parts = new LinkedHashMap<>();
        try (Connection c = store.reader()) {
            Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(AS_OF, ZoneOffset.UTC));
            long match = BatchEntryMatcher.defaults().matchSeconds();
            for (String name : List.of("event-refs", "batch-entries", "read-refs", "secret-facts", "name-refs")) {
                long t = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(Sql.text("snapshot/" + name))) {
                    ps.setTimestamp(1, at);
                    if (name.equals("batch-entries") || name.equals("read-refs")) {
                        ps.setLong(2, match);
                    }
                    ps.execute();
                }
                parts.put(name, (System.nanoTime() - t) / 1e9);
            }
            long t = System.nanoTime();
            Snapshot.at(c, AS_OF);
            parts.put("whole snapshot", (System.nanoTime() - t) / 1e9);
        }
        return parts;
    }

    static String record(int i, String role, String secret, Instant at) {
        return """
                {"awsRegion":"us-east-1","eventCategory":"Management","eventID":"1c1d%1$012d-0000-4000-8000-000000000000",\
                "eventName":"GetSecretValue","eventSource":"secretsmanager.amazonaws.com","eventTime":"%2$s","eventType":"AwsApiCall",\
                "eventVersion":"1.09","managementEvent":true,"readOnly":true,"recipientAccountId":"123456789012","requestID":"r-%1$d",\
                "requestParameters":{"secretId":"%3$s"},"responseElements":null,"sourceIPAddress":"198.51.100.7",\
                "userAgent":"aws-sdk-java/2.25.0","userIdentity":{"type":"AssumedRole","accountId":"123456789012",\
                "arn":"arn:aws:sts::123456789012:assumed-role/%4$s/i-0abc","accessKeyId":"ASIAEXAMPLE%1$d",\
                "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::123456789012:role/%4$s",\
                "accountId":"123456789012","userName":"%4$s"}}}}"""
                .formatted(i, at, secret, role);
    }
}
