package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.ResourcePolicy;
import io.secrettrail.core.secret.ResourcePolicyReader;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PolicyChanges;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which secrets the inventory source reads the resource policy of (GetResourcePolicy), through the real Secrets
 * Manager SDK client against the local endpoint, with a moving clock: new secrets, a moved LastChangedDate and a
 * published policy change, never every secret on every pass. Calls are counted at the endpoint.
 */
class InventoryPolicyIT extends InventoryPasses {
    static final String REGION = "eu-west-1";
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"secretsmanager:GetSecretValue\","
            + "\"Resource\":\"*\"}]}";

    PolicyChanges changes;
    EventPublisher publisher;

    static String arn(int i) {
        return arn(REGION, i);
    }

    /** A ListSecrets entry; {@code changed} its LastChangedDate in epoch seconds. */
    static String entry(int i, long changed, boolean deleted) {
        return "{\"ARN\":\"" + arn(i) + "\",\"Name\":\"prod/app-" + i + "/db\",\"LastChangedDate\":" + changed
                + ",\"CreatedDate\":1523477145.713" + (deleted ? ",\"DeletedDate\":1796000000" : "") + "}";
    }

    private InventorySource source(boolean policies) throws Exception {
        // As a restart does: the marks and the checkpoint are read again from their files.
        changes = PolicyChanges.open(dir.resolve("policy-changes.log"));
        publisher = new EventPublisher(
                producer, KafkaSettings.Topics.defaults(), new SecretResolver(index), clock, changes);
        return source(REGION, publisher, policies, false, changes);
    }

    private int calls() {
        return fake.requests("GetResourcePolicy").size();
    }

