package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InventorySource through the real Secrets Manager SDK client against a local endpoint speaking its JSON protocol. */
class InventorySourceIT {
    static final String ACCOUNT = "111111111111";
    static final String REGION = "eu-west-1";

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    final MockProducer<byte[], byte[]> producer = AwsFixtures.producer();
    final SecretIndex index = new SecretIndex();
    /** The publisher's clock: when a tombstone says its secret left the listing. */
    static final java.time.Instant NOW = java.time.Instant.parse("2026-11-21T12:00:00Z");

    final EventPublisher publisher = new EventPublisher(
            producer,
            KafkaSettings.Topics.defaults(),
            new io.secrettrail.core.secret.SecretResolver(index),
            java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    AwsClients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    /** Shaped like the ListSecrets example of the Secrets Manager API reference, with the fields a full entry has. */
    static String entry(int i, boolean rotation, Double deletedDate) {
        String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:prod/app-" + i + "/db-a1b2c"
                + (char) ('a' + i % 26);
        return "{\"ARN\":\"" + arn + "\",\"Name\":\"prod/app-" + i
                + "/db\",\"Description\":\"My test database secret\","
                + "\"KmsKeyId\":\"arn:aws:kms:" + REGION + ":" + ACCOUNT
                + ":key/EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\","
                + "\"RotationEnabled\":" + rotation + ","
                + (rotation
                        ? "\"RotationLambdaARN\":\"arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:rotate\","
                                + "\"RotationRules\":{\"AutomaticallyAfterDays\":30},\"LastRotatedDate\":1795000000,"
                        : "")
                + "\"LastChangedDate\":1523477145.729,\"LastAccessedDate\":1795737600,\"CreatedDate\":1523477145.713,"
                + (deletedDate != null ? "\"DeletedDate\":" + deletedDate + "," : "")
                + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"payments\"}],"
                + "\"SecretVersionsToStages\":{\"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\":[\"AWSCURRENT\"]},"
                + "\"PrimaryRegion\":\"" + REGION + "\"}";
    }

    private InventorySource source() throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("aws.regions", REGION, "aws.inventory.enabled", "true"));
        if (clients == null) {
            clients = AwsFixtures.clients(fake, s);
        }
        return new InventorySource(
                clients.secretsManager(ACCOUNT, REGION),
                ACCOUNT,
                REGION,
                java.time.Duration.ofMinutes(15),
                dir.resolve("inventory.log"),
                publisher,
                index,
                true,
                true,
                io.secrettrail.ingest.PolicyChanges.NONE,
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    }

