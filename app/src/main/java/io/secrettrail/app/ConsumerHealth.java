package io.secrettrail.app;

import io.secrettrail.analytics.live.AnalyticsConsumer;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.KafkaSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/** What /health/ready, /metrics and the webhook gate ask of a running analytics consumer. */
final class ConsumerHealth implements io.secrettrail.web.ProcessProbe {
    private final Admin admin;
    private final AnalyticsConsumer consumer;
    private final Thread loop;
    private final List<String> topics;
    private final EventStore store;
    private final RetentionWatch retention;

    ConsumerHealth(
            Admin admin,
            AnalyticsConsumer consumer,
            Thread loop,
            KafkaSettings.Topics topics,
            EventStore store,
            RetentionWatch retention) {
        this.store = store;
        this.retention = retention;
        this.admin = admin;
        this.consumer = consumer;
        this.loop = loop;
        this.topics = List.of(topics.events(), topics.inventory());
    }

    /**
     * broker: answers within 2 s; consumer: its thread runs, its partitions are assigned, and it has not failed;
     * eventsKeptForever: the events topic still keeps its records forever ({@link RetentionWatch}).
     */
    @Override
    public Map<String, Boolean> readiness() {
        return Map.of(
                "broker",
                brokerReachable(admin),
                "consumer",
                loop.isAlive() && consumer.assigned() && consumer.failure() == null,
                "eventsKeptForever",
                retention.keptForever());
    }

    /** The cluster answers with its nodes within 2 s. */
    static boolean brokerReachable(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Messages consumed, events written, and the lag (end offsets minus what DuckDB holds; -1 if the broker does not answer). */
    @Override
    public Map<String, Double> gauges() {
        Map<String, Double> g = new HashMap<>();
        g.put("secrettrail_messages_consumed_total", (double) consumer.messagesWritten());
        g.put("secrettrail_events_written_total", (double) consumer.eventsWritten());
        Map<TopicPartition, Long> end = endOffsets();
        g.put("secrettrail_consumer_lag_messages", end == null ? -1.0 : (double) consumer.lag(end));
        g.put("secrettrail_messages_dead_lettered_total", (double) consumer.deadLettered());
        g.put("secrettrail_events_topic_kept_forever", retention.keptForever() ? 1.0 : 0.0);
        try {
            // Rejected records per source, from the dead letters' headers: malforming the records
            // one wants hidden is an evasion, so their count is a signal (and the rejected-records rule).
            store.rejectionsBySource().forEach((k, n) -> {
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                labels.put("source", k.get(0));
                labels.put("secrets_manager", k.get(1));
                g.put(io.secrettrail.web.ProcessProbe.sample("secrettrail_rejected_records_total", labels), (double) n);
            });
        } catch (java.sql.SQLException e) {
            // /metrics still answers; the database's own health is in /health/ready
        }
        return g;
    }

    /** Whether DuckDB holds everything Kafka held at the time of the call. */
    boolean caughtUp() {
        Map<TopicPartition, Long> end = endOffsets();
        return end != null && consumer.caughtUp(end);
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            return AnalyzeJob.latestOffsets(admin, topics);
        } catch (Exception e) {
            return null;
        }
    }
}
