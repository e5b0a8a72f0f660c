package io.secrettrail.core;

import java.util.Map;

/**
 * Where the stream lives and how to reach it.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param clientProperties passed through to every Kafka client (SASL, TLS, ...); they win over ours
 * @param partitions partitions of the events topic when SecretTrail creates it
 */
public record KafkaSettings(
        String bootstrapServers, Map<String, String> clientProperties, Topics topics, int partitions) {
    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka: bootstrap servers must not be empty");
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("partitions: must be 1..1000, was " + partitions);
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The three topics; names are configurable so several deployments can share a cluster. */
    public record Topics(String events, String inventory, String deadLetter) {
        public static Topics defaults() {
            return new Topics("secrettrail.events", "secrettrail.inventory", "secrettrail.deadletter");
        }
    }

    /** Record headers SecretTrail writes beside the original event. */
    public static final class Headers {
        private Headers() {}

        /** The canonical secret key of this copy of the event (also the record key). */
        public static final String SECRET = "secrettrail.secret";
        /** "true" when {@link #SECRET} is a full ARN. */
        public static final String RESOLVED = "secrettrail.resolved";
        /** "i/n": a BatchGetSecretValue naming n secrets is published once per secret. */
        public static final String FANOUT = "secrettrail.fanout";
        /** The file (or source) and record index the event came from. */
        public static final String SOURCE = "secrettrail.source";

        public static final String RECORD = "secrettrail.record";
        /** "true" when the event's request carried a secret value, which the reader dropped (never the value). */
        public static final String CARRIED_VALUE = "secrettrail.carried-value";

        public static final String FIELD = "secrettrail.field";
        public static final String ERROR = "secrettrail.error";
        /**
         * On a dead letter: "true" when the rejected record's {@code eventSource} reads
         * secretsmanager.amazonaws.com, "false" when it names another service; absent when unknown.
         */
        public static final String SECRETS_MANAGER = "secrettrail.secretsmanager";
        /** On a dead letter analytics wrote: where the message it could not store was (topic, partition, offset). */
        public static final String ORIGIN_TOPIC = "secrettrail.origin.topic";

        public static final String ORIGIN_PARTITION = "secrettrail.origin.partition";
        public static final String ORIGIN_OFFSET = "secrettrail.origin.offset";
        /** On a dead letter: which stage rejected it, "ingest" (absent on older ones) or "analytics". */
        public static final String STAGE = "secrettrail.stage";
        /**
         * "delivery" on ingest's announcement that it read a trail file. Only ingest writes headers: a record
         * key is built from event fields (an event naming no secret is keyed by its account and region), so a
         * key alone could be forged from a trail file; this header cannot.
         */
        public static final String MESSAGE = "secrettrail.message";
        /** The value of {@link #MESSAGE} on a trail delivery. */
        public static final String DELIVERY = "delivery";
        /**
         * The value of {@link #MESSAGE} on the inventory topic when an inventory covers an account and region
         * (a complete ListSecrets listing, an inventory file listing an ARN of it); the value is
         * {@code {"account","region"}}.
         */
        public static final String COVERAGE = "coverage";
        /**
         * The value of {@link #MESSAGE} on the inventory topic for a secret's current resource policy (read with
         * GetResourcePolicy, or from a saved get-resource-policy output), keyed {@code policy:<ARN>}.
         */
        public static final String POLICY = "policy";
        /** On an inventory tombstone: when ingest saw the secret leave the listing (ISO-8601 instant). */
        public static final String AT = "secrettrail.at";
    }
}
