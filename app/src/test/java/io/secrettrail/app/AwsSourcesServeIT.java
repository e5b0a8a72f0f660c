package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.aws.FakeAws;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with every AWS source at once — an organisation trail in S3, LookupEvents in two
 * accounts through assumed roles, the ListSecrets inventory — against a local endpoint speaking
 * the AWS protocols, on a real broker: the API counts every event exactly once (events delivered by
 * both S3 and LookupEvents included), a secret gone from ListSecrets is deleted from the inventory,
 * and after SIGTERM and a restart nothing is published again.
 */
class AwsSourcesServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String BUCKET = "org-trail-logs";
    static final String ROOT = "trails/AWSLogs/o-exampleorgid/";
    static final String A = "111111111111";
    static final String B = "222222222222";
    static final Pattern PUBLISHED = Pattern.compile("secrettrail_messages_published_total (\\d+)");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    Process start(FakeAws fake, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.secrettrail.app.Main",
                "serve",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--port",
                "0"));
        for (String s : List.of(
                "aws.endpoint=" + fake.endpoint(),
                "aws.accounts=" + A + "," + B,
                "aws.regions=us-east-1",
                "aws.roleName=SecretTrailAudit",
                "aws.externalId=st-external-1",
                "aws.s3.bucket=" + BUCKET,
                "aws.s3.prefix=trails",
                "aws.s3.organizationId=o-exampleorgid",
                "aws.s3.pathStyle=true",
                "aws.s3.backfill=4d",
                "aws.s3.interval=1s",
                "aws.lookup.enabled=true",
                "aws.lookup.backfill=1d",
                "aws.lookup.interval=1s",
                "aws.inventory.enabled=true",
                "aws.inventory.interval=1s")) {
            cmd.add("--set");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The SDK's default chain, as in production: here it finds the environment's keys first.
        pb.environment().put("AWS_ACCESS_KEY_ID", KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        pb.environment()
                .put(
                        "AWS_SHARED_CREDENTIALS_FILE",
                        dir.resolve("no-aws-credentials").toString());
        return pb.start();
    }

    static List<String> stratus() throws Exception {
        try (InputStream in = AwsSourcesServeIT.class.getResourceAsStream("/aws/stratus/events.ndjson")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    static String copy(String record, String id, Instant at) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(record);
        n.put("eventID", id);
        n.put("eventTime", at.toString());
        return JSON.writeValueAsString(n);
    }

    static byte[] gzipRecords(List<String> records) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String secret(int i) {
        return "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:" + B + ":secret:prod/svc-" + i + "-AbCdE" + i
                + "\",\"Name\":\"prod/svc-" + i
                + "\",\"Description\":\"My test database secret\",\"LastChangedDate\":1523477145.729,\"CreatedDate\":1523477145.713,"
                + "\"RotationEnabled\":false,\"SecretVersionsToStages\":{\"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\":[\"AWSCURRENT\"]}}";
    }

    /** The inventory rows where {@code where} holds (a fixed condition of the test, never input). */
    static long inventoryRows(Path db, String where) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM inventory WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String get(int port, String path) throws Exception {
        return ServeIT.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static String metrics(int port) throws Exception {
        return ServeIT.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static void awaitMetric(int port, String sample, Duration limit) throws Exception {
        try {
            await().atMost(limit).until(() -> metrics(port).contains(sample));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + sample + " in /metrics within " + limit + ":\n" + metrics(port), e);
        }
    }

    static long passes(int port, String kind, String source) throws Exception {
        Matcher m = Pattern.compile("secrettrail_source_passes_total\\{kind=\"" + kind + "\",source=\""
                        + Pattern.quote(source) + "\"} (\\d+)")
                .matcher(metrics(port));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void every_aws_source_feeds_the_api_once_and_a_restart_publishes_nothing_again() throws Exception {
        try (FakeAws fake = FakeAws.start()) {
            fake.mapKey(KEY, A);
            fake.requireExternalId("arn:aws:iam::" + B + ":role/SecretTrailAudit", "st-external-1");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            // S3: a generated trail of two days, filed under account A of the organisation trail.
            GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                            .outputDir(dir.resolve("gen"))
                            .days(2)
                            .secrets(15)
                            .eventsPerDay(150)
                            .noiseRatio(0.3)
                            .seed(11L)
                            .end(now.truncatedTo(ChronoUnit.HOURS))
                            .build())
                    .generate();
            Set<String> expected = new HashSet<>(ServeIT.uniqueEventIds(files(trail.trailDir())));
            fake.s3().createBucket(BUCKET);
            for (Path f : files(trail.trailDir())) {
                String rel = trail.trailDir()
                        .resolve("AWSLogs")
                        .relativize(f)
                        .toString()
                        .replace('\\', '/');
                String[] p = rel.split("/"); // account/CloudTrail/region/yyyy/mm/dd/name
                fake.s3()
                        .put(
                                BUCKET,
                                ROOT + A + "/CloudTrail/us-east-1/" + p[3] + "/" + p[4] + "/" + p[5] + "/" + p[2] + "-"
                                        + p[6],
                                Files.readAllBytes(f));
            }
            // LookupEvents in account B: 40 real records; 5 of them CloudTrail also delivered to S3 (to be counted
            // once).
            List<String> real = stratus();
            List<String> lookup = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                lookup.add(copy(
                        real.get(i % real.size()), new UUID(42, i).toString(), now.minus(Duration.ofMinutes(40 - i))));
            }
            fake.cloudTrail(B, "us-east-1").addAll(lookup);
            fake.s3()
                    .put(
                            BUCKET,
                            ROOT + B + "/CloudTrail/us-east-1/"
                                    + java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC)
                                            .toString()
                                            .replace('-', '/')
                                    + "/" + B + "_CloudTrail_us-east-1_x.json.gz",
                            gzipRecords(lookup.subList(0, 5)));
            lookup.forEach(r -> expected.add(eventId(r)));
            // Inventory in account B.
            for (int i = 0; i < 6; i++) {
                fake.secrets(B, "us-east-1").put(secret(i));
            }

            Process first = start(fake, dir.resolve("first.log"));
            int port;
            try {
                port = ServeIT.port(dir.resolve("first.log"), first);
                ServeIT.awaitEvents(port, expected.size(), Duration.ofSeconds(60));
                awaitMetric(
                        port,
                        "secrettrail_source_records_total{kind=\"lookup\",source=\"cloudtrail-lookup:" + B
                                + "/us-east-1\"} 40",
                        Duration.ofSeconds(10));
                String m = metrics(port);
                for (String source : List.of(
                        "kind=\"s3\",source=\"s3://" + BUCKET + "/" + ROOT + "\"",
                        "kind=\"lookup\",source=\"cloudtrail-lookup:" + A + "/us-east-1\"",
                        "kind=\"lookup\",source=\"cloudtrail-lookup:" + B + "/us-east-1\"",
                        "kind=\"inventory\",source=\"secretsmanager-inventory:" + B + "/us-east-1\"")) {
                    assertThat(m).contains("secrettrail_source_up{" + source + "} 1");
                }
                // Both accounts were read through the role assumed there, with the external id.
                assertThat(fake.requests("AssumeRole"))
                        .extracting(r -> r.params().get("RoleArn"))
                        .contains(
                                "arn:aws:iam::" + A + ":role/SecretTrailAudit",
                                "arn:aws:iam::" + B + ":role/SecretTrailAudit");
                assertThat(fake.requests("LookupEvents"))
                        .extracting(FakeAws.Request::account)
                        .contains(A, B);
                assertThat(fake.requests("LookupEvents"))
                        .allSatisfy(r -> assertThat(r.accessKeyId()).startsWith("ASIA"));

                // Every source's state is in the API; a failing one is named, with AWS's reason, in the API and on
                // every page (escaped).
                com.fasterxml.jackson.databind.JsonNode status = JSON.readTree(get(port, "/api/v1/status"));
                assertThat(status.get("sources"))
                        .hasSize(5)
                        .allSatisfy(x -> assertThat(x.get("up").asBoolean()).isTrue());
                fake.failAlways(
                        "LookupEvents",
                        FakeAws.Fault.of(400, "AccessDeniedException", "<img src=x onerror=alert(1)> not authorized"));
                List<String> failing = new ArrayList<>();
                try {
                    await().atMost(Duration.ofSeconds(20))
                            .until(
                                    () -> { // both accounts' LookupEvents
                                        failing.clear();
                                        for (var x : JSON.readTree(get(port, "/api/v1/status"))
                                                .get("sources")) {
                                            if (!x.get("up").asBoolean()) {
                                                failing.add(x.get("name").asText() + " "
                                                        + x.get("lastError").asText());
                                            }
                                        }
                                        return failing.size() >= 2;
                                    });
                } catch (ConditionTimeoutException e) {
                    // the assertion below says what failed
                }
                assertThat(failing)
                        .hasSize(2)
                        .allSatisfy(f -> assertThat(f)
                                .contains("cloudtrail-lookup:")
                                .contains("access denied: ")
                                .contains("AccessDeniedException"));
                String page = get(port, "/");
                assertThat(page)
                        .contains("Sources: 3 of 5 working.")
                        .contains("<span class=\"source-down\">cloudtrail-lookup:")
                        .contains("&lt;img src=x onerror=alert(1)&gt;")
                        .doesNotContain("<img src=x");
                fake.clearFaults();

                // A secret deleted for good: absent from two complete listings in a row, it is gone from the
                // listing; DuckDB keeps its row, marked gone (issue 15: a closed month still bills it).
                fake.secrets(B, "us-east-1")
                        .remove("arn:aws:secretsmanager:us-east-1:" + B + ":secret:prod/svc-2-AbCdE2");
                long before = passes(port, "inventory", "secretsmanager-inventory:" + B + "/us-east-1");
                try {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> passes(port, "inventory", "secretsmanager-inventory:" + B + "/us-east-1")
                                    >= before + 3);
                } catch (ConditionTimeoutException e) {
                    // the database's inventory, checked below, says what is missing
                }
                // the tombstone's consumer batch: DuckDB holds everything the topics hold
                awaitMetric(port, "secrettrail_consumer_lag_messages 0\n", Duration.ofSeconds(20));
            } finally {
                first.destroy(); // SIGTERM
            }
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log1 = Files.readString(dir.resolve("first.log"));
            System.out.println("serve with AWS sources, first run:\n" + log1);
            assertThat(log1).contains("stopped cleanly").doesNotContain(SECRET_KEY);
            assertThat(inventoryRows(dir.resolve("work/secrettrail.duckdb"), "gone_at IS NULL"))
                    .isEqualTo(5);
            assertThat(inventoryRows(
                            dir.resolve("work/secrettrail.duckdb"),
                            "gone_at IS NOT NULL AND arn = 'arn:aws:secretsmanager:us-east-1:" + B
                                    + ":secret:prod/svc-2-AbCdE2'"))
                    .as("the tombstone kept the row")
                    .isEqualTo(1);
            long events = ServeIT.topicEnd(
                    KAFKA.bootstrap(), KafkaSettings.Topics.defaults().events());
            long inventory = ServeIT.topicEnd(
                    KAFKA.bootstrap(), KafkaSettings.Topics.defaults().inventory());

            Process second = start(fake, dir.resolve("second.log"));
            try {
                int port2 = ServeIT.port(dir.resolve("second.log"), second);
                assertThat(ServeIT.events(port2)).isEqualTo(expected.size());
                long lookups = fake.requests("LookupEvents").size();
                try {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> fake.requests("LookupEvents").size() >= lookups + 4);
                } catch (ConditionTimeoutException e) {
                    // asserted below
                }
                assertThat(fake.requests("LookupEvents").size()).isGreaterThanOrEqualTo((int) lookups + 4);
                ServeIT.awaitEverySourcePassed(
                        port2, Duration.ofSeconds(30)); // what those passes published is in Kafka
                assertThat(ServeIT.topicEnd(
                                KAFKA.bootstrap(),
                                KafkaSettings.Topics.defaults().events()))
                        .as("no event published twice")
                        .isEqualTo(events);
                assertThat(ServeIT.topicEnd(
                                KAFKA.bootstrap(),
                                KafkaSettings.Topics.defaults().inventory()))
                        .as("unchanged secrets not re-sent")
                        .isEqualTo(inventory);
                assertThat(ServeIT.events(port2)).isEqualTo(expected.size());
                Matcher published = PUBLISHED.matcher(metrics(port2));
                assertThat(published.find()).isTrue();
                assertThat(published.group(1)).isEqualTo("0");
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    static String eventId(String record) {
        try {
            return JSON.readTree(record).get("eventID").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
        }
    }
}