    /** The policies published on the inventory topic, in order. */
    private List<ResourcePolicy> published() {
        ResourcePolicyReader reader = new ResourcePolicyReader();
        return producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().inventory()))
                .filter(r -> r.headers().lastHeader(KafkaSettings.Headers.MESSAGE) != null
                        && new String(
                                        r.headers()
                                                .lastHeader(KafkaSettings.Headers.MESSAGE)
                                                .value(),
                                        StandardCharsets.UTF_8)
                                .equals(KafkaSettings.Headers.POLICY))
                .map(r -> {
                    try {
                        ResourcePolicy p = reader.parse(AwsFixtures.JSON.readTree(r.value()), null, "?");
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("policy:" + p.arn());
                        return p;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    /** A successful PutResourcePolicy CloudTrail record on the secret, by its name, published as a source would. */
    private void publishPolicyChange(String eventName, String secretName, String errorCode) throws Exception {
        String json =
                "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROA:x\","
                        + "\"arn\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/admin/x\",\"accountId\":\"" + ACCOUNT
                        + "\"},"
                        + "\"eventTime\":\"2026-11-21T12:20:00Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
                        + "\"eventName\":\"" + eventName + "\",\"awsRegion\":\"" + REGION
                        + "\",\"sourceIPAddress\":\"10.0.0.1\","
                        + "\"userAgent\":\"aws-cli/2\","
                        + (errorCode == null ? "" : "\"errorCode\":\"" + errorCode + "\",")
                        + "\"requestParameters\":{\"secretId\":\"" + secretName + "\"},\"responseElements\":null,"
                        + "\"eventID\":\"" + java.util.UUID.randomUUID() + "\",\"eventType\":\"AwsApiCall\","
                        + "\"recipientAccountId\":\"" + ACCOUNT + "\"}";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        publisher.event(
                new io.secrettrail.core.event.EventParser().parse(AwsFixtures.JSON.readTree(raw), raw), "trail", 1);
    }

    @Test
    void policies_are_read_for_new_secrets_then_only_on_a_moved_change_date_or_a_policy_event() throws Exception {
        for (int i = 0; i < 4; i++) {
            fake.secrets(ACCOUNT, REGION).put(entry(i, 1795000000L, i == 3));
        }
        fake.secrets(ACCOUNT, REGION).putPolicy(arn(0), POLICY);
        InventorySource source = source(true);

        source.poll(() -> false);
        assertThat(calls())
                .as("pass 1: every new secret but the one scheduled for deletion")
                .isEqualTo(3);
        assertThat(published())
                .extracting(ResourcePolicy::arn, ResourcePolicy::name, ResourcePolicy::policy, ResourcePolicy::readAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                arn(0), "prod/app-0/db", POLICY, Instant.parse("2026-11-21T12:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(
                                arn(1), "prod/app-1/db", null, Instant.parse("2026-11-21T12:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(
                                arn(2), "prod/app-2/db", null, Instant.parse("2026-11-21T12:00:00Z")));
        assertThat(published()).allMatch(p -> p.origin().equals(ResourcePolicy.FETCHED));

        clock.advance(Duration.ofMinutes(15));
        source.poll(() -> false);
        assertThat(calls()).as("pass 2: nothing changed").isEqualTo(3);

        clock.advance(Duration.ofMinutes(15));
        fake.secrets(ACCOUNT, REGION).putPolicy(arn(1), POLICY);
        fake.secrets(ACCOUNT, REGION).put(entry(1, 1795000900L, false));
        source.poll(() -> false);
        assertThat(calls()).as("LastChangedDate of one secret moved").isEqualTo(4);
        assertThat(fake.requests("GetResourcePolicy").get(3).params()).containsEntry("SecretId", arn(1));
        assertThat(published().get(3).policy()).isEqualTo(POLICY);
        assertThat(published().get(3).readAt()).isEqualTo(Instant.parse("2026-11-21T12:30:00Z"));

        clock.advance(Duration.ofMinutes(15));
        publishPolicyChange("PutResourcePolicy", "prod/app-2/db", "AccessDeniedException");
        publishPolicyChange("ValidateResourcePolicy", "prod/app-2/db", null);
        source.poll(() -> false);
        assertThat(calls())
                .as("a refused change and a validation change nothing")
                .isEqualTo(4);

        // A policy event by name, then a restart before the next pass: the mark is on disk.
        publishPolicyChange("DeleteResourcePolicy", "prod/app-2/db", null);
        InventorySource restarted = source(true);
        clock.advance(Duration.ofMinutes(15));
        restarted.poll(() -> false);
        assertThat(calls()).as("the secret a policy event named").isEqualTo(5);
        assertThat(fake.requests("GetResourcePolicy").get(4).params()).containsEntry("SecretId", arn(2));

        clock.advance(Duration.ofMinutes(15));
        source(true).poll(() -> false);
        assertThat(calls())
                .as("after a restart: the checkpoint says what was read")
                .isEqualTo(5);
    }

    @Test
    void a_failing_read_keeps_what_was_read_and_the_next_pass_reads_the_rest() throws Exception {
        for (int i = 0; i < 3; i++) {
            fake.secrets(ACCOUNT, REGION).put(entry(i, 1795000000L, false));
        }
        InventorySource source = source(true);
        // The first read succeeds, the second is refused (armed between them, where the source asks whether to stop).
        assertThatThrownBy(() -> source.poll(() -> {
                    if (calls() == 1) {
                        fake.failAlways("GetResourcePolicy", FakeAws.Fault.accessDenied());
                    }
                    return false;
                }))
                .satisfies(e -> assertThat(AwsFailure.explain((Exception) e).message())
                        .startsWith("access denied: ")
                        .contains("secretsmanager:GetResourcePolicy"));
        assertThat(calls()).isEqualTo(2);
        assertThat(published()).extracting(ResourcePolicy::arn).containsExactly(arn(0));
        fake.clearFaults();
        clock.advance(Duration.ofMinutes(15));
        source.poll(() -> false);
        assertThat(calls()).as("the two not read yet").isEqualTo(4);
        assertThat(published()).extracting(ResourcePolicy::arn).containsExactly(arn(0), arn(1), arn(2));
        clock.advance(Duration.ofMinutes(15));
        source.poll(() -> false);
        assertThat(calls()).isEqualTo(4);
    }

    @Test
    void a_secret_gone_between_listing_and_read_is_skipped_and_policies_off_reads_none() throws Exception {
        fake.secrets(ACCOUNT, REGION).put(entry(0, 1795000000L, false));
        InventorySource off = source(false);
        off.poll(() -> false);
        assertThat(calls()).isZero();

        fake.fail(
                "GetResourcePolicy",
                1,
                FakeAws.Fault.of(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
        InventorySource on = source(true);
        on.poll(() -> false);
        assertThat(calls()).isEqualTo(1);
        assertThat(published()).isEmpty();
        on.poll(() -> false);
        assertThat(calls()).as("not recorded as read: asked again").isEqualTo(2);
        assertThat(published()).extracting(ResourcePolicy::arn).containsExactly(arn(0));
    }
}
