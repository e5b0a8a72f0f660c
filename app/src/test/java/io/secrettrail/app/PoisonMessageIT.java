package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.live.ConsumerFactory;
import io.secrettrail.analytics.live.DeadLetters;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1: messages analytics cannot decode or store, put straight onto the events topic
 * between valid ones, go to the dead-letter topic with the reason and their offset; the valid
 * ones are stored exactly once, the offsets committed with them, and analytics keeps consuming.
 * Before, an eventTime in year +294248 stopped analytics with "long overflow" on every restart.
 */
class PoisonMessageIT {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static String event(String id, String time) {
        return """
                {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","accountId":"111111111111",
                 "arn":"arn:aws:sts::111111111111:assumed-role/app/s","sessionContext":{"sessionIssuer":{"type":"Role",
                 "arn":"arn:aws:iam::111111111111:role/app"}}},"eventTime":"%s","eventSource":"secretsmanager.amazonaws.com",
                 "eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk-java",
                 "requestParameters":{"secretId":"app/db"},"responseElements":null,%s"eventType":"AwsApiCall",
                 "recipientAccountId":"111111111111"}""".formatted(time, id == null ? "" : "\"eventID\":\"" + id + "\",");
    }

    /** What is put on the events topic, in order, and the field each bad one must be refused for (null: the message as a whole). */
    record Message(String name, byte[] value, boolean bad, String field) {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final List<Message> STREAM = List.of(
            new Message("valid-1", utf8(event("good-1", "2026-11-01T10:00:00Z")), false, null),
            new Message("year +294248", utf8(event("far-future", "+294248-01-01T00:00:00Z")), true, "eventTime"),
            new Message("year -300000", utf8(event("far-past", "-300000-01-01T00:00:00Z")), true, "eventTime"),
            new Message("year 10000", utf8(event("ten-thousand", "+10000-01-01T00:00:00Z")), true, "eventTime"),
            new Message("non-JSON bytes", new byte[] {'n', 'o', 't', ' ', (byte) 0xff, '{', 0}, true, null),
            new Message("JSON that is not an event", utf8("[1,2,3]"), true, null),
            new Message("valid-2", utf8(event("good-2", "2026-11-02T10:00:00Z")), false, null),
            new Message("0-byte value", new byte[0], true, null),
            new Message(
                    "eventTime a number",
                    utf8(event("typed", "x").replace("\"eventTime\":\"x\"", "\"eventTime\":17")),
                    true,
                    "eventTime"),
            new Message(
                    "eventName an object",
                    utf8(event("typed-2", "2026-11-03T10:00:00Z")
                            .replace("\"eventName\":\"GetSecretValue\"", "\"eventName\":{\"a\":1}")),
                    true,
                    "eventName"),
            new Message(
                    "no eventTime", utf8(event("no-time", "x").replace("\"eventTime\":\"x\",", "")), true, "eventTime"),
            new Message(
                    "truncated JSON", utf8(event("cut", "2026-11-03T10:00:00Z").substring(0, 120)), true, null),
            // A record without eventID is kept under a content hash (as ingest does), not dead-lettered.
            new Message("no eventID", utf8(event(null, "2026-11-04T10:00:00Z")), false, null),
            new Message("valid-3", utf8(event("good-3", "2026-11-05T10:00:00Z")), false, null));