    /** The entries and tombstones sent to the inventory topic (not the coverage announcements). */
    private List<ProducerRecord<byte[], byte[]>> inventoryMessages() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().inventory()))
                .filter(r -> r.headers().lastHeader(KafkaSettings.Headers.MESSAGE) == null)
                .toList();
    }

    /** The keys of the coverage announcements sent to the inventory topic. */
    private List<String> coverage() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().inventory()))
                .filter(r -> r.headers().lastHeader(KafkaSettings.Headers.MESSAGE) != null)
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .filter(k -> k.startsWith("coverage:"))
                .toList();
    }

    @Test
    void everyPageIncludingPlannedDeletionsIsPublishedAsTheFileSourceWouldReadIt() throws Exception {
        for (int i = 0; i < 250; i++) {
            fake.secrets(ACCOUNT, REGION).put(entry(i, i % 3 == 0, i == 7 ? 1796000000.5 : null));
        }
        InventorySource source = source();
        assertThat(source.poll(() -> false)).isEqualTo(250);
        assertThat(fake.requests("ListSecrets"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.params()).containsEntry("IncludePlannedDeletion", "true"));
        List<ProducerRecord<byte[], byte[]>> sent = inventoryMessages();
        assertThat(sent).hasSize(250);
        InventoryReader reader = new InventoryReader();
        Map<String, InventoryEntry> byArn = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> r : sent) {
            JsonNode json = AwsFixtures.JSON.readTree(r.value());
            assertThat(json.has("SecretString")).isFalse();
            InventoryEntry e = reader.parse(json);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.arn());
            byArn.put(e.arn(), e);
        }
        InventoryEntry seven = byArn.get("arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/app-7/db-a1b2ch");
        assertThat(seven.deletedDate()).isEqualTo(java.time.Instant.parse("2026-11-30T00:53:20.500Z"));
        InventoryEntry zero = byArn.get("arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/app-0/db-a1b2ca");
        assertThat(zero.rotationEnabled()).isTrue();
        assertThat(zero.rotationDays()).isEqualTo(30);
        assertThat(zero.tags()).containsEntry("team", "payments");
        assertThat(zero.lastChangedDate()).isEqualTo(java.time.Instant.parse("2018-04-11T20:05:45.729Z"));
        assertThat(index.inInventory(zero.arn())).isTrue();
    }

    @Test
    void onlyChangesArePublishedAndASecretAbsentFromTwoListingsBecomesATombstoneOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            fake.secrets(ACCOUNT, REGION).put(entry(i, false, null));
        }
        InventorySource source = source();
        source.poll(() -> false);
        assertThat(inventoryMessages()).hasSize(5);
        source.poll(() -> false);
        assertThat(inventoryMessages()).as("nothing changed, nothing sent").hasSize(5);

        fake.secrets(ACCOUNT, REGION).put(entry(1, true, null)); // rotation turned on
        String gone = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/app-3/db-a1b2cd";
        assertThat(fake.secrets(ACCOUNT, REGION).remove(gone)).isTrue();
        InventorySource restarted = source(); // from the checkpoint, as after a restart
        restarted.poll(() -> false);
        assertThat(inventoryMessages())
                .as("the change is sent; one absence is not a deletion yet")
                .hasSize(6);
        restarted.poll(() -> false);
        List<ProducerRecord<byte[], byte[]>> sent = inventoryMessages();
        assertThat(sent).as("absent from two listings in a row: deleted").hasSize(7);
        assertThat(new String(sent.get(5).key(), StandardCharsets.UTF_8)).endsWith("prod/app-1/db-a1b2cb");
        assertThat(new String(sent.get(6).key(), StandardCharsets.UTF_8)).isEqualTo(gone);
        assertThat(sent.get(6).value()).as("tombstone").isNull();
        assertThat(new String(
                        sent.get(6)
                                .headers()
                                .lastHeader(KafkaSettings.Headers.AT)
                                .value(),
                        StandardCharsets.UTF_8))
                .as("when it left the listing: the publisher's clock")
                .isEqualTo(NOW.toString());
        assertThat(restarted.tombstones()).isEqualTo(1);
        restarted.poll(() -> false);
        assertThat(inventoryMessages()).hasSize(7);
        // issue 15: the first complete listing says the inventory covers the account and region, once, also
        // across the restart (the checkpoint remembers it)
        assertThat(coverage()).containsExactly("coverage:" + ACCOUNT + ":" + REGION);
    }

    @Test
    void aListingThatFailsHalfWayDeletesNothing() throws Exception {
        for (int i = 0; i < 150; i++) {
            fake.secrets(ACCOUNT, REGION).put(entry(i, false, null));
        }
        InventorySource source = source();
        source.poll(() -> false);
        int before = inventoryMessages().size();
        fake.secrets(ACCOUNT, REGION)
                .remove("arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/app-140/db-a1b2ck");
        // The first page comes back, the second is refused.
        List<String> faults = new java.util.ArrayList<>();
        InventorySource cut = source();
        assertThatThrownBy(() -> cut.poll(() -> {
                    if (fake.requests("ListSecrets").size() == 3) { // 2 of the first pass, 1 of this one
                        fake.failAlways("ListSecrets", FakeAws.Fault.accessDenied());
                        faults.add("denied");
                    }
                    return false;
                }))
                .satisfies(e -> assertThat(AwsFailure.explain((Exception) e).message())
                        .startsWith("access denied: ")
                        .contains("secretsmanager:ListSecrets"));
        assertThat(faults).isNotEmpty();
        assertThat(inventoryMessages()).hasSize(before);
        assertThat(inventoryMessages()).noneMatch(r -> r.value() == null);
        assertThat(coverage())
                .as("announced by the first, complete listing only")
                .hasSize(1);
        fake.clearFaults();
        cut.poll(() -> false);
        assertThat(inventoryMessages()).noneMatch(r -> r.value() == null);
        cut.poll(() -> false);
        assertThat(inventoryMessages().stream().filter(r -> r.value() == null).count())
                .isEqualTo(1);
    }
}
