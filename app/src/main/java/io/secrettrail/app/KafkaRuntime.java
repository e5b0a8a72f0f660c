package io.secrettrail.app;

import io.secrettrail.core.KafkaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The Kafka a command talks to: an embedded broker it owns, or an existing cluster. */
final class KafkaRuntime implements AutoCloseable {
    private final EmbeddedBroker broker;
    private final KafkaSettings settings;

    private KafkaRuntime(EmbeddedBroker broker, KafkaSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    /** @param workDir the embedded broker keeps its data under {@code <workDir>/kafka}, reused on restart */
    static KafkaRuntime start(AppConfig.Kafka config, Path workDir) throws IOException {
        EmbeddedBroker broker = null;
        String bootstrap = config.bootstrap();
        if (config.embedded()) {
            broker = EmbeddedBroker.start(
                    workDir.resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(60));
            bootstrap = broker.bootstrapServers();
        }
        return new KafkaRuntime(
                broker,
                new KafkaSettings(
                        bootstrap, config.clientProperties(), KafkaSettings.Topics.defaults(), config.partitions()));
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
