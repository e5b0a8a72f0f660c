package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
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
 * Issue 15 §1: on the inventory topic, a coverage announcement lands in inventory_coverage, a tombstone marks its
 * secret gone at the time it carries and keeps the row, and a malformed coverage or a tombstone without a time is
 * dead-lettered while the rest of the poll is stored.
 */
class InventoryMessagesTest {
    static final KafkaSettings.Topics TOPICS = KafkaSettings.Topics.defaults();
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123";

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value, String... headers) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(
                TOPICS.inventory(),
                0,
                offset,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    @Test
    void coverage_is_recorded_and_a_tombstone_marks_the_row_gone_without_deleting_it() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> messages = List.of(
                record(0, ARN, "{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\",\"CreatedDate\":1700000000}"),
                record(
                        1,
                        "coverage:111111111111:us-east-1",
                        "{\"account\":\"111111111111\",\"region\":\"us-east-1\"}",
                        Headers.MESSAGE,
                        Headers.COVERAGE,
                        Headers.SOURCE,
                        "secretsmanager-inventory:111111111111/us-east-1"),
                // 2: key and body disagree
                record(
                        2,
                        "coverage:222222222222:us-east-1",
                        "{\"account\":\"111111111111\",\"region\":\"us-east-1\"}",
                        Headers.MESSAGE,
                        Headers.COVERAGE),
                record(3, ARN, null, Headers.AT, "2026-11-11T00:00:00Z"),
                // 4: a tombstone whose time cannot be read
                record(4, ARN, null, Headers.AT, "soon"));
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition inventory = new TopicPartition(TOPICS.inventory(), 0);
        consumer.updatePartitions(
                TOPICS.inventory(), List.of(new PartitionInfo(TOPICS.inventory(), 0, Node.noNode(), null, null)));
        consumer.updatePartitions(
                TOPICS.events(), List.of(new PartitionInfo(TOPICS.events(), 0, Node.noNode(), null, null)));
        consumer.updateBeginningOffsets(Map.of(inventory, 0L, new TopicPartition(TOPICS.events(), 0), 0L));
        List<Poison> dead = new ArrayList<>();
        try (EventStore store = EventStore.open(null)) {
            AnalyticsConsumer analytics = new AnalyticsConsumer(consumer, store, TOPICS, 100, dead::addAll, true);
            consumer.schedulePollTask(() -> messages.forEach(consumer::addRecord));
            Thread loop = new Thread(analytics);
            loop.start();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> analytics.caughtUp(Map.of(inventory, (long) messages.size()))
                            || analytics.failure() != null);
            analytics.shutdown();
            loop.join();
            assertThat(analytics.failure()).isNull();
            assertThat(dead).extracting(p -> p.message().offset()).containsExactly(2L, 4L);
            assertThat(dead.get(0).error()).startsWith("not an inventory coverage: ");
            assertThat(dead.get(1).error()).isEqualTo("an inventory tombstone without a readable time");
            try (Connection c = store.reader();
                    Statement s = c.createStatement()) {
                assertThat(TrailMessagesTest.rows(s, "SELECT account, region, source FROM inventory_coverage"))
                        .containsExactly("111111111111 us-east-1 secretsmanager-inventory:111111111111/us-east-1");
                assertThat(TrailMessagesTest.rows(
                                s, "SELECT arn, strftime(gone_at, '%Y-%m-%dT%H:%M:%SZ') FROM inventory"))
                        .containsExactly(ARN + " 2026-11-11T00:00:00Z");
            }
        }
    }
}
