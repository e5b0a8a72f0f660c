package io.secrettrail.ingest.aws;

import io.secrettrail.core.secret.SecretIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inventory source's pass tests share: the local endpoint, a producer that records, a moving clock and
 * the source's checkpoint directory, in account 111111111111.
 */
abstract class InventoryPasses {
    static final String ACCOUNT = "111111111111";

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    final MockProducer<byte[], byte[]> producer = AwsFixtures.producer();
    final SecretIndex index = new SecretIndex();
    final AwsFixtures.MovingClock clock = new AwsFixtures.MovingClock(Instant.parse("2026-11-21T12:00:00Z"));
    private AwsClients clients;

    @AfterEach
    void closeClients() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    /** The SDK clients against the endpoint, the inventory enabled in this region (made once). */
    AwsClients clients(String region) {
        if (clients == null) {
            clients = AwsFixtures.clients(fake, Map.of("aws.regions", region, "aws.inventory.enabled", "true"));
        }
        return clients;
    }

    /** A source as production wires it, its checkpoint in {@link #dir}, passes every 15 minutes. */
    InventorySource source(
            String region,
            io.secrettrail.ingest.EventPublisher publisher,
            boolean policies,
            boolean replication,
            io.secrettrail.ingest.PolicyChanges changes)
            throws java.io.IOException {
        return new InventorySource(
                clients(region).secretsManager(ACCOUNT, region),
                ACCOUNT,
                region,
                java.time.Duration.ofMinutes(15),
                dir.resolve("inventory.log"),
                publisher,
                index,
                policies,
                replication,
                changes,
                clock);
    }

    static String arn(String region, int i) {
        return "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:prod/app-" + i + "/db-a1b2c"
                + (char) ('a' + i);
    }
}
