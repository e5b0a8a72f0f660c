package io.secrettrail.ingest;

import io.secrettrail.core.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates SecretTrail's topics explicitly and waits until every partition answers a
 * list-offsets request before anyone produces: the workaround for KAFKA-15591, where an
 * idempotent producer writing right after topic creation can silently lose its first batch.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    /**
     * max.message.bytes of the events and inventory topics: one batch holding one request of
     * {@link KafkaClients#MAX_REQUEST_BYTES}, with lz4's worst-case expansion and batch headers.
     * The broker default (1 MiB) is below what --max-record-bytes admits.
     */
    public static final int MAX_MESSAGE_BYTES =
            KafkaClients.MAX_REQUEST_BYTES + KafkaClients.MAX_REQUEST_BYTES / 64 + 4096;

    /** @param replicationFactor of the topics it creates; 0 or less takes the cluster's default.replication.factor */
    public static void ensure(Admin admin, KafkaSettings kafka, short replicationFactor, Duration timeout)
            throws InterruptedException, ExecutionException {
        KafkaSettings.Topics t = kafka.topics();
        java.util.Optional<Short> rf =
                replicationFactor > 0 ? java.util.Optional.of(replicationFactor) : java.util.Optional.empty();
        List<NewTopic> wanted = List.of(
                // Kept forever: the events topic is where the raw records live (the store keeps columns only).
                new NewTopic(t.events(), java.util.Optional.of(kafka.partitions()), rf)
                        .configs(Map.of(
                                "max.message.bytes",
                                String.valueOf(MAX_MESSAGE_BYTES),
                                "retention.ms",
                                "-1",
                                "retention.bytes",
                                "-1")),
                // Compacted: the latest entry per secret ARN is the inventory; deletes are tombstones.
                new NewTopic(t.inventory(), java.util.Optional.of(Math.min(kafka.partitions(), 3)), rf)
                        .configs(Map.of(
                                "cleanup.policy", "compact", "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))),
                new NewTopic(t.deadLetter(), java.util.Optional.of(1), rf)
                        .configs(Map.of("max.message.bytes", String.valueOf(4 * 1024 * 1024))));
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing =
                wanted.stream().filter(n -> !existing.contains(n.name())).toList();
        Set<String> created = new java.util.HashSet<>();
        if (!missing.isEmpty()) {
            // Per topic: one another process created meanwhile (or the listing did not show yet) is an
            // existing topic, whose limit may still need raising below.
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> f :
                    admin.createTopics(missing).values().entrySet()) {
                try {
                    f.getValue().get();
                    created.add(f.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!created.isEmpty()) {
                log.info(
                        "created topics {}",
                        missing.stream()
                                .map(NewTopic::name)
                                .filter(created::contains)
                                .toList());
            }
        }
        awaitReady(admin, wanted.stream().map(NewTopic::name).toList(), timeout);
        requireKeptForever(admin, kafka);
        // after awaitReady, so that every topic's metadata (and configs) are known to the broker asked
        raiseMessageLimit(
                admin,
                List.of(t.events(), t.inventory()).stream()
                        .filter(n -> !created.contains(n))
                        .toList());
    }

    /**
     * A Kafka setting of the events topic that would delete raw records: the store keeps only columns of each
     * event and where its record is in the topic, so the topic is the one copy of the raw records.
     */
    public static final class RetentionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RetentionException(String message) {
            super(message);
        }
    }

    /**
     * Refuses to run when the events topic would delete records: {@code retention.ms} or {@code retention.bytes}
     * other than -1 (Kafka's default retention.ms deletes them after 7 days), or a {@code cleanup.policy} with
     * compact (which keeps one record per key). A topic that does not exist yet passes: ingest creates it kept
     * forever. The message names the topic, the settings and the command that changes them.
     *
     * @throws RetentionException when the topic would delete records
     */
    public static void requireKeptForever(Admin admin, KafkaSettings kafka)
            throws InterruptedException, ExecutionException {
        try {
            requireKeptForever(admin, kafka, Duration.ofMinutes(2));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("the broker did not describe the events topic within 2 minutes", e);
        }
    }

    /**
     * {@link #requireKeptForever(Admin, KafkaSettings)}, waiting at most {@code timeout} for the broker's answer.
     *
     * @throws java.util.concurrent.TimeoutException when the broker has not answered in time
     */
    public static void requireKeptForever(Admin admin, KafkaSettings kafka, Duration timeout)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        String topic = kafka.topics().events();
        org.apache.kafka.common.config.ConfigResource r = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        org.apache.kafka.clients.admin.Config c;
        try {
            c = admin.describeConfigs(List.of(r))
                    .all()
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .get(r);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return;
            }
            throw e;
        }
        List<String> finite = new ArrayList<>();
        for (String key : List.of("retention.ms", "retention.bytes")) {
            org.apache.kafka.clients.admin.ConfigEntry e = c == null ? null : c.get(key);
            String v = e == null ? null : e.value();
            if (v == null || !v.trim().equals("-1")) {
                finite.add(key + "=" + v);
            }
        }
        org.apache.kafka.clients.admin.ConfigEntry policy = c == null ? null : c.get("cleanup.policy");
        if (policy != null && policy.value() != null && policy.value().contains("compact")) {
            finite.add("cleanup.policy=" + policy.value());
        }
        if (!finite.isEmpty()) {
            throw new RetentionException("the events topic " + topic + " has " + String.join(", ", finite)
                    + ": it is the only copy of the raw CloudTrail records (the database keeps columns and each"
                    + " record's partition and offset), and Kafka would delete them. Keep them forever, then run"
                    + " again: kafka-configs.sh --bootstrap-server " + kafka.bootstrapServers()
                    + " --alter --entity-type topics --entity-name " + topic
                    + " --add-config retention.ms=-1,retention.bytes=-1"
                    + (policy != null
                                    && policy.value() != null
                                    && policy.value().contains("compact")
                            ? ",cleanup.policy=delete"
                            : ""));
        }
    }

    /**
     * Topics created by an earlier version have the broker's default limit (1 MiB): raise it to
     * {@link #MAX_MESSAGE_BYTES}. A cluster that refuses (no AlterConfigs right) keeps its limit;
     * a record above it then fails to send, which the log explains up front.
     */
    static void raiseMessageLimit(Admin admin, List<String> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        try {
            List<org.apache.kafka.common.config.ConfigResource> resources = topics.stream()
                    .map(n -> new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<org.apache.kafka.common.config.ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                    admin.describeConfigs(resources).all().get();
            Map<
                            org.apache.kafka.common.config.ConfigResource,
                            java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                    raise = new HashMap<>();
            configs.forEach((r, c) -> {
                org.apache.kafka.clients.admin.ConfigEntry e = c.get("max.message.bytes");
                if (e == null || e.value() == null || Long.parseLong(e.value()) < MAX_MESSAGE_BYTES) {
                    raise.put(
                            r,
                            List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                    new org.apache.kafka.clients.admin.ConfigEntry(
                                            "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
                }
            });
            if (!raise.isEmpty()) {
                admin.incrementalAlterConfigs(raise).all().get();
                log.info(
                        "raised max.message.bytes of {} to {}",
                        raise.keySet().stream().map(r -> r.name()).toList(),
                        MAX_MESSAGE_BYTES);
            }
        } catch (ExecutionException | RuntimeException e) {
            log.warn(
                    "could not raise max.message.bytes of {} to {} ({}); records larger than the topic's limit will fail to send",
                    topics,
                    MAX_MESSAGE_BYTES,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
        }
    }

    /** Waits until list-offsets(latest) succeeds on every partition of every topic. */
    static void awaitReady(Admin admin, List<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException {
        // a timeout, not a time of day: the monotonic clock
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> d =
                        admin.describeTopics(topics).allTopicNames().get();
                Map<TopicPartition, OffsetSpec> req = new HashMap<>();
                List<TopicPartition> parts = new ArrayList<>();
                d.values()
                        .forEach(td -> td.partitions().forEach(p -> {
                            TopicPartition tp = new TopicPartition(td.name(), p.partition());
                            parts.add(tp);
                            req.put(tp, OffsetSpec.latest());
                        }));
                admin.listOffsets(req).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
