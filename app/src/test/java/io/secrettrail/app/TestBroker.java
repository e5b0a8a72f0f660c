package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real KRaft broker (the product's own child-JVM broker) for one test class:
 * {@code @RegisterExtension static final TestBroker KAFKA = new TestBroker();}
 */
final class TestBroker implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private EmbeddedBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("secrettrail-broker-");
        broker = TestKafka.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        broker.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    EmbeddedBroker broker() {
        return broker;
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }
}
