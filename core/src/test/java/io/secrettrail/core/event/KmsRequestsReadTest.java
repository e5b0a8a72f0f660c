package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the reader keeps the KMS requests Secrets Manager makes for a secret (their encryption context
 * names it in {@code SecretARN}) and still drops every other KMS record; they are never counted as Secrets
 * Manager records.
 */
class KmsRequestsReadTest {
    @TempDir
    Path dir;

    private final TrailReader reader = new TrailReader();

    private static String decrypt() {
        return Fixtures.lines("awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson")
                .get(1);
    }

    @Test
    void keeps_the_documented_generate_data_key_and_decrypt_made_for_a_secret() throws IOException {
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(
                Fixtures.path("awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson"), "kms.ndjson", sink);
        assertThat(sink.events)
                .extracting(CloudTrailEvent::eventName)
                .containsExactly("GenerateDataKey", "Decrypt", "GenerateDataKey", "Decrypt");
        assertThat(sink.events).allSatisfy(e -> {
            assertThat(e.kmsRequest()).isTrue();
            assertThat(e.secretsManager()).isFalse();
            assertThat(e.loggingChange()).isFalse();
            assertThat(e.secretIds())
                    .singleElement()
                    .satisfies(id -> assertThat(id.field()).isEqualTo(EventParser.KMS_SECRET_ARN));
        });
        assertThat(sink.events.get(1).secretIds().get(0).value())
                .isEqualTo("arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3");
        // the caller Secrets Manager acted for (the documentation's record types it IAMUser, so its ARN is the key)
        assertThat(sink.events.get(1).principal().key())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/Admin/user01");
        assertThat(r.records()).isEqualTo(4);
        assertThat(r.secretsManagerRecords()).isZero();
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void drops_kms_requests_that_name_no_secret_and_those_whose_encryption_context_has_no_secret_arn()
            throws IOException {
        String other = decrypt()
                .replace(
                        "\"encryptionContext\": {\"SecretARN\": \"arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3\", \"SecretVersionId\": \"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1\"}",
                        "\"encryptionContext\": {\"aws:s3:arn\": \"arn:aws:s3:::bucket/object\"}");
        String none = decrypt()
                .replace(
                        "\"requestParameters\": {\"encryptionContext\": {\"SecretARN\": \"arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3\", \"SecretVersionId\": \"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1\"}}",
                        "\"requestParameters\": {\"keyId\": \"alias/app\"}");
        String empty = decrypt().replaceAll("\"SecretARN\": \"[^\"]*\"", "\"SecretARN\": \"\"");
        assertThat(other).isNotEqualTo(decrypt());
        assertThat(none).isNotEqualTo(decrypt());
        assertThat(empty).contains("\"SecretARN\": \"\"");
        Collecting sink = new Collecting();
        TrailReader.Result r =
                reader.read(Fixtures.recordsFile(dir, "t.json", List.of(other, none, empty)), "t.json", sink);
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).isEmpty();
        assertThat(r.records()).isEqualTo(3);
    }

