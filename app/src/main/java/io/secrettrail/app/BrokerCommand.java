package io.secrettrail.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the embedded KRaft broker in the foreground, so several SecretTrail processes (ingest,
 * analytics, benchmarks) can share it through {@code --kafka host:port}. Stops on SIGTERM.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Run the embedded Kafka broker (data under <work-dir>/kafka) until stopped; prints its bootstrap address.")
public final class BrokerCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        AppConfig config = ConfigLoader.of(main).kafka(kafka).load();
        try (EmbeddedBroker broker = EmbeddedBroker.start(
                config.workDir().resolve("kafka"), EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(60))) {
            System.out.println("bootstrap: " + broker.bootstrapServers());
            System.out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
