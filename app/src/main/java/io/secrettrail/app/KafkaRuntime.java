package io.secrettrail.app;

import io.secrettrail.core.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The Kafka a command talks to: an embedded broker it owns, or an existing cluster. */
final class KafkaRuntime implements AutoCloseable, AnalyzeJob.KafkaStart {
    /** The embedded broker, once started (null for a cluster); completes exceptionally when it cannot start. */
    private final CompletableFuture<EmbeddedBroker> broker;

    private final AppConfig.Kafka config;

    private KafkaRuntime(CompletableFuture<EmbeddedBroker> broker, AppConfig.Kafka config) {
        this.broker = broker;
        this.config = config;
    }

    /** @param workDir the embedded broker keeps its data under {@code <workDir>/kafka}, reused on restart */
    static KafkaRuntime start(AppConfig.Kafka config, Path workDir) throws IOException {
        KafkaRuntime k = starting(config, workDir);
        try {
            k.await();
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    /**
     * Starts the embedded broker on a thread of its own and returns at once: its JVM takes seconds to
     * come up, which a one-shot run spends reading its files. {@link #await} waits for it.
     */
    static KafkaRuntime starting(AppConfig.Kafka config, Path workDir) {
        if (!config.embedded()) {
            return new KafkaRuntime(CompletableFuture.completedFuture(null), config);
        }
        CompletableFuture<EmbeddedBroker> broker = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        broker.complete(EmbeddedBroker.start(
                                workDir.resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(60)));
                    } catch (IOException | RuntimeException e) {
                        broker.completeExceptionally(e);
                    }
                },
                "embedded-kafka-start");
        t.setDaemon(true);
        t.start();
        return new KafkaRuntime(broker, config);
    }

    /** The settings to reach Kafka, once the embedded broker (if any) is ready. */
    @Override
    public KafkaSettings await() throws IOException {
        EmbeddedBroker b;
        try {
            b = io.secrettrail.core.Futures.join(broker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting embedded Kafka", e);
        }
        return new KafkaSettings(
                b == null ? config.bootstrap() : b.bootstrapServers(),
                config.clientProperties(),
                KafkaSettings.Topics.defaults(),
                config.partitions());
    }

    /** The settings of a runtime that has been awaited ({@link #start}). */
    KafkaSettings settings() {
        try {
            return await();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public KafkaSettings.Topics topics() {
        return KafkaSettings.Topics.defaults();
    }

    /** Stops the embedded broker; one still starting is stopped once it is up (or has failed). */
    @Override
    public void close() {
        EmbeddedBroker b;
        try {
            b = broker.get();
        } catch (ExecutionException e) {
            return; // it never started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // its shutdown hook and its end-of-stdin watch stop it with this process
        }
        if (b != null) {
            b.close();
        }
    }
}
