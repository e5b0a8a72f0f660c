package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.aws.FakeAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./secrettrail ingest --once}: sources into a real broker and nothing else; a second pass
 * publishes nothing; a source AWS refuses fails the run (exit 1) with the reason on stderr, the
 * others still run; a misconfiguration is a usage error naming the setting.
 */
class IngestCommandIT {
    static final String A = "111111111111";

    @TempDir
    Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    final FakeAws fake = FakeAws.start();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;

    @BeforeEach
    void credentials() {
        // The SDK's default chain reads these system properties first.
        System.setProperty("aws.accessKeyId", AwsSourcesServeIT.KEY);
        System.setProperty("aws.secretAccessKey", AwsSourcesServeIT.SECRET_KEY);
        fake.mapKey(AwsSourcesServeIT.KEY, A);
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        fake.close();
        oldErr.println(err.toString(StandardCharsets.UTF_8));
    }

    int ingest(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                "--once",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--set",
                "aws.endpoint=" + fake.endpoint(),
                "--set",
                "aws.regions=us-east-1",
                "--set",
                "aws.lookup.enabled=true",
                "--set",
                "aws.lookup.backfill=1h",
                "--set",
                "aws.inventory.enabled=true"));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void oncePublishesEverySourceAndASecondPassNothing() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> real = AwsSourcesServeIT.stratus();
        for (int i = 0; i < 12; i++) { // GetSecretValue records: one message each
            fake.cloudTrail(A, "us-east-1")
                    .add(AwsSourcesServeIT.copy(
                            real.get(i), new UUID(7, i).toString(), now.minus(Duration.ofMinutes(30 - i))));
        }
        fake.secrets(A, "us-east-1").put(AwsSourcesServeIT.secret(1).replace("222222222222", A));

        long events0 = end(KafkaSettings.Topics.defaults().events());
        long inventory0 = end(KafkaSettings.Topics.defaults().inventory());
        assertThat(ingest()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        // No aws.accounts: the account comes from sts:GetCallerIdentity on the default credentials.
        assertThat(fake.requests("GetCallerIdentity")).hasSize(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"sources\":2,\"failed\":0,\"messages\":15,\"deadLetters\":0");
        assertThat(end(KafkaSettings.Topics.defaults().events())).isEqualTo(events0 + 12);
        // the secret, (issue 15) once that the inventory covers its account and region, and (issue 17) the
        // secret's current resource policy, read with GetResourcePolicy because the secret is new
        assertThat(end(KafkaSettings.Topics.defaults().inventory())).isEqualTo(inventory0 + 3);
        assertThat(fake.requests("GetResourcePolicy")).hasSize(1);

        out.reset();
        assertThat(ingest()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"messages\":0");
        assertThat(end(KafkaSettings.Topics.defaults().events())).isEqualTo(events0 + 12);
        // the secret did not change: its policy is not read again
        assertThat(fake.requests("GetResourcePolicy")).hasSize(1);
    }

    /** The topic's end offsets summed, 0 before it exists (the tests share one broker). */
    static long end(String topic) {
        try {
            return ServeIT.topicEnd(KAFKA.bootstrap(), topic);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void aRefusedSourceFailsTheRunWithItsReasonAndTheOthersStillRun() throws Exception {
        fake.failAlways("LookupEvents", FakeAws.Fault.accessDenied());
        fake.secrets(A, "us-east-1").put(AwsSourcesServeIT.secret(2).replace("222222222222", A));
        assertThat(ingest("--set", "aws.accounts=" + A)).isEqualTo(Main.FATAL);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cloudtrail-lookup:" + A + "/us-east-1: access denied: ")
                .contains("cloudtrail:LookupEvents");
        // the inventory source ran: its secret, (issue 15) its coverage announcement and (issue 17) its policy
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"sources\":2,\"failed\":1,\"messages\":3");
    }

    @Test
    void runningContinuouslyItServesHealthAndMetricsAndStopsCleanlyOnSigterm() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> real = AwsSourcesServeIT.stratus();
        for (int i = 0; i < 5; i++) {
            fake.cloudTrail(A, "us-east-1")
                    .add(AwsSourcesServeIT.copy(
                            real.get(i), new UUID(8, i).toString(), now.minus(Duration.ofMinutes(9 - i))));
        }
        Path log = dir.resolve("ingest.log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.secrettrail.app.Main",
                        "ingest",
                        "--port",
                        "0",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        dir.resolve("work2").toString(),
                        "--set",
                        "aws.endpoint=" + fake.endpoint(),
                        "--set",
                        "aws.regions=us-east-1",
                        "--set",
                        "aws.accounts=" + A,
                        "--set",
                        "aws.lookup.enabled=true",
                        "--set",
                        "aws.lookup.backfill=1h",
                        "--set",
                        "aws.lookup.interval=1s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", AwsSourcesServeIT.KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", AwsSourcesServeIT.SECRET_KEY);
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = pb.start();
        try {
            java.util.regex.Pattern serving =
                    java.util.regex.Pattern.compile("health and metrics on http://127\\.0\\.0\\.1:(\\d+)");
            int port = -1;
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> !p.isAlive()
                                || serving.matcher(java.nio.file.Files.readString(log))
                                        .find());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertion below shows the log
            }
            java.util.regex.Matcher started = serving.matcher(java.nio.file.Files.readString(log));
            if (started.find()) {
                port = Integer.parseInt(started.group(1));
            }
            assertThat(port).as(java.nio.file.Files.readString(log)).isPositive();
            var ready = ServeIT.HTTP.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"broker\":true");
            String sample = "secrettrail_source_records_total{kind=\"lookup\",source=\"cloudtrail-lookup:" + A
                    + "/us-east-1\"} 5";
            java.net.http.HttpRequest scrape = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build();
            String metrics;
            try {
                metrics = await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> ServeIT.HTTP
                                        .send(scrape, java.net.http.HttpResponse.BodyHandlers.ofString())
                                        .body(),
                                m -> m.contains(sample));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                metrics = ServeIT.HTTP
                        .send(scrape, java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
            }
            assertThat(metrics)
                    .contains(sample)
                    .contains("# TYPE secrettrail_source_records_total counter")
                    .contains("secrettrail_messages_published_total 5");
        } finally {
            p.destroy(); // SIGTERM
        }
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isIn(0, 143);
        assertThat(java.nio.file.Files.readString(log))
                .contains("stopped cleanly")
                .contains("cloudtrail-lookup:" + A + "/us-east-1: 5 records in");
    }

    @Test
    void aMisconfigurationIsAUsageErrorNamingTheSetting() {
        assertThat(Main.run(
                        "ingest",
                        "--once",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        dir.resolve("work").toString(),
                        "--set",
                        "aws.s3.bucket=trail-bucket"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("aws.s3.region: the bucket's region is needed");
        assertThat(Main.run(
                        "ingest",
                        "--once",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        dir.resolve("work").toString()))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing to read");
    }
}
