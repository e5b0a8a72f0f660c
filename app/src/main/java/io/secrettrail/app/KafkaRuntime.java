package io.secrettrail.app;

import java.io.IOException;
import java.time.Duration;

import io.secrettrail.core.KafkaSettings;

/** The Kafka a command talks to: an embedded broker it owns, or an existing cluster. */
final class KafkaRuntime implements AutoCloseable {
    private final EmbeddedBroker broker;
    private final KafkaSettings settings;

    private KafkaRuntime(EmbeddedBroker broker, KafkaSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    static KafkaRuntime start(KafkaOptions o) throws IOException {
        EmbeddedBroker broker = null;
        String bootstrap = o.kafka;
        if (o.embedded()) {
            broker = EmbeddedBroker.start(o.workDir.resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(60));
            bootstrap = broker.bootstrapServers();
        }
        return new KafkaRuntime(broker, new KafkaSettings(bootstrap, o.clientProperties(System.getenv()), KafkaSettings.Topics.defaults(), o.partitions));
    }

    KafkaSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
