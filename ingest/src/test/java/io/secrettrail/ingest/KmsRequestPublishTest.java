package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §2: a KMS request Secrets Manager made for a secret goes to the events topic keyed by the secret's
 * canonical ARN (the resolver's, from its encryption context's SecretARN), like the secret's own events; a KMS
 * request made for anything else is never published.
 */
public class KmsRequestPublishTest {
    /** The AWS documentation's Decrypt (core's test resources, SOURCE.md there). */
    public static final Path DOCS =
            Path.of("../core/src/test/resources/cloudtrail/awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson");

    @Test
    void kms_requests_for_a_secret_are_keyed_by_its_canonical_arn_and_others_not_published(@TempDir Path dir)
            throws Exception {
        String decrypt = Files.readAllLines(DOCS).get(1);
        String doc = "arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3";
        String canonical = "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db-AbCdEf";
        String bare = decrypt.replace(doc, "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db")
                .replace("f333ec5c-7fc1-46b1-b985-cbda13719611", "bare");
        String ebs = decrypt.replaceAll(
                        "\"encryptionContext\": \\{[^}]*\\}", "\"encryptionContext\": {\"aws:ebs:id\": \"vol-1\"}")
                .replace("f333ec5c-7fc1-46b1-b985-cbda13719611", "ebs");
        Path file = dir.resolve("trail.ndjson");
        Files.write(file, List.of(decrypt, bare, ebs));
        SecretIndex index = new SecretIndex();
        index.addInventory(canonical);
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer, KafkaSettings.Topics.defaults(), new SecretResolver(index), java.time.Clock.systemUTC());
        TrailReader.Result read = ReadAndPublish.file(file, publisher);
        assertThat(producer.history())
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly(doc, canonical);
        assertThat(producer.history()).allSatisfy((ProducerRecord<byte[], byte[]> r) -> {
            assertThat(r.topic()).isEqualTo(KafkaSettings.Topics.defaults().events());
            assertThat(new String(
                            r.headers().lastHeader(KafkaSettings.Headers.SECRET).value(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(r.key(), StandardCharsets.UTF_8));
        });
        // none of them is a Secrets Manager record
        assertThat(read.secretsManagerRecords()).isZero();
        assertThat(read.records()).isEqualTo(3);
    }
}
