import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.report.ReportWriter;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;

/**
 * The report's time on a flood of names that do not exist (a benchmark, not a test). Usage:
 *   java -Xmx512m -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/NameFloodBench.java DIR [CALLS]
 * Stores CALLS (default 250,000) GetSecretValue calls refused with AccessDenied by 5 principals,
 * each on a random name, through the real parser, resolver and store; then, as the baseline in the
 * same run, the same number of refused calls spread over 100 names. Prints load and report seconds,
 * report size and heap after the report for both, and the ratios flood / baseline.
 */
public class NameFloodBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        Files.createDirectories(dir);
        double[] flood = run(dir.resolve("names-flood.duckdb"), calls, 0);
        double[] base = run(dir.resolve("names-base.duckdb"), calls, 100);
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %12s %12s %9s%n", "", "load s", "report s", "report bytes", "heap MB", "secrets");
        row("random names (flood)", flood);
        row("100 names (baseline)", base);
        System.out.printf(Locale.ROOT, "ratio flood / baseline: report time %.2fx, report size %.2fx%n", flood[1] / base[1], flood[2] / base[2]);
    }

    static void row(String label, double[] r) {
        System.out.printf(Locale.ROOT, "%-34s %10.2f %10.2f %,12.0f %12.0f %9.0f%n", label, r[0], r[1], r[2], r[3], r[4]);
    }

    /** @param names 0 for a new random name per call, else that many names in turn */
    static double[] run(Path db, int calls, int names) throws Exception {
        Files.deleteIfExists(db);
        Files.deleteIfExists(Path.of(db + ".wal"));
        Random random = new Random(1);
        long t0 = System.nanoTime();
        try (EventStore store = EventStore.open(db)) {
            SecretResolver resolver = new SecretResolver(new SecretIndex());
            EventParser parser = new EventParser();
            Batch b = new Batch();
            for (int i = 0; i < calls; i++) {
                String name = names == 0 ? "guess/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) : "app/s" + (i % names);
                byte[] raw = record(i, name).getBytes(StandardCharsets.UTF_8);
                CloudTrailEvent e = parser.parse(JSON.readTree(raw), raw);
                b.event(e, resolver.resolve(e), "bench", (long) i);
                if (b.size() == 5_000) {
                    store.write(b);
                    b = new Batch();
                }
            }
            store.write(b);
            double load = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            Report r;
            long bytes;
            try (Connection c = store.reader()) {
                r = new ReportService(c).build(AS_OF, 1, calls, 0);
                var out = new java.io.ByteArrayOutputStream();
                ReportWriter.json(r, out);
                bytes = out.size();
            }
            double report = (System.nanoTime() - t1) / 1e9;
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / 1e6;
            return new double[] {load, report, bytes, heap, r.secrets().size()};
        }
    }

    static String record(int i, String name) {
        int p = i % 5;
        return """
                {"awsRegion":"us-east-1","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::123456789012:assumed-role/prober-%1$d/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: %2$s",\
                "eventCategory":"Management","eventID":"b0b0%3$012d-0000-4000-8000-000000000000","eventName":"GetSecretValue",\
                "eventSource":"secretsmanager.amazonaws.com","eventTime":"%4$s","eventType":"AwsApiCall","eventVersion":"1.09",\
                "managementEvent":true,"readOnly":true,"recipientAccountId":"123456789012","requestID":"r-%3$d",\
                "requestParameters":{"secretId":"%2$s"},"responseElements":null,"sourceIPAddress":"198.51.100.%1$d",\
                "userAgent":"stratus-red-team_probe","userIdentity":{"type":"AssumedRole","accountId":"123456789012",\
                "arn":"arn:aws:sts::123456789012:assumed-role/prober-%1$d/i-0abc","sessionContext":{"sessionIssuer":{"type":"Role",\
                "arn":"arn:aws:iam::123456789012:role/prober-%1$d","accountId":"123456789012","userName":"prober-%1$d"}}}}"""
                .formatted(p, name, i, START.plusMillis(100L * i));
    }
}
