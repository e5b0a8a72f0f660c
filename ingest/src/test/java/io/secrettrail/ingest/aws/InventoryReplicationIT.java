package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PolicyChanges;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the inventory source describes primaries (DescribeSecret) when they are new or their LastChangedDate
 * moved, and publishes their entry with DescribeSecret's ReplicationStatus; calls counted at the local endpoint.
 */
class InventoryReplicationIT extends InventoryPasses {
    static final String REGION = "us-east-1";
    static final String REPLICAS = "[{\"Region\":\"eu-west-1\",\"KmsKeyId\":\"alias/aws/secretsmanager\","
            + "\"Status\":\"InSync\",\"StatusMessage\":\"Replication succeeded\"}]";

    final EventPublisher publisher =
            new EventPublisher(producer, KafkaSettings.Topics.defaults(), new SecretResolver(index), clock);

    static String arn(int i) {
        return arn(REGION, i);
    }

    /** A ListSecrets entry, a replica of another region's primary when {@code primaryRegion} is not ours. */
    static String entry(int i, long changed, long accessed, String primaryRegion) {
        return "{\"ARN\":\"" + arn(i) + "\",\"Name\":\"prod/app-" + i + "/db\",\"LastChangedDate\":" + changed
                + ",\"LastAccessedDate\":" + accessed + ",\"PrimaryRegion\":\"" + primaryRegion + "\"}";
    }

    private InventorySource source() throws Exception {
        return source(REGION, publisher, false, true, PolicyChanges.NONE);
    }

    private int describes() {
        return fake.requests("DescribeSecret").size();
    }

    /** The latest entry published for this ARN, as JSON. */
    private JsonNode published(String arn) throws Exception {
        List<byte[]> values = producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().inventory()))
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(arn))
                .map(r -> r.value())
                .toList();
        return AwsFixtures.JSON.readTree(values.get(values.size() - 1));
    }

    private long publishedCount(String arn) {
        return producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().inventory()))
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(arn))
                .count();
    }

    @Test
    void primaries_are_described_when_new_or_changed_and_their_replicas_travel_with_the_entry() throws Exception {
        fake.secrets(ACCOUNT, REGION).put(entry(0, 1795000000L, 1795000000L, REGION));
        fake.secrets(ACCOUNT, REGION).put(entry(1, 1795000000L, 1795000000L, REGION));
        fake.secrets(ACCOUNT, REGION).put(entry(2, 1795000000L, 1795000000L, "eu-west-1")); // a replica
        fake.secrets(ACCOUNT, REGION).putReplication(arn(0), REPLICAS);
        InventorySource source = source();

        source.poll(() -> false);
        assertThat(describes()).as("pass 1: the two primaries").isEqualTo(2);
        assertThat(published(arn(0))
                        .path("ReplicationStatus")
                        .get(0)
                        .path("Region")
                        .asText())
                .isEqualTo("eu-west-1");
        assertThat(published(arn(1)).path("ReplicationStatus").isArray()).isTrue();
        assertThat(published(arn(1)).path("ReplicationStatus")).isEmpty();
        assertThat(published(arn(2)).has("ReplicationStatus")).isFalse();

        clock.advance(Duration.ofMinutes(15));
        source.poll(() -> false);
        assertThat(describes()).as("pass 2: nothing changed").isEqualTo(2);

        // Read in the meantime: the entry changes, its LastChangedDate does not; it is published with its replicas.
        clock.advance(Duration.ofMinutes(15));
        fake.secrets(ACCOUNT, REGION).put(entry(0, 1795000000L, 1795100000L, REGION));
        source.poll(() -> false);
        assertThat(describes()).isEqualTo(2);
        assertThat(publishedCount(arn(0))).isEqualTo(2);
        assertThat(published(arn(0)).path("ReplicationStatus")).hasSize(1);

        // Replicated to a second region: LastChangedDate moves, the primary is described again.
        clock.advance(Duration.ofMinutes(15));
        fake.secrets(ACCOUNT, REGION)
                .putReplication(
                        arn(1), REPLICAS.replace("]", ",{\"Region\":\"ap-southeast-2\",\"Status\":\"InSync\"}]"));
        fake.secrets(ACCOUNT, REGION).put(entry(1, 1795000900L, 1795000000L, REGION));
        source.poll(() -> false);
        assertThat(describes()).isEqualTo(3);
        assertThat(published(arn(1)).findValuesAsText("Region")).containsExactly("eu-west-1", "ap-southeast-2");

        clock.advance(Duration.ofMinutes(15));
        source().poll(() -> false);
        assertThat(describes())
                .as("after a restart: the checkpoint says what was described")
                .isEqualTo(3);
        assertThat(publishedCount(arn(1)))
                .as("and its replicas, so nothing is published again")
                .isEqualTo(2);
    }

    @Test
    void a_refused_describe_fails_the_pass_after_the_listing_is_published_and_checkpointed() throws Exception {
        fake.secrets(ACCOUNT, REGION).put(entry(0, 1795000000L, 1795000000L, REGION));
        fake.secrets(ACCOUNT, REGION).put(entry(1, 1795000000L, 1795000000L, REGION));
        fake.secrets(ACCOUNT, REGION).putReplication(arn(1), REPLICAS);
        fake.failAlways("DescribeSecret", FakeAws.Fault.accessDenied());
        InventorySource source = source();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.poll(() -> false))
                .satisfies(e -> assertThat(AwsFailure.explain((Exception) e).message())
                        .startsWith("access denied: ")
                        .contains("secretsmanager:DescribeSecret"));
        assertThat(describes()).as("describing stops at the first refusal").isEqualTo(1);
        assertThat(publishedCount(arn(0))).isEqualTo(1);
        assertThat(publishedCount(arn(1))).isEqualTo(1);
        assertThat(published(arn(1)).has("ReplicationStatus")).isFalse();

        fake.clearFaults();
        clock.advance(Duration.ofMinutes(15));
        source.poll(() -> false);
        assertThat(describes()).as("both, not yet described").isEqualTo(3);
        assertThat(published(arn(1)).path("ReplicationStatus")).hasSize(1);
    }
}
