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
 * The report's time and memory on the hostile shapes of the hardening issue (a benchmark, not a test). Usage:
 *   java -Xmx512m -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/HostileShapesBench.java DIR [CALLS] [AGENTS]
 * 1. Name flood: CALLS (default 250,000) GetSecretValue calls refused with AccessDenied by 5 principals, each on
 *    a random name; baseline in the same run: the same number of refused calls spread over 100 names.
 * 2. User-agent flood: AGENTS (default 50,000) successful GetSecretValue calls on ONE secret by one role, each
 *    with its own user agent; baseline: the same calls with 10 user agents.
 * Everything goes through the real parser, resolver and store. Prints load and report seconds, report size,
 * heap after the report and secrets for each, and the ratios flood / baseline.
 */
public class HostileShapesBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "%-40s %10s %10s %12s %12s %9s%n", "", "load s", "report s", "report bytes", "heap MB", "secrets");
        double[] flood = run(dir.resolve("names-flood.duckdb"), calls, i -> denied(i, randomName(i)));
        double[] base = run(dir.resolve("names-base.duckdb"), calls, i -> denied(i, "app/s" + (i % 100)));
        row(String.format(Locale.ROOT, "%,d random names (flood)", calls), flood);
        row("100 names (baseline)", base);
        System.out.printf(Locale.ROOT, "ratio flood / baseline: report time %.2fx, report size %.2fx, heap %.2fx%n",
                flood[1] / base[1], flood[2] / base[2], flood[3] / base[3]);
        double[] uaFlood = run(dir.resolve("agents-flood.duckdb"), agents, i -> read(i, "agent-" + i));
        double[] uaBase = run(dir.resolve("agents-base.duckdb"), agents, i -> read(i, "agent-" + (i % 10)));
        row(String.format(Locale.ROOT, "%,d user agents on one secret (flood)", agents), uaFlood);
        row("10 user agents (baseline)", uaBase);
        System.out.printf(Locale.ROOT, "ratio flood / baseline: report time %.2fx, report size %.2fx, heap %.2fx%n",
                uaFlood[1] / uaBase[1], uaFlood[2] / uaBase[2], uaFlood[3] / uaBase[3]);
    }

    static String randomName(int i) {
        return "guess/" + Long.toString(new Random(i).nextLong() & Long.MAX_VALUE, 36);
    }

    static void row(String label, double[] r) {
        System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %,12.0f %12.0f %9.0f%n", label, r[0], r[1], r[2], r[3], r[4]);
    }

    /** @param record the i-th record's JSON */
    static double[] run(Path db, int calls, java.util.function.IntFunction<String> record) throws Exception {
        Files.deleteIfExists(db);
        Files.deleteIfExists(Path.of(db + ".wal"));
        System.gc();
        long t0 = System.nanoTime();
        try (EventStore store = EventStore.open(db)) {
            SecretResolver resolver = new SecretResolver(new SecretIndex());
            EventParser parser = new EventParser();
            Batch b = new Batch();
            for (int i = 0; i < calls; i++) {
                byte[] raw = record.apply(i).getBytes(StandardCharsets.UTF_8);
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

    /** A GetSecretValue of one secret by one role, with this user agent. */
    static String read(int i, String agent) {
        return """
                {"awsRegion":"us-east-1","eventCategory":"Management","eventID":"a9e0%1$012d-0000-4000-8000-000000000000",\
                "eventName":"GetSecretValue","eventSource":"secretsmanager.amazonaws.com","eventTime":"%2$s","eventType":"AwsApiCall",\
                "eventVersion":"1.09","managementEvent":true,"readOnly":true,"recipientAccountId":"123456789012","requestID":"r-%1$d",\
                "requestParameters":{"secretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"},\
                "responseElements":null,"sourceIPAddress":"198.51.100.9","userAgent":"%3$s",\
                "userIdentity":{"type":"AssumedRole","accountId":"123456789012","arn":"arn:aws:sts::123456789012:assumed-role/app/i-0abc",\
                "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::123456789012:role/app","accountId":"123456789012",\
                "userName":"app"}}}}"""
                .formatted(i, START.plusMillis(100L * i), agent);
    }

    static String denied(int i, String name) {
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
