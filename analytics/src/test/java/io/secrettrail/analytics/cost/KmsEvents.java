package io.secrettrail.analytics.cost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * KMS requests Secrets Manager made for a secret, shaped like the AWS documentation's Decrypt record (core's test
 * resources, SOURCE.md there), with the id, time, secret and key of a test.
 */
public final class KmsEvents {
    public static final Path DOCS =
            Path.of("../core/src/test/resources/cloudtrail/awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson");
    private static final String DOC_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:test-secret-a1b2c3";
    private static final String DOC_KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private KmsEvents() {}

    public static List<String> documented() {
        try {
            return Files.readAllLines(DOCS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Decrypt for {@code secret} through {@code key} at {@code at}, in the secret's account and region. */
    public static String decrypt(String id, Instant at, String secret, String key) {
        String account = secret.split(":")[4];
        return decrypt(documented().get(1), id, at, secret, key, account, account);
    }

    /**
     * A Decrypt made by an identity of {@code caller} for {@code secret} through {@code key}, as the trail of
     * {@code recipient} logs it (a cross-account request is logged in the caller's account and the key owner's).
     */
    public static String decryptBy(String id, Instant at, String secret, String key, String caller, String recipient) {
        return decrypt(documented().get(1), id, at, secret, key, caller, recipient);
    }

    /**
     * {@code record} with the {@code sharedEventID} CloudTrail gives every copy of a request it delivers to more than
     * one account (the CloudTrail record contents reference).
     */
    public static String shared(String record, String sharedEventId) {
        return record.replace("\"eventType\": ", "\"sharedEventID\": \"" + sharedEventId + "\", \"eventType\": ");
    }

    /** One Decrypt for {@code secret} through {@code key} at each of {@code times}, ids {@code prefix-1...}. */
    public static List<String> decrypts(String prefix, List<Instant> times, String secret, String key) {
        String template = documented().get(1);
        String account = secret.split(":")[4];
        List<String> out = new java.util.ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            out.add(decrypt(template, prefix + "-" + (i + 1), times.get(i), secret, key, account, account));
        }
        return out;
    }

    private static String decrypt(
            String template, String id, Instant at, String secret, String key, String caller, String recipient) {
        String region = secret.split(":")[3];
        return template.replace("f333ec5c-7fc1-46b1-b985-cbda13719611", id)
                .replace("2018-05-31T23:36:09Z", at.toString())
                .replace(DOC_SECRET, secret)
                .replace(DOC_KEY, key)
                .replace("\"us-west-2\"", "\"" + region + "\"")
                .replace("\"recipientAccountId\": \"111122223333\"", "\"recipientAccountId\": \"" + recipient + "\"")
                .replace("111122223333", caller);
    }
}
