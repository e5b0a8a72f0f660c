package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.secrettrail.app.SecretTrailRuntime.Role;
import io.secrettrail.core.Json;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.TrailIngestor;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "webhooks receive exactly one notification per incident across a restart (real broker,
 * real receiver)" and "a late file neither loses a hit nor reopens a notified incident": the
 * analytics process (with its dashboard, to see what it has built) consumes trail files from a real
 * broker into a DuckDB file, on a clock the test moves, and notifies a real HTTP receiver. Two
 * bulk-retrieval bursts by one role three weeks apart are two alarms; a stop and a start on the same
 * work directory send nothing; a file delivered late with a burst ten hours after the first (closed,
 * notified) incident is one new alarm of its own, and the first incident stays as it was.
 *
 * <p>The records are shaped like the golden trail's {@code GetSecretValue} by an assumed role (see
 * golden/SOURCE.md), with the role, secret, time and ids of each burst.
 */
class IncidentRestartIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant FIRST = Instant.parse("2026-10-01T09:00:00Z");
    static final Instant SECOND = FIRST.plus(Duration.ofDays(21));
    static final Instant LATE = FIRST.plus(Duration.ofHours(10));
    static final String ROLE = "arn:aws:iam::111111111111:role/intruder";

    @TempDir
    Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    final MovingClock clock = new MovingClock(FIRST.plus(Duration.ofHours(1)));
    HttpServer receiver;
    KafkaSettings kafka;

    @BeforeEach
    void receiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            received.add(Json.mapper().readTree(ex.getRequestBody().readAllBytes()));
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        receiver.start();
        kafka = new KafkaSettings(KAFKA.bootstrap(), Map.of(), KafkaSettings.Topics.defaults(), 3);
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
        }
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void each_incident_is_notified_once_across_a_restart_and_a_late_file_is_an_incident_of_its_own() throws Exception {
        AppConfig config = config();
        publish("first", FIRST);
        try (SecretTrailRuntime serve = SecretTrailRuntime.start(config, EnumSet.of(Role.ANALYTICS, Role.WEB))) {
            awaitMessages(serve, 1);
            clock.set(SECOND.plus(Duration.ofHours(1)));
            publish("second", SECOND);
            awaitMessages(serve, 2);
            awaitSettled(serve);
        }
        assertThat(transitions()).containsExactly("alarm", "alarm");
        String first = received.get(0).path("incident").asText();
        String second = received.get(1).path("incident").asText();
        assertThat(first).isNotBlank().isNotEqualTo(second);
        assertThat(received)
                .allSatisfy(m -> assertThat(m.path("resource").asText()).isEqualTo(ROLE));
        assertThat(received.get(0).path("firstHit").asText())
                .isEqualTo(FIRST.plusSeconds(19).toString());
        assertThat(received.get(1).path("firstHit").asText())
                .isEqualTo(SECOND.plusSeconds(19).toString());

        // the same work directory, a process of its own, a report built on the clock: nothing is sent
        try (SecretTrailRuntime serve = SecretTrailRuntime.start(config, EnumSet.of(Role.ANALYTICS, Role.WEB))) {
            awaitSettled(serve);
            assertThat(received).hasSize(2);
            JsonNode before = incident(serve, first);
            assertThat(before.path("state").asText()).isEqualTo("closed");

            // a file delivered late: a burst 10 hours after the first incident's last hit
            publish("late", LATE);
            awaitMessages(serve, 3);
            awaitSettled(serve);
            assertThat(received).hasSize(3);
            JsonNode late = received.get(2);
            assertThat(late.path("transition").asText()).isEqualTo("alarm");
            assertThat(late.path("incident").asText()).isNotIn(first, second);
            assertThat(late.path("firstHit").asText())
                    .isEqualTo(LATE.plusSeconds(19).toString());
            assertThat(late.path("resource").asText()).isEqualTo(ROLE);
            // the first incident as it was notified: not reopened, not grown by the late hits
            assertThat(incident(serve, first)).isEqualTo(before);
            assertThat(bulkIncidents(serve)).hasSize(3);
        }
        assertThat(transitions()).containsExactly("alarm", "alarm", "alarm");
    }

    private List<String> transitions() {
        synchronized (received) {
            return received.stream().map(m -> m.path("transition").asText()).toList();
        }
    }

    private AppConfig config() throws Exception {
        Path hooks = dir.resolve("hooks.properties");
        Files.writeString(
                hooks,
                "webhook.soc.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                        + "webhook.soc.format=generic\n"
                        + "webhook.soc.rules=bulk-retrieval\n"
                        + "webhook.soc.notifyClear=false\n"
                        + "webhook.soc.secret=restart-test-signing-secret\n");
        KafkaOptions k = new KafkaOptions();
        k.kafka = KAFKA.bootstrap();
        k.workDir = dir.resolve("work");
        k.partitions = 3;
        SettingsOptions s = new SettingsOptions();
        s.config = hooks;
        WebOptions w = new WebOptions();
        w.host = "127.0.0.1";
        return new ConfigLoader(Map.of(), clock).kafka(k).settings(s).web(w, 0).load();
    }

    /** One trail file, in a directory of its own, published to the broker as ingest would. */
    private void publish(String name, Instant burst) throws Exception {
        Path trail = dir.resolve("trail-" + name);
        Files.createDirectories(trail);
        ObjectNode file = Json.mapper().createObjectNode();
        ArrayNode records = file.putArray("Records");
        for (int i = 0; i < 20; i++) {
            records.add(read(burst.plusSeconds(i), "prod/s" + i + "-" + name));
        }
        String day = burst.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        Path gz = trail.resolve("111111111111_CloudTrail_us-east-1_" + day + "T0905Z_" + name + ".json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Json.mapper().writeValueAsBytes(file));
        }
        try (Producer<byte[], byte[]> producer = KafkaClients.producer(kafka, "test-ingest")) {
            SecretIndex index = new SecretIndex();
            new TrailIngestor(
                            new IngestConfig(List.of(trail), List.of(), 1, 1 << 20),
                            new EventPublisher(producer, kafka.topics(), new SecretResolver(index), clock),
                            index)
                    .run();
        }
    }

    /** A successful GetSecretValue by the intruder role, shaped as the golden trail's. */
    private static ObjectNode read(Instant at, String secret) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("eventVersion", "1.09");
        ObjectNode who = r.putObject("userIdentity");
        who.put("type", "AssumedRole");
        who.put("principalId", "AROA41H2KPRBT9FBC1XZZ:sess");
        who.put("arn", "arn:aws:sts::111111111111:assumed-role/intruder/sess");
        who.put("accountId", "111111111111");
        who.put("accessKeyId", "ASIAO3IIYJIJWXSKPZZZ");
        ObjectNode ctx = who.putObject("sessionContext");
        ObjectNode issuer = ctx.putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("principalId", "AROA41H2KPRBT9FBC1XZZ");
        issuer.put("arn", ROLE);
        issuer.put("accountId", "111111111111");
        issuer.put("userName", "intruder");
        ObjectNode attrs = ctx.putObject("attributes");
        attrs.put("creationDate", at.minusSeconds(60).toString());
        attrs.put("mfaAuthenticated", "false");
        r.put("eventTime", at.toString());
        r.put("eventSource", "secretsmanager.amazonaws.com");
        r.put("eventName", "GetSecretValue");
        r.put("awsRegion", "us-east-1");
        r.put("sourceIPAddress", "203.0.113.7");
        r.put(
                "userAgent",
                "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64"
                        + " lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69");
        r.putObject("requestParameters")
                .put("secretId", "arn:aws:secretsmanager:us-east-1:111111111111:secret:" + secret + "-eZP5K9");
        r.putNull("responseElements");
        r.put(
                "requestID",
                UUID.nameUUIDFromBytes(("req" + at + secret).getBytes(StandardCharsets.UTF_8))
                        .toString());
        r.put(
                "eventID",
                UUID.nameUUIDFromBytes(("evt" + at + secret).getBytes(StandardCharsets.UTF_8))
                        .toString());
        r.put("readOnly", true);
        r.put("eventType", "AwsApiCall");
        r.put("managementEvent", true);
        r.put("recipientAccountId", "111111111111");
        r.put("eventCategory", "Management");
        return r;
    }

    private void awaitMessages(SecretTrailRuntime serve, int n) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> received.size() >= n);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    n + " notifications expected, " + received + " received; status " + get(serve, "/api/v1/status")
                            + "; bulk-retrieval alerts " + bulkIncidents(serve),
                    e);
        }
    }

    /**
     * Moves the clock past the report's maximum age, then waits until the process has consumed
     * everything, built a report on the clock over it, and
     * every delivery it queued is delivered: after that, anything more it would send is a bug (a
     * duplicate queued later than this still shows in the counts after the late file's alarm).
     */
    private void awaitSettled(SecretTrailRuntime serve) throws Exception {
        clock.advance(Duration.ofMinutes(16)); // past report.maxAgeMinutes: a report is due on the clock
        Instant since = clock.instant();
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        JsonNode s = get(serve, "/api/v1/status");
                        if (s.path("version").asLong()
                                        != s.path("reportVersion").asLong()
                                || Instant.parse(s.path("reportBuiltAt").asText())
                                        .isBefore(since)) {
                            return false;
                        }
                        for (JsonNode d : get(serve, "/api/v1/webhooks/soc/deliveries")) {
                            if (!"delivered".equals(d.path("status").asText())) {
                                return false;
                            }
                        }
                        return true;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "not settled since " + since + ": status " + get(serve, "/api/v1/status") + "; deliveries "
                            + get(serve, "/api/v1/webhooks/soc/deliveries"),
                    e);
        }
    }

    private static List<JsonNode> bulkIncidents(SecretTrailRuntime serve) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get(serve, "/api/v1/report").path("alerts").forEach(a -> {
            if (a.path("rule").asText().equals("bulk-retrieval")) {
                out.add(a);
            }
        });
        return out;
    }

    private static JsonNode incident(SecretTrailRuntime serve, String id) throws Exception {
        return bulkIncidents(serve).stream()
                .filter(a -> a.path("incident").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no incident " + id + " in the report"));
    }

    private static JsonNode get(SecretTrailRuntime serve, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /**
     * A clock that runs at the pace of time and that the test moves forward by days: the process reads
     * its "now" from it, and its report cache paces rebuilds on it, so it must not stand still.
     */
    static final class MovingClock extends Clock {
        private final long startNanos = System.nanoTime();
        private volatile Instant start;

        MovingClock(Instant start) {
            this.start = start;
        }

        void set(Instant at) {
            start = at.minusNanos(System.nanoTime() - startNanos);
        }

        void advance(Duration d) {
            start = start.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusNanos(System.nanoTime() - startNanos);
        }
    }
}
