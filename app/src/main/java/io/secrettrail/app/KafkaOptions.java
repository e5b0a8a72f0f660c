package io.secrettrail.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command that touches Kafka or the work dir shares. A flag not given is null
 * here: {@link ConfigLoader} then takes the environment variable, then the default.
 */
public final class KafkaOptions {
    static final String DEFAULT_WORK_DIR = ".secrettrail";
    static final String EMBEDDED = "embedded";

    @Option(
            names = "--work-dir",
            description = "State: embedded broker data, DuckDB file, checkpoints (default: $SECRETTRAIL_WORK_DIR, else "
                    + DEFAULT_WORK_DIR + ").")
    Path workDir;

    @Option(
            names = "--kafka",
            description =
                    "'embedded' (default, or $SECRETTRAIL_KAFKA) starts Apache Kafka's KRaft broker in a child JVM; "
                            + "or host:port[,host:port] of an existing cluster.")
    String kafka;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Kafka client setting passed through (SASL, TLS...); repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--replication-factor",
            defaultValue = "0",
            description =
                    "Replication factor of the topics when created (default: the cluster's default.replication.factor;"
                            + " managed clusters such as MSK or Confluent Cloud want 3).")
    short replicationFactor;

    @Option(
            names = "--partitions",
            defaultValue = "6",
            description = "Partitions of the events topic when created (default: ${DEFAULT-VALUE}).")
    int partitions;

    /**
     * Client settings: {@code KAFKA_*} environment variables naming a Kafka client setting
     * ({@code KAFKA_SASL_MECHANISM} is {@code sasl.mechanism}), then {@code --kafka-property}, which
     * wins. Variables that name no client setting (KAFKA_HEAP_OPTS, the broker image's own) are ignored.
     */
    Map<String, String> clientProperties(Map<String, String> env) {
        java.util.Set<String> known =
                new java.util.HashSet<>(org.apache.kafka.clients.producer.ProducerConfig.configNames());
        known.addAll(org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
        known.addAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("KAFKA_")) {
                String name = k.substring(6).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                if (known.contains(name)) {
                    out.put(name, v);
                }
            }
        });
        out.putAll(kafkaProperties);
        return out;
    }
}
