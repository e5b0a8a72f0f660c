package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import java.nio.charset.StandardCharsets;
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
 * Issue 12, item 1: a value the store refuses that no check caught (here: the checks are off) makes
 * the batch fail; the batch is halved until the refused message is found, which is dead-lettered,
 * and the valid messages of the same batch are stored exactly once with the batch's offsets.
 */
class PoisonIsolationTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();

    static byte[] event(String id, String time) {
        return eventText(id, time).getBytes(StandardCharsets.UTF_8);
    }

    static String eventText(String id, String time) {
        return ("""
                {"eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"%s",
                 "eventType":"AwsApiCall","awsRegion":"us-east-1","recipientAccountId":"111111111111","userIdentity":{"type":"Root",
                 "accountId":"111111111111","arn":"arn:aws:iam::111111111111:root"}}""").formatted(time, id);
    }

    @Test
    void the_message_the_store_refuses_is_found_by_halving_and_the_rest_of_the_batch_is_stored() throws Exception {
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
            AnalyticsConsumer analytics = new AnalyticsConsumer(consumer, store, TOPICS, 100, dead::addAll, false);
            consumer.schedulePollTask(() -> {
                for (int i = 0; i < 9; i++) {
                    byte[] v = i == 5
                            ? event("far", "+294248-01-01T00:00:00Z")
                            : event("ok-" + i, "2026-11-01T10:00:0" + i + "Z");
                    consumer.addRecord(
                            new ConsumerRecord<>(TOPICS.events(), 0, i, "k".getBytes(StandardCharsets.UTF_8), v));
                }
            });
            Thread loop = new Thread(analytics);
            loop.start();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> analytics.caughtUp(Map.of(events, 9L)) || analytics.failure() != null);
            analytics.shutdown();
            loop.join();
            assertThat(analytics.failure()).isNull();
            assertThat(dead).singleElement().satisfies(p -> {
                assertThat(p.message().offset()).isEqualTo(5);
                // core's parser now refuses such a time while decoding; the store would refuse it otherwise
                assertThat(p.error())
                        .satisfiesAnyOf(
                                e -> assertThat(e).startsWith("the store refused it: ArithmeticException"),
                                e -> assertThat(e).contains("outside the accepted range"));
            });
            assertThat(analytics.eventsWritten()).isEqualTo(8);
            try (Connection c = store.reader();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM events")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(8);
                assertThat(rs.getLong(2)).isEqualTo(8);
            }
            assertThat(store.storedOffsets().get(TOPICS.events())).containsEntry(0, 9L);
            assertThat(store.counter("undecodable")).isEqualTo(1);
        }
    }
}
