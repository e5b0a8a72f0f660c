package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Real records (see resources aws/stratus/SOURCE.md), copies of them, and the clients pointed at a {@link FakeAws}. */
public final class AwsFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";

    private AwsFixtures() {}

    static List<String> stratus() {
        return lines("/aws/stratus/events.ndjson");
    }

    static List<String> otherServices() {
        return lines("/aws/stratus/all_other_events.ndjson");
    }

    /** A copy of a real record with its own eventID and time. */
    static String copy(String record, String eventId, Instant time) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(record);
            n.put("eventID", eventId);
            n.put("eventTime", time.toString());
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} copies of the stratus records, cycling through them, at the given times, with ids derived from a seed. */
    static List<String> copies(int n, long seed, java.util.function.IntFunction<Instant> time) {
        List<String> real = stratus();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(copy(real.get(i % real.size()), new UUID(seed, i).toString(), time.apply(i)));
        }
        return out;
    }

    static String eventId(String record) {
        try {
            return JSON.readTree(record).get("eventID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A trail file as CloudTrail writes it to S3: gzip of {"Records":[...]}. */
    static byte[] trailFile(List<String> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static AwsClients clients(FakeAws fake, Map<String, String> settings) {
        fake.mapKey(KEY, "111111111111");
        Map<String, String> all = new HashMap<>(settings);
        all.put("aws.endpoint", fake.endpoint().toString());
        return new AwsClients(
                AwsConfig.of(all),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")));
    }

    static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static EventPublisher publisher(MockProducer<byte[], byte[]> producer, SecretIndex index) {
        return new EventPublisher(
                producer, KafkaSettings.Topics.defaults(), new SecretResolver(index), java.time.Clock.systemUTC());
    }

    /** eventIDs of the events topic's messages, one per message (a batch fanned out to n secrets counts once per copy). */
    static List<String> publishedEventIds(MockProducer<byte[], byte[]> producer) {
        List<String> ids = new ArrayList<>();
        for (var r : producer.history()) {
            if (!r.topic().equals(KafkaSettings.Topics.defaults().events())
                    || new String(r.key(), StandardCharsets.UTF_8)
                            .startsWith(io.secrettrail.ingest.Delivery.KEY_PREFIX)) {
                continue; // a file's delivery, not an event
            }
            String fanout = new String(
                    r.headers().lastHeader(KafkaSettings.Headers.FANOUT).value(), StandardCharsets.UTF_8);
            if (fanout.startsWith("0/")) {
                try {
                    ids.add(JSON.readTree(r.value()).get("eventID").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return ids;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = AwsFixtures.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock the test moves (the app's ITs use it too); read from any thread. */
    public static final class MovingClock extends Clock {
        private volatile Instant now;

        public MovingClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
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
            return now;
        }
    }
}
