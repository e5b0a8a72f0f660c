package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: what ingest says about the trail itself reaches the store. CloudTrail's logging
 * changes are kept apart from the Secrets Manager events (one row per eventID), trail deliveries
 * ({@code delivery:ACCOUNT:REGION}) land in trail_deliveries, and a malformed delivery is
 * dead-lettered like a bad event while the rest of the poll is stored.
 */
class TrailMessagesTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();
    /** Stratus Red Team's real StopLogging detonation (core's test resources, SOURCE.md there). */
    static final Path OTHER = Path.of(
            "..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "all_other_events.ndjson");

    static String delivery(String account, String region, String file, String time) {
        return """
                {"account":"%s","region":"%s","file":"%s","latestEventTime":"%s","records":120}""".formatted(account, region, file, time);
    }

    @Test
    void logging_changes_and_deliveries_are_stored_and_malformed_deliveries_dead_lettered() throws Exception {
        String stop = Files.readAllLines(OTHER).stream()
                .filter(l -> l.contains("\"StopLogging\""))
                .findFirst()
                .orElseThrow();
        String sm = PoisonIsolationTest.eventText("sm-1", "2026-11-21T09:00:00Z");
        String file =
                "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/111111111111_CloudTrail_us-east-1_x.json.gz";
        List<String[]> messages = List.of(
                new String[] {"arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf", sm},
                new String[] {"143434273843:region", stop},
                new String[] {"143434273843:region", stop}, // a copy: one row
                new String[] {
                    "delivery:111111111111:us-east-1",
                    delivery("111111111111", "us-east-1", file, "2026-11-21T10:04:00Z")
                },
                // the same file again, read before a later record was appended: the later time stays
                new String[] {
                    "delivery:111111111111:us-east-1",
                    delivery("111111111111", "us-east-1", file, "2026-11-21T09:00:00Z")
                },
                new String[] {"delivery:111111111111:us-east-1", "{\"account\":"}, // 5: invalid JSON
                new String[] {
                    "delivery:222222222222:us-east-1", // 6: key and body disagree
                    delivery("111111111111", "us-east-1", "f2", "2026-11-21T10:04:00Z")
                },
                new String[] {
                    "delivery:111111111111:eu-west-1", // 7: not a time
                    delivery("111111111111", "eu-west-1", "f3", "soon")
                },
                new String[] {
                    "delivery:111111111111:eu-west-1",
                    delivery("111111111111", "eu-west-1", "f4", "2026-11-21T08:00:00Z")
                },
                // 9: a trail record whose recipientAccountId reads "delivery:111111111111" is keyed like a
                // delivery by ingest, but has no delivery header: it is an event (here not a valid one), never a
                // delivery that would hide ap-south-1's silence
                new String[] {
                    "forged:delivery:111111111111:ap-south-1",
                    delivery("111111111111", "ap-south-1", "forged", "2026-11-21T10:04:00Z")
                });
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition events = new TopicPartition(TOPICS.events(), 0);
        consumer.updatePartitions(
                TOPICS.events(), List.of(new PartitionInfo(TOPICS.events(), 0, Node.noNode(), null, null)));
        consumer.updatePartitions(
                TOPICS.inventory(), List.of(new PartitionInfo(TOPICS.inventory(), 0, Node.noNode(), null, null)));
        Map<TopicPartition, Long> begin = new HashMap<>();
        begin.put(events, 0L);
        begin.put(new TopicPartition(TOPICS.inventory(), 0), 0L);
        consumer.updateBeginningOffsets(begin);
        List<Poison> dead = new ArrayList<>();
        try (EventStore store = EventStore.open(null)) {
            AnalyticsConsumer analytics = new AnalyticsConsumer(consumer, store, TOPICS, 100, dead::addAll, true);
            consumer.schedulePollTask(() -> {
                for (int i = 0; i < messages.size(); i++) {
                    String key = messages.get(i)[0];
                    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(
                            TOPICS.events(),
                            0,
                            i,
                            key.replaceFirst("^forged:", "").getBytes(StandardCharsets.UTF_8),
                            messages.get(i)[1].getBytes(StandardCharsets.UTF_8));
                    if (key.startsWith("delivery:")) { // what ingest's publisher adds to its announcements
                        record.headers()
                                .add(
                                        io.secrettrail.core.KafkaSettings.Headers.MESSAGE,
                                        io.secrettrail.core.KafkaSettings.Headers.DELIVERY.getBytes(
                                                StandardCharsets.UTF_8));
                    }
                    consumer.addRecord(record);
                }
            });
            Thread loop = new Thread(analytics);
            loop.start();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() ->
                            analytics.caughtUp(Map.of(events, (long) messages.size())) || analytics.failure() != null);
            analytics.shutdown();
            loop.join();
            assertThat(analytics.failure()).isNull();
            assertThat(dead).extracting(p -> p.message().offset()).containsExactly(5L, 6L, 7L, 9L);
            assertThat(dead.subList(0, 3)).allSatisfy(p -> assertThat(p.error()).startsWith("not a trail delivery: "));
            assertThat(dead.get(3).error()).doesNotStartWith("not a trail delivery");
            assertThat(dead.get(2).field()).isEqualTo("latestEventTime");
            try (Connection c = store.reader();
                    Statement s = c.createStatement()) {
                assertThat(rows(s, "SELECT event_id, event_source FROM events"))
                        .containsExactly("sm-1 secretsmanager.amazonaws.com");
                assertThat(
                                rows(
                                        s,
                                        "SELECT event_name, account_id, strftime(event_time, '%Y-%m-%dT%H:%M:%SZ') FROM trail_changes"))
                        .containsExactly("StopLogging 143434273843 2024-07-31T13:06:24Z");
                assertThat(rows(
                                s,
                                "SELECT account, region, file, strftime(latest_event_time, '%Y-%m-%dT%H:%M:%SZ'), records"
                                        + " FROM trail_deliveries ORDER BY region, file"))
                        .containsExactly(
                                "111111111111 eu-west-1 f4 2026-11-21T08:00:00Z 120",
                                "111111111111 us-east-1 " + file + " 2026-11-21T10:04:00Z 120");
            }
            assertThat(store.storedOffsets().get(TOPICS.events())).containsEntry(0, (long) messages.size());
        }
    }

    static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i == 1 ? "" : " ").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
