package io.secrettrail.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.CloudTrailEvent.SecretId;
import io.secrettrail.core.event.Principal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretResolverTest {
    static final String FULL = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-backup-AbC123";
    static final String LOOKALIKE = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-backup-Zz9Yy8";

    private final SecretIndex index = new SecretIndex();
    private final SecretResolver resolver = new SecretResolver(index);

    static CloudTrailEvent event(String name, SecretId... ids) {
        return new CloudTrailEvent(
                "e",
                Instant.EPOCH,
                CloudTrailEvent.SECRETS_MANAGER,
                name,
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                Principal.UNKNOWN,
                null,
                null,
                List.of(ids),
                false,
                new byte[0]);
    }

    @Test
    void a_name_with_a_line_break_keeps_its_account_region_and_name() {
        String name = "nul\u0000tab\tnl\nend";
        SecretRef ref = resolver.resolve(name, "111111111111", "us-east-1");
        assertThat(ref.account()).isEqualTo("111111111111");
        assertThat(ref.region()).isEqualTo("us-east-1");
        assertThat(ref.name()).isEqualTo(name);
        assertThat(SecretArn.parse(SecretArn.partial("us-east-1", "111111111111", "a\nb-AbC123"))
                        .orElseThrow()
                        .hasSuffixShape())
                .isTrue();
    }

    @Test
    void a_plain_name_resolves_through_the_inventory() {
        index.addInventory(FULL);
        assertThat(resolver.resolve("prod/db-backup", "111111111111", "us-east-1"))
                .isEqualTo(new SecretRef(FULL, true, "111111111111", "us-east-1", "prod/db-backup"));
    }

    @Test
    void the_same_name_in_another_account_or_region_does_not_resolve() {
        index.addInventory(FULL);
        assertThat(resolver.resolve("prod/db-backup", "222222222222", "us-east-1")
                        .resolved())
                .isFalse();
        assertThat(resolver.resolve("prod/db-backup", "111111111111", "eu-west-1")
                        .resolved())
                .isFalse();
    }

    @Test
    void a_partial_arn_resolves_through_the_inventory() {
        index.addInventory(FULL);
        assertThat(resolver.resolve("arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-backup", null, null)
                        .key())
                .isEqualTo(FULL);
    }

    @Test
    void a_partial_arn_whose_name_looks_suffixed_resolves_by_name_before_shape() {
        index.addInventory(LOOKALIKE);
        SecretRef r = resolver.resolve("arn:aws:secretsmanager:us-east-1:111111111111:secret:db-backup", null, null);
        assertThat(r.key()).isEqualTo(LOOKALIKE);
        assertThat(r.resolved()).isTrue();
    }

    @Test
    void an_unknown_name_keeps_a_stable_partial_arn_key() {
        SecretRef byName = resolver.resolve("ci+deploy=token", "111111111111", "us-east-1");
        SecretRef byPartial = resolver.resolve(
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:ci+deploy=token", "999", "eu-west-1");
        assertThat(byName).isEqualTo(byPartial);
        assertThat(byName.key()).isEqualTo("arn:aws:secretsmanager:us-east-1:111111111111:secret:ci+deploy=token");
        assertThat(byName.resolved()).isFalse();
    }

    @Test
    void a_full_arn_not_in_the_inventory_is_canonical_by_its_shape() {
        assertThat(resolver.resolve(FULL, "x", "y"))
                .isEqualTo(new SecretRef(FULL, true, "111111111111", "us-east-1", "prod/db-backup"));
    }

    @Test
    void a_full_arn_written_by_aws_teaches_the_name() {
        resolver.resolve(event(
                "DeleteSecret",
                new SecretId(FULL, "responseElements.aRN"),
                new SecretId("prod/db-backup", "requestParameters.secretId")));
        assertThat(resolver.resolve(
                        event("GetSecretValue", new SecretId("prod/db-backup", "requestParameters.secretId"))))
                .extracting(SecretRef::key)
                .containsExactly(FULL);
    }

    @Test
    void a_caller_supplied_arn_teaches_nothing() {
        resolver.resolve(event("GetSecretValue", new SecretId(FULL, "requestParameters.secretId")));
        assertThat(resolver.resolve("prod/db-backup", "111111111111", "us-east-1")
                        .resolved())
                .isFalse();
    }

    @Test
    void the_first_location_wins_for_single_secret_events() {
        index.addInventory(FULL);
        List<SecretRef> refs =
                resolver.resolve(event("RotationFailed", new SecretId(FULL, "additionalEventData.SecretId")));
        assertThat(refs).extracting(SecretRef::key).containsExactly(FULL);
    }

    @Test
    void batch_by_id_list_names_each_listed_secret_once() {
        index.addInventory(FULL);
        index.addInventory(LOOKALIKE);
        List<SecretRef> refs = resolver.resolve(event(
                "BatchGetSecretValue",
                new SecretId("prod/db-backup", "requestParameters.secretIdList"),
                new SecretId(LOOKALIKE, "requestParameters.secretIdList"),
                new SecretId(FULL, "requestParameters.secretIdList"),
                new SecretId("missing", "requestParameters.secretIdList")));
        assertThat(refs)
                .extracting(SecretRef::key)
                .containsExactly(FULL, LOOKALIKE, "arn:aws:secretsmanager:us-east-1:111111111111:secret:missing");
    }

    @Test
    void an_event_naming_no_secret_resolves_to_nothing() {
        assertThat(resolver.resolve(event("ListSecrets"))).isEmpty();
    }

    @Test
    void china_and_govcloud_regions_get_their_partition() {
        assertThat(resolver.resolve("x", "111111111111", "cn-north-1").key())
                .startsWith("arn:aws-cn:secretsmanager:cn-north-1:");
        assertThat(resolver.resolve("x", "111111111111", "us-gov-west-1").key()).startsWith("arn:aws-us-gov:");
    }
}
