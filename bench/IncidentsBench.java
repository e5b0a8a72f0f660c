import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.IgnoredCallers;
import io.secrettrail.analytics.rules.IncrementalRunner;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleRunner;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;

/**
 * One evaluation of the detections (snapshot + every detection's hits grouped into incidents) on N stored
 * events, after 10,000 new ones arrive (a benchmark, not a test). Usage:
 *   java -Xmx512m -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/IncidentsBench.java DIR [EVENTS]
 * Stores EVENTS (default 1,000,000) reads by 50 roles on 500 secrets over 30 days, with a bulk retrieval by
 * one role every 3 days, through the real parser, resolver and store; then 10,000 more (the last hour,
 * one more burst among them) and times one evaluation. Each evaluation is timed twice on the same database:
 * from scratch (the baseline, RuleRunner: its time grows with the stored events) and incremental
 * (IncrementalRunner: what arrived since the rule's watermark plus its window), printing both, the snapshot
 * the rules read (built over all events either way) and the ratio.
 */
public class IncidentsBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-10-22T00:00:00Z");
    static final Instant AS_OF = Instant.parse("2026-11-21T00:00:00Z");
    static final long SPAN_MS = AS_OF.toEpochMilli() - START.toEpochMilli() - 3_600_000L;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Files.createDirectories(dir);
        Path db = dir.resolve("incidents.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(Path.of(db + ".wal"));
        try (EventStore store = EventStore.open(db)) {
            long t0 = System.nanoTime();
            load(store, 0, events, false);
            double load = (System.nanoTime() - t0) / 1e9;
            double before = evaluate(store, false)[0];
            evaluate(store, true); // the first incremental evaluation starts from scratch: sets the watermarks
            load(store, events, 10_000, true);
            double[] scratch = evaluate(store, false);
            double[] incremental = evaluate(store, true);
            System.out.printf(Locale.ROOT, "%,d stored events: load %.1f s; evaluation from scratch %.2f s before,"
                            + " %.2f s after 10,000 new (%d incidents); incremental after 10,000 new %.2f s"
                            + " (%d incidents), of which snapshot %.2f s; from scratch / incremental %.2fx,"
                            + " without the snapshot %.2fx%n",
                    events, load, before, scratch[0], (long) scratch[1], incremental[0], (long) incremental[1],
                    incremental[2], scratch[0] / incremental[0],
                    (scratch[0] - scratch[2]) / (incremental[0] - incremental[2]));
        }
    }

    static void load(EventStore store, int from, int n, boolean lastHour) throws Exception {
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        EventParser parser = new EventParser();
        Batch b = new Batch();
        for (int i = from; i < from + n; i++) {
            long at = lastHour
                    ? SPAN_MS + (3_600_000L * (i - from)) / n
                    : (SPAN_MS * (i - from)) / n;
            // every 3 days one role reads 25 secrets within a minute: a bulk-retrieval incident each time
            boolean burst = (i % 100_000) < 25 || (lastHour && i - from < 25);
            String role = burst ? "intruder" : "app-" + (i % 50);
            String secret = burst ? "prod/s" + (i % 100_000) : "app/s" + ((i * 7) % 500);
            byte[] raw = record(i, role, secret, START.plusMillis(burst ? at - at % 3_600_000L + i % 25 * 1000L : at))
                    .getBytes(StandardCharsets.UTF_8);
            CloudTrailEvent e = parser.parse(JSON.readTree(raw), raw);
            b.event(e, resolver.resolve(e), "bench", (long) i);
            if (b.size() == 5_000) {
                store.write(b);
                b = new Batch();
            }
        }
        store.write(b);
    }

    /** Seconds for one evaluation of every detection, the incidents found, and seconds of the snapshot. */
    static double[] evaluate(EventStore store, boolean incremental) throws Exception {
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
                    List<Finding> found = incremental ? incr.run(r, values) : runner.run(r, values);
                    incidents += found.size();
                }
            }
        }
        return new double[] {(System.nanoTime() - t) / 1e9, incidents, snapshot};
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
