package io.secrettrail.app;

import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real KRaft broker (the product's own child-JVM broker) for an integration test class:
 * {@code @RegisterExtension static final TestBroker KAFKA = new TestBroker();}
 *
 * <p>Every class of the test JVM shares one broker: starting a child JVM and waiting for KRaft and
 * the group coordinator takes seconds, and a broker per class was much of the suite's time. The
 * first class that asks starts it; JUnit closes it with its root store when the run ends (and the
 * broker's own shutdown hook stops it if the JVM dies first).
 *
 * <p>Isolation: a test that builds its own settings takes topic names of its own
 * ({@link TestKafka#isolated}). Commands run through {@code Main} use SecretTrail's default topic
 * names and group ids, so after each class every topic and consumer group is deleted, and the next
 * class finds the broker as empty as a broker of its own would be.
 *
 * <p>{@link #owned()} gives a class a broker of its own, for tests that kill a client of the broker
 * with SIGKILL: the dead member stays in its group until the session times out, which would hold up
 * (and the half-written topics would disturb) whatever class came next.
 */
final class TestBroker implements BeforeAllCallback, AfterAllCallback {
    private final boolean owned;
    private Running own;
    private EmbeddedBroker broker;

    TestBroker() {
        this(false);
    }

    private TestBroker(boolean owned) {
        this.owned = owned;
    }

    /** A broker for this class alone, started before its first test and stopped after its last. */
    static TestBroker owned() {
        return new TestBroker(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (owned) {
            own = Running.start();
            broker = own.broker;
        } else {
            broker = context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(Running.class, k -> Running.startUnchecked(), Running.class)
                    .broker;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (owned) {
            own.close();
        } else {
            empty(broker.bootstrapServers());
        }
    }

    EmbeddedBroker broker() {
        return broker;
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** Deletes every topic and consumer group, and waits until the topics are gone. */
    static void empty(String bootstrap) throws InterruptedException, ExecutionException {
        try (Admin admin =
                KafkaClients.admin(new KafkaSettings(bootstrap, Map.of(), KafkaSettings.Topics.defaults(), 1))) {
            List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
                    .map(GroupListing::groupId)
                    .toList();
            if (!groups.isEmpty()) {
                try {
                    admin.deleteConsumerGroups(groups).all().get();
                } catch (ExecutionException e) {
                    // a group with a live member cannot be deleted; its class left a client open
                    System.err.println("TestBroker: consumer groups not deleted: " + e.getCause());
                }
            }
            Set<String> topics = admin.listTopics().names().get();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> admin.listTopics().names().get().isEmpty());
            }
        }
    }

    /** A broker in a temporary directory of its own, deleted with it. */
    private record Running(Path dir, EmbeddedBroker broker) implements AutoCloseable {
        static Running start() throws IOException {
            Path dir = Files.createTempDirectory("secrettrail-broker-");
            return new Running(dir, TestKafka.start(dir));
        }

        static Running startUnchecked() {
            try {
                return start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            broker.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
