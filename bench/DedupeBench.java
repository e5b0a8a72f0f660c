import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import io.secrettrail.core.secret.SecretRef;

/**
 * The store's per-batch cost as the history grows (a benchmark, not a test): what deduping by
 * eventID costs per batch at 1, 2, 3... million stored events. Usage:
 *   java -cp 'analytics/target/classes:core/target/classes:<dependencies>' bench/DedupeBench.java DIR [EVENTS] [BATCH]
 * Writes EVENTS (default 3,000,000) synthetic Secrets Manager events into DIR/dedupe-bench.duckdb
 * through EventStore.write in batches of BATCH (default 10,000, the consumer's default), in time
 * order over 60 days (as trails arrive), each batch with 1% exact redeliveries of earlier events and
 * 0.1% copies of old events with another time (the conflicting copies the all-time dedupe exists
 * for), and prints p50/p95/max of the batch write time per million stored. Run it on two builds
 * (before and after a change) to compare.
 */
public class DedupeBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 3_000_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Files.createDirectories(dir);
        Path db = dir.resolve("dedupe-bench.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(Path.of(db + ".wal"));
        Instant start = Instant.parse("2026-09-01T00:00:00Z");
        long spanMillis = Duration.ofDays(60).toMillis();
        Random rnd = new Random(42);
        String pad = "x".repeat(600);
        List<SecretRef> refs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/s" + i + "-Ab12Cd";
            refs.add(new SecretRef(arn, true, "111111111111", "us-east-1", "app/s" + i));
        }
        List<Double> block = new ArrayList<>();
        System.out.printf(Locale.ROOT, "DedupeBench: %d events, batches of %d, %d cores%n", total, batchSize, Runtime.getRuntime().availableProcessors());
        try (EventStore store = EventStore.open(db)) {
            for (int written = 0; written < total; written += batchSize) {
                Batch b = new Batch();
                for (int j = 0; j < batchSize; j++) {
                    int n = written + j;
                    Instant t = start.plusMillis(spanMillis * n / total);
                    b.event(new Batch.EventRow(event("ev-" + n, t, "role/app" + (n % 80), pad), refs.get(n % refs.size()), true,
                            "trail/f" + (n / 100) + ".json.gz", (long) (n % 100) + 1));
                }
                if (written > 0) {
                    for (int j = 0; j < batchSize / 100; j++) { // exact redeliveries of recent events
                        int n = written - 1 - rnd.nextInt(Math.min(written, 50_000));
                        Instant t = start.plusMillis(spanMillis * n / total);
                        b.event(new Batch.EventRow(event("ev-" + n, t, "role/app" + (n % 80), pad), refs.get(n % refs.size()), true,
                                "trail/again.json.gz", (long) j + 1));
                    }
                    for (int j = 0; j < batchSize / 1000; j++) { // copies of any old event, with another time
                        int n = rnd.nextInt(written);
                        b.event(new Batch.EventRow(event("ev-" + n, start.plusMillis(spanMillis * written / total), "role/other", pad),
                                refs.get(n % refs.size()), true, "trail/forged.json.gz", (long) j + 1));
                    }
                }
                long began = System.nanoTime();
                store.write(b);
                block.add((System.nanoTime() - began) / 1e6);
                int after = written + batchSize;
                if (after % 1_000_000 == 0 || after >= total) {
                    double[] ms = block.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    System.out.printf(Locale.ROOT, "stored %,d: batch write p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d batches); duplicates %d, conflicts %d%n",
                            after, ms[ms.length / 2], ms[(int) (ms.length * 0.95)], ms[ms.length - 1], ms.length,
                            store.counter("duplicates"), store.counter("conflicts"));
                    block.clear();
                }
            }
        }
        System.out.printf(Locale.ROOT, "database: %.0f MB%n", Files.size(db) / 1e6);
    }

    static CloudTrailEvent event(String id, Instant t, String role, String pad) {
        String raw = "{\"eventID\":\"" + id + "\",\"eventTime\":\"" + t + "\",\"pad\":\"" + pad + "\"}";
        return new CloudTrailEvent(id, t, CloudTrailEvent.SECRETS_MANAGER, "GetSecretValue", "AwsApiCall", "us-east-1", "111111111111",
                null, null, new Principal("arn:aws:iam::111111111111:" + role, "AssumedRole", null), "10.0.0.1", "aws-sdk-java",
                List.of(), false, raw.getBytes(StandardCharsets.UTF_8));
    }
}
