package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.secrettrail.analytics.alerts.Sender;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.TrailIngestor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./secrettrail analytics} with a signed webhook, killed with SIGKILL while a delivery is in
 * flight, then restarted: every alert reaches the receiver accepted exactly once (by id).
 */
class WebhookCrashIT {
    static final String SECRET = "crash-test-signing-secret";

    @TempDir
    static Path dir;
    // a broker of its own: the SIGKILLed consumer stays in its group until its session times out
    @RegisterExtension
    static final TestBroker KAFKA = TestBroker.owned();

    @Test
    void a_kill_mid_delivery_loses_nothing_and_repeats_no_accepted_alert() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(2)
                        .secrets(30)
                        .eventsPerDay(400)
                        .noiseRatio(0.2)
                        .seed(5L)
                        .end(end)
                        .build())
                .generate();
        KafkaSettings kafka = new KafkaSettings(KAFKA.bootstrap(), Map.of(), KafkaSettings.Topics.defaults(), 3);
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            try (Producer<byte[], byte[]> producer = KafkaClients.producer(kafka, "test-ingest")) {
                SecretIndex index = new SecretIndex();
                new TrailIngestor(
                                new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20),
                                new EventPublisher(
                                        producer,
                                        kafka.topics(),
                                        new SecretResolver(index),
                                        java.time.Clock.systemUTC()),
                                index)
                        .run();
            }
        }
        // The receiver accepts (2xx) and counts by id; the 5th request hangs until the test lets go.
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        AtomicBoolean badSignature = new AtomicBoolean();
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = ex.getRequestHeaders().getFirst("X-SecretTrail-Timestamp");
            if (!("sha256=" + Sender.sign(SECRET, ts, body))
                    .equals(ex.getRequestHeaders().getFirst("X-SecretTrail-Signature"))) {
                badSignature.set(true);
            }
            if (requests.incrementAndGet() == 5) {
                hanging.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close(); // never answered: the sender died waiting
                return;
            }
            String id = idOf(body);
            accepted.merge(id, 1, Integer::sum);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        Path config = dir.resolve("hooks.properties");
        Files.writeString(
                config,
                "webhook.soar.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                        + "webhook.soar.format=generic\nwebhook.soar.secret=" + SECRET
                        + "\nwebhook.soar.perMinute=6000\n");
        Path work = dir.resolve("work");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.secrettrail.app.Main",
                "analytics",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                work.toString(),
                "--config",
                config.toString()));
        Process first = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile())
                .start();
        try {
            assertThat(hanging.await(120, TimeUnit.SECONDS))
                    .as("a delivery in flight; see first.log")
                    .isTrue();
            first.destroyForcibly(); // SIGKILL while the 5th delivery waits for its answer
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
        }
        int beforeRestart = accepted.size();
        assertThat(beforeRestart).isEqualTo(4);
        Process second = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("second.log").toFile())
                .start();
        try {
            // every alert of the report goes out; wait until deliveries stop arriving
            AtomicInteger last = new AtomicInteger(-1);
            AtomicLong quietSince = new AtomicLong(System.nanoTime());
            try {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            int now = accepted.size();
                            if (now != last.getAndSet(now)) {
                                quietSince.set(System.nanoTime());
                                return false;
                            }
                            return now > beforeRestart
                                    && System.nanoTime() - quietSince.get() > TimeUnit.SECONDS.toNanos(8);
                        });
            } catch (ConditionTimeoutException e) {
                // the assertions below say what arrived
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            receiver.stop(0);
        }
        assertThat(badSignature).isFalse();
        assertThat(accepted.size()).as("alerts delivered; see second.log").isGreaterThan(5);
        assertThat(accepted).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        String log = Files.readString(dir.resolve("second.log"));
        assertThat(log).contains("webhook soar (generic) -> http://127.0.0.1:").doesNotContain(SECRET);
    }

    private static String idOf(String body) {
        try {
            return ReportAssert.JSON.readTree(body).get("id").asText();
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }
}