    @Test
    void keeps_only_what_secrets_manager_itself_requested_with_a_secrets_manager_arn() throws IOException {
        String doc = "arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3";
        // any IAM identity may call Decrypt itself with an encryption context of its choosing (denied calls are
        // logged too): without invokedBy it must not move a secret's key, fee or request count
        String direct = decrypt().replace(", \"invokedBy\": \"secretsmanager.amazonaws.com\"", "");
        String otherService = decrypt()
                .replace("\"invokedBy\": \"secretsmanager.amazonaws.com\"", "\"invokedBy\": \"ssm.amazonaws.com\"");
        String notAnArn = decrypt().replace(doc, "x".repeat(100_000));
        String longest = decrypt().replace(doc, doc + "x".repeat(EventParser.MAX_KMS_SECRET_ARN - doc.length()));
        String tooLong = decrypt().replace(doc, doc + "x".repeat(EventParser.MAX_KMS_SECRET_ARN - doc.length() + 1));
        assertThat(direct).isNotEqualTo(decrypt()).doesNotContain("invokedBy");
        assertThat(otherService).contains("ssm.amazonaws.com");
        Collecting sink = new Collecting();
        reader.read(
                Fixtures.recordsFile(dir, "d.json", List.of(direct, otherService, notAnArn, tooLong, longest)),
                "d.json",
                sink);
        assertThat(sink.events)
                .singleElement()
                .satisfies(e -> assertThat(e.secretIds().get(0).value()).hasSize(EventParser.MAX_KMS_SECRET_ARN));
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void a_secret_arn_that_is_not_a_string_drops_the_record_without_rejecting_it() throws IOException {
        String number = decrypt()
                .replace(
                        "\"SecretARN\": \"arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3\"",
                        "\"SecretARN\": 42");
        Collecting sink = new Collecting();
        reader.read(Fixtures.recordsFile(dir, "n.json", List.of(number)), "n.json", sink);
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void a_kms_request_that_may_carry_a_value_is_read_on_the_careful_path_and_kept_alike() throws IOException {
        // "secretString" anywhere sends a record through the copying path, which must keep it the same way
        String careful = decrypt().replace("\"readOnly\": true", "\"readOnly\": true, \"secretString\": \"x\"");
        Collecting sink = new Collecting();
        reader.read(Fixtures.recordsFile(dir, "c.json", List.of(careful)), "c.json", sink);
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.kmsRequest()).isTrue();
            assertThat(new String(e.raw(), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain("secretString");
        });
    }

    @Test
    void a_secret_arn_spelt_without_its_suffix_resolves_to_the_inventorys_canonical_arn() throws Exception {
        String doc = "arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3";
        String full = "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db-AbCdEf";
        String bare = decrypt().replace(doc, "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db");
        byte[] raw = bare.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CloudTrailEvent e =
                new EventParser().parse(io.secrettrail.core.Json.mapper().readTree(raw), raw);
        io.secrettrail.core.secret.SecretIndex index = new io.secrettrail.core.secret.SecretIndex();
        io.secrettrail.core.secret.SecretResolver resolver = new io.secrettrail.core.secret.SecretResolver(index);
        // without an inventory it stays the partial key, unresolved
        assertThat(resolver.resolve(e))
                .singleElement()
                .satisfies(r -> assertThat(r.resolved()).isFalse());
        index.addInventory(full);
        assertThat(resolver.resolve(e)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(full);
            assertThat(r.resolved()).isTrue();
        });
        // the documented record, already canonical, is its own key
        byte[] documented = decrypt().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CloudTrailEvent d =
                new EventParser().parse(io.secrettrail.core.Json.mapper().readTree(documented), documented);
        assertThat(new io.secrettrail.core.secret.SecretResolver(new io.secrettrail.core.secret.SecretIndex())
                        .resolve(d))
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(doc));
    }

    /**
     * Issue 15: a cross-account KMS request is delivered to the caller's account and the key owner's, each copy with
     * its own eventID and recipientAccountId, the same sharedEventID. The reader keeps both, each with its
     * sharedEventID in the record, so the store can count the request once.
     */
    @Test
    void keeps_both_copies_of_a_cross_account_request_with_their_shared_event_id() throws IOException {
        String caller = decrypt().replace("\"eventType\": ", "\"sharedEventID\": \"shared-1\", \"eventType\": ");
        String owner = caller.replace("f333ec5c-7fc1-46b1-b985-cbda13719611", "owner-copy")
                .replace("\"recipientAccountId\": \"111122223333\"", "\"recipientAccountId\": \"444455556666\"");
        assertThat(owner).contains("\"sharedEventID\": \"shared-1\"").contains("444455556666");
        Collecting sink = new Collecting();
        TrailReader.Result r =
                reader.read(Fixtures.recordsFile(dir, "org.json", List.of(caller, owner)), "org.json", sink);
        assertThat(sink.events)
                .extracting(CloudTrailEvent::eventId, CloudTrailEvent::accountId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("f333ec5c-7fc1-46b1-b985-cbda13719611", "111122223333"),
                        org.assertj.core.groups.Tuple.tuple("owner-copy", "444455556666"));
        assertThat(sink.events)
                .allSatisfy(e -> assertThat(io.secrettrail.core.Json.mapper()
                                .readTree(e.raw())
                                .path("sharedEventID")
                                .asText())
                        .isEqualTo("shared-1"));
        assertThat(r.secretsManagerRecords()).isZero();
        assertThat(sink.rejections).isEmpty();
    }
}
