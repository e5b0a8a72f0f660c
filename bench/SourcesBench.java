import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.TrailIngestor;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.ingest.aws.FakeAws;
import io.secrettrail.ingest.aws.LookupEventsSource;
import io.secrettrail.ingest.aws.S3TrailSource;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;

/**
 * The AWS sources' own cost (a benchmark, not a test), against FakeAws on loopback, in one run:
 *   (a) baseline: the same trail files read from local disk by TrailIngestor (what --watch does);
 *   (b) S3TrailSource: ListObjectsV2 + GetObject of every file through the real SDK, 1 and 4 threads;
 *   (c) LookupEventsSource: EVENTS events through LookupEvents at AWS's 2 requests/s (pages of 50).
 * Kafka is a producer that acknowledges at once and keeps nothing, so only the source side is measured.
 * Usage: java -cp 'app/target/secrettrail.jar:app/target/lib/*:ingest/target/secrettrail-ingest-0.1.0-SNAPSHOT-tests.jar' \
 *          bench/SourcesBench.java DIR [DAYS] [LOOKUP_EVENTS]
 */
public class SourcesBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int lookupEvents = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder().outputDir(dir.resolve("trail")).days(days).secrets(300)
                .eventsPerDay(4000).noiseRatio(0.3).seed(1L).end(end).build()).generate();
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail.trailDir())) {
            files = s.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "trail: %d files, %d records, %.1f MB gzip, %d days%n", files.size(), trail.records(), bytes / 1e6, days);

        // (a) local disk
        double local = time(() -> {
            org.apache.kafka.clients.producer.Producer<byte[], byte[]> p = producer();
            new TrailIngestor(new IngestConfig(files, List.of(), IngestConfig.defaultThreads(), 1 << 20), publisher(p), new SecretIndex()).run();
            return null;
        });
        System.out.printf(Locale.ROOT, "(a) local files, TrailIngestor:        %6.2f s  %8.0f records/s  %6.0f files/s%n", local,
                trail.records() / local, files.size() / local);

        try (FakeAws fake = FakeAws.start()) {
            fake.mapKey("AKIAIOSFODNN7EXAMPLE", "111111111111");
            fake.s3().createBucket("bench-trail");
            for (Path f : files) {
                String rel = trail.trailDir().resolve("AWSLogs").relativize(f).toString().replace('\\', '/');
                String[] p = rel.split("/");
                fake.s3().put("bench-trail", "AWSLogs/111111111111/CloudTrail/us-east-1/" + p[3] + "/" + p[4] + "/" + p[5] + "/" + p[2] + "-" + p[6],
                        Files.readAllBytes(f));
            }
            for (int threads : new int[] {1, 4}) {
                Map<String, String> s = Map.of("aws.endpoint", fake.endpoint().toString(), "aws.s3.bucket", "bench-trail", "aws.s3.region",
                        "us-east-1", "aws.s3.pathStyle", "true", "aws.s3.backfill", (days + 1) + "d", "aws.s3.threads", Integer.toString(threads));
                AwsConfig config = AwsConfig.of(s);
                Path work = Files.createTempDirectory(dir, "s3-");
                double t;
                try (AwsClients clients = clients(config)) {
                    org.apache.kafka.clients.producer.Producer<byte[], byte[]> p = producer();
                    S3TrailSource source = new S3TrailSource(clients.s3(), config.s3(), List.of("111111111111"), List.of("us-east-1"),
                            work.resolve("s3.log"), work.resolve("tmp"), publisher(p), new SecretIndex(), 1 << 20, Clock.systemUTC());
                    t = time(() -> source.poll(() -> false));
                }
                System.out.printf(Locale.ROOT, "(b) S3TrailSource, %d thread%s:           %6.2f s  %8.0f records/s  %6.0f files/s  (%.1fx the local read)%n",
                        threads, threads == 1 ? " " : "s", t, trail.records() / t, files.size() / t, t / local);
            }

            // (c) LookupEvents at 2 requests/s
            ObjectMapper json = new ObjectMapper();
            String template = Files.readAllLines(Path.of("ingest/src/test/resources/aws/stratus/events.ndjson")).get(0);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < lookupEvents; i++) {
                ObjectNode n = (ObjectNode) json.readTree(template);
                n.put("eventID", new UUID(9, i).toString());
                n.put("eventTime", now.minusSeconds(lookupEvents - i).toString());
                fake.cloudTrail("111111111111", "us-east-1").add(json.writeValueAsString(n));
            }
            Map<String, String> s = Map.of("aws.endpoint", fake.endpoint().toString(), "aws.regions", "us-east-1",
                    "aws.lookup.enabled", "true", "aws.lookup.backfill", "1d");
            AwsConfig config = AwsConfig.of(s);
            Path work = Files.createTempDirectory(dir, "lookup-");
            try (AwsClients clients = clients(config)) {
                LookupEventsSource source = new LookupEventsSource(clients.cloudTrail("111111111111", "us-east-1"), "111111111111",
                        "us-east-1", config.lookup(), work.resolve("lookup.log"), publisher(producer()), 1 << 20, Clock.systemUTC());
                double t = time(() -> source.poll(() -> false));
                int requests = fake.requests("LookupEvents").size();
                System.out.printf(Locale.ROOT, "(c) LookupEventsSource, %d events:     %6.2f s  %8.1f events/s  %d requests, %.2f requests/s between the first and last (limit 2)%n",
                        lookupEvents, t, lookupEvents / t, requests, (requests - 1) / t);
                System.out.printf(Locale.ROOT, "    so a 90-day LookupEvents backfill of 1,000,000 events takes about %.1f h; history belongs to the S3 source%n",
                        1_000_000 / (lookupEvents / t) / 3600);
            }
        }
    }

    interface Work {
        Object run() throws Exception;
    }

    static double time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static AwsClients clients(AwsConfig config) {
        return new AwsClients(config, software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "bench-secret-key-not-real")));
    }

    /** A producer that acknowledges at once and keeps nothing, so only the source side is measured. */
    @SuppressWarnings("unchecked")
    static org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer() {
        return (org.apache.kafka.clients.producer.Producer<byte[], byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                SourcesBench.class.getClassLoader(), new Class<?>[] {org.apache.kafka.clients.producer.Producer.class}, (proxy, m, a) -> {
                    if (m.getName().equals("send")) {
                        if (a.length > 1 && a[1] != null) {
                            ((org.apache.kafka.clients.producer.Callback) a[1]).onCompletion(null, null);
                        }
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }
                    return null;
                });
    }

    static EventPublisher publisher(org.apache.kafka.clients.producer.Producer<byte[], byte[]> p) {
        return new EventPublisher(p, KafkaSettings.Topics.defaults(), new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
    }
}
