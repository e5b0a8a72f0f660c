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

    /** Runs the real consumer over these inventory messages until it has them all; the poison it dead-lettered. */
    private static List<Poison> consume(EventStore store, List<ConsumerRecord<byte[], byte[]>> messages)
            throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition inventory = new TopicPartition(TOPICS.inventory(), 0);
        consumer.updatePartitions(
                TOPICS.inventory(), List.of(new PartitionInfo(TOPICS.inventory(), 0, Node.noNode(), null, null)));
        consumer.updatePartitions(
                TOPICS.events(), List.of(new PartitionInfo(TOPICS.events(), 0, Node.noNode(), null, null)));
        consumer.updateBeginningOffsets(Map.of(inventory, 0L, new TopicPartition(TOPICS.events(), 0), 0L));
        List<Poison> dead = new ArrayList<>();
        AnalyticsConsumer analytics = new AnalyticsConsumer(consumer, store, TOPICS, 100, dead::addAll, true);
        consumer.schedulePollTask(() -> messages.forEach(consumer::addRecord));
        Thread loop = new Thread(analytics);
        loop.start();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() ->
                        analytics.caughtUp(Map.of(inventory, (long) messages.size())) || analytics.failure() != null);
        analytics.shutdown();
        loop.join();
        assertThat(analytics.failure()).isNull();
        return dead;
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
        try (EventStore store = EventStore.open(null)) {
            List<Poison> dead = consume(store, messages);
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

    /** Issue 17: current resource policies (GetResourcePolicy's answers) keep the latest per secret. */
    @Test
    void a_policy_message_keeps_the_latest_read_per_secret_and_a_forged_key_is_dead_lettered() throws Exception {
        String policy = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}";
        List<ConsumerRecord<byte[], byte[]>> messages = List.of(
                record(
                        0,
                        "policy:" + ARN,
                        "{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\",\"ResourcePolicy\":\"" + policy
                                + "\",\"ReadAt\":\"2026-11-20T00:00:00Z\",\"Origin\":\"GetResourcePolicy\"}",
                        Headers.MESSAGE,
                        Headers.POLICY),
                record(
                        1,
                        "policy:" + ARN,
                        "{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\",\"ReadAt\":\"2026-11-21T00:00:00Z\","
                                + "\"Origin\":\"GetResourcePolicy\"}",
                        Headers.MESSAGE,
                        Headers.POLICY),
                // 2: a key naming another secret than the body
                record(
                        2,
                        "policy:" + ARN.replace("prod/db", "prod/other"),
                        "{\"ARN\":\"" + ARN + "\",\"Origin\":\"GetResourcePolicy\"}",
                        Headers.MESSAGE,
                        Headers.POLICY),
                // 3: a policy that is no JSON string
                record(
                        3,
                        "policy:" + ARN,
                        "{\"ARN\":\"" + ARN + "\",\"ResourcePolicy\":{},\"Origin\":\"GetResourcePolicy\"}",
                        Headers.MESSAGE,
                        Headers.POLICY));
        try (EventStore store = EventStore.open(null)) {
            List<Poison> dead = consume(store, messages);
            assertThat(dead).extracting(p -> p.message().offset()).containsExactly(2L, 3L);
            assertThat(dead).allSatisfy(p -> assertThat(p.error()).startsWith("not a resource policy: "));
            try (Connection c = store.reader();
                    Statement s = c.createStatement()) {
                assertThat(TrailMessagesTest.rows(
                                s,
                                "SELECT arn, coalesce(policy, 'none'), strftime(read_at, '%Y-%m-%dT%H:%M:%SZ'), origin"
                                        + " FROM resource_policies"))
                        .containsExactly(ARN + " none 2026-11-21T00:00:00Z GetResourcePolicy");
            }
        }
    }
}
