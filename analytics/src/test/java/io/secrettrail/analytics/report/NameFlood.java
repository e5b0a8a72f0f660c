package io.secrettrail.analytics.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.Random;

/**
 * A flood of GetSecretValue calls refused with AccessDenied, each on a random name that does not
 * exist, by a few principals: the records are shaped like Stratus Red Team's GetSecretValue
 * calls, with the error fields CloudTrail writes for a refused call.
 *
 * <p>{@link #main} loads a flood into a database file and builds and writes the report, printing
 * its figures: the flood test runs it in a child JVM under the launcher's default heap.
 */
public final class NameFlood {
    static final String ACCOUNT = "123456789012";
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant AS_OF = Instant.parse("2026-11-21T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NameFlood() {}

    /** The role ARN SecretTrail keys prober {@code p} on. */
    static String prober(int p) {
        return "arn:aws:iam::" + ACCOUNT + ":role/prober-" + p;
    }

    /** Record {@code i} of a flood: one call every 100 ms, principals in turn, a random name. */
    static String record(int i, int principals, Random random) {
        int p = i % principals;
        String name = "guess/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        return """
                {"awsRegion":"us-east-1","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::%1$s:assumed-role/prober-%2$d/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: %3$s because no identity-based policy allows the secretsmanager:GetSecretValue action",\
                "eventCategory":"Management","eventID":"f10d%4$012d-0000-4000-8000-000000000000","eventName":"GetSecretValue",\
                "eventSource":"secretsmanager.amazonaws.com","eventTime":"%5$s","eventType":"AwsApiCall","eventVersion":"1.09",\
                "managementEvent":true,"readOnly":true,"recipientAccountId":"%1$s","requestID":"r-%4$d",\
                "requestParameters":{"secretId":"%3$s"},"responseElements":null,"sourceIPAddress":"198.51.100.%2$d",\
                "tlsDetails":{"clientProvidedHostHeader":"secretsmanager.us-east-1.amazonaws.com","cipherSuite":"TLS_AES_128_GCM_SHA256","tlsVersion":"TLSv1.3"},\
                "userAgent":"stratus-red-team_probe","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abc",\
                "accountId":"%1$s","arn":"arn:aws:sts::%1$s:assumed-role/prober-%2$d/i-0abc","accessKeyId":"ASIAEXAMPLE",\
                "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::%1$s:role/prober-%2$d",\
                "accountId":"%1$s","userName":"prober-%2$d"},"attributes":{"creationDate":"2026-11-20T00:00:00Z","mfaAuthenticated":"false"}}}}""".formatted(ACCOUNT, p, name, i, START.plusMillis(100L * i));
    }

    /** Stores {@code n} flood records through the real parser and resolver, in batches as the consumer writes them. */
    static void load(EventStore store, int n, int principals, long seed) throws Exception {
        load(store, 0, n, principals, seed);
    }

    /** Records {@code from} to {@code from + n - 1}. */
    static void load(EventStore store, int from, int n, int principals, long seed) throws Exception {
        Random random = new Random(seed);
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        EventParser parser = new EventParser();
        Batch b = new Batch();
        for (int i = from; i < from + n; i++) {
            byte[] raw = record(i, principals, random).getBytes(StandardCharsets.UTF_8);
            CloudTrailEvent e = parser.parse(JSON.readTree(raw), raw);
            b.event(e, resolver.resolve(e), "flood.json.gz", (long) i + 1);
            if (b.size() == 5_000) {
                store.write(b);
                b = new Batch();
            }
        }
        store.write(b);
    }

    /** Counts bytes, keeps none. */
    static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** Args: database file, records, principals. Prints {@code key=value} lines; exits 1 if the heap runs out. */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int principals = Integer.parseInt(args[2]);
        try (EventStore store = EventStore.open(db)) {
            load(store, n, principals, 12);
            Report r;
            Counting out = new Counting();
            try (Connection c = store.reader()) {
                r = new ReportService(c).build(AS_OF, 1, n, 0);
                ReportWriter.json(r, out);
            }
            long unresolved = r.secrets().stream().filter(s -> !s.resolved()).count();
            long onSecrets = r.alerts().stream()
                    .filter(a -> a.resource().startsWith("arn:aws:secretsmanager:"))
                    .count();
            long probing = r.alerts().stream()
                    .filter(a -> a.rule().equals("name-probing"))
                    .count();
            System.out.println("secrets=" + r.secrets().size());
            System.out.println("unresolved=" + unresolved);
            System.out.println("alerts=" + r.alerts().size());
            System.out.println("alertsOnSecrets=" + onSecrets);
            System.out.println("probingAlerts=" + probing);
            System.out.println("deleteSavings="
                    + r.cost().savings().stream()
                            .filter(s -> s.kind().equals("delete-unused"))
                            .count());
            System.out.println("projectedUsd=" + r.cost().projectedUsd());
            System.out.println("reportBytes=" + out.bytes);
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("heapPeakBytes=" + peak);
            System.out.println("heapMaxBytes=" + Runtime.getRuntime().maxMemory());
        } catch (OutOfMemoryError e) {
            System.out.println("outOfMemory=" + e.getMessage());
            System.exit(1);
        }
    }
}