    @Test
    void poison_messages_go_to_the_dead_letter_topic_and_analytics_keeps_consuming() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        String events = kafka.topics().events();
        Map<String, Long> offsetOf = new LinkedHashMap<>();
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
        }
        try (Producer<byte[], byte[]> plain = KafkaClients.producer(kafka, "test-plain");
                EventStore store = EventStore.open(dir.resolve("poison.duckdb"));
                Producer<byte[], byte[]> dlProducer = DeadLetters.producer(kafka, "test-deadletters")) {
            int i = 0;
            for (Message m : STREAM) {
                RecordHeaders h = new RecordHeaders();
                h.add(Headers.SOURCE, utf8("poison/p.ndjson"));
                h.add(Headers.RECORD, utf8(Integer.toString(++i)));
                offsetOf.put(
                        m.name(),
                        plain.send(new ProducerRecord<>(events, 0, utf8("k"), m.value(), h))
                                .get()
                                .offset());
            }
            AnalyticsConsumer analytics = new AnalyticsConsumer(
                    ConsumerFactory.create(kafka, "test-poison"),
                    store,
                    kafka.topics(),
                    AnalyticsConsumer.DEFAULT_MAX_BATCH,
                    DeadLetters.kafka(dlProducer, kafka.topics()));
            Thread loop = new Thread(analytics, "poison-analytics");
            loop.start();
            try {
                Map<TopicPartition, Long> end = Map.of(new TopicPartition(events, 0), (long) STREAM.size());
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> analytics.caughtUp(end) || analytics.failure() != null);
                assertThat(analytics.failure()).isNull();
                long bad = STREAM.stream().filter(Message::bad).count();
                assertThat(analytics.deadLettered()).isEqualTo(bad);
                try (Connection c = store.reader()) {
                    assertThat(ids(c)).containsExactlyInAnyOrder("good-1", "good-2", "good-3", "content-hash");
                }
                assertThat(store.storedOffsets().get(events)).containsEntry(0, (long) STREAM.size());

                // every bad message in the dead-letter topic: its reason, field and where it was
                List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readAll(
                        kafka.bootstrapServers(), kafka.topics().deadLetter());
                Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> d : dead) {
                    assertThat(header(d, Headers.ORIGIN_TOPIC)).isEqualTo(events);
                    assertThat(header(d, Headers.ORIGIN_PARTITION)).isEqualTo("0");
                    byOffset.put(Long.parseLong(header(d, Headers.ORIGIN_OFFSET)), d);
                }
                assertThat(dead).hasSize((int) bad);
                for (Message m : STREAM) {
                    ConsumerRecord<byte[], byte[]> d = byOffset.get(offsetOf.get(m.name()));
                    if (!m.bad()) {
                        assertThat(d).as(m.name()).isNull();
                        continue;
                    }
                    assertThat(d).as(m.name()).isNotNull();
                    assertThat(header(d, Headers.ERROR))
                            .as(m.name())
                            .isNotBlank()
                            .doesNotContain("null");
                    assertThat(header(d, Headers.FIELD)).as(m.name()).isEqualTo(m.field());
                    assertThat(header(d, Headers.SOURCE)).isEqualTo("poison/p.ndjson");
                    assertThat(header(d, Headers.STAGE)).isEqualTo("analytics");
                    assertThat(new String(d.key(), StandardCharsets.UTF_8))
                            .isEqualTo(events + "-0@" + offsetOf.get(m.name()));
                }
                assertThat(header(byOffset.get(offsetOf.get("year +294248")), Headers.ERROR))
                        .contains("+294248");
                assertThat(header(byOffset.get(offsetOf.get("year +294248")), Headers.SECRETS_MANAGER))
                        .isEqualTo("true");

                // analytics reads its own dead letters' headers back: the rejections are counted
                await().atMost(Duration.ofSeconds(60)).until(() -> rejections(store) == bad);

                // and keeps consuming: a later valid message lands
                plain.send(new ProducerRecord<>(events, 0, utf8("k"), utf8(event("good-4", "2026-11-06T10:00:00Z"))))
                        .get();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    try (Connection c = store.reader()) {
                        return ids(c).contains("good-4");
                    }
                });
                assertThat(analytics.failure()).isNull();
            } finally {
                analytics.shutdown();
                loop.join();
            }
        }
    }

    static List<String> ids(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id FROM events ORDER BY event_id")) {
            while (rs.next()) {
                out.add(rs.getString(1).startsWith("good-") ? rs.getString(1) : "content-hash");
            }
        }
        return out;
    }

    static long rejections(EventStore store) throws Exception {
        return store.rejectionsBySource().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
