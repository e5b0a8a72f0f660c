package io.secrettrail.ingest.aws;

import static io.secrettrail.ingest.aws.AwsFixtures.copies;
import static io.secrettrail.ingest.aws.AwsFixtures.publishedEventIds;
import static io.secrettrail.ingest.aws.AwsFixtures.trailFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.SourceRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3TrailSource through the real S3 SDK client against a local endpoint speaking S3's REST-XML protocol. */
class S3TrailSourceIT {
    static final String BUCKET = "org-trail-logs";
    static final String ROOT = "trails/AWSLogs/o-exampleorgid/";
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    final AwsFixtures.MovingClock clock = new AwsFixtures.MovingClock(NOW);
    final MockProducer<byte[], byte[]> producer = AwsFixtures.producer();
    final EventPublisher publisher = AwsFixtures.publisher(producer, new SecretIndex());
    AwsClients clients;
    int files;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    private S3TrailSource source(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                "aws.s3.bucket",
                BUCKET,
                "aws.s3.prefix",
                "trails",
                "aws.s3.organizationId",
                "o-exampleorgid",
                "aws.s3.region",
                "us-east-1",
                "aws.s3.pathStyle",
                "true",
                "aws.s3.backfill",
                "2d"));
        s.putAll(extra);
        AwsConfig config = AwsConfig.of(s);
        if (clients == null) {
            clients = AwsFixtures.clients(fake, s);
        }
        return new S3TrailSource(
                clients.s3(),
                config.s3(),
                config.accounts(),
                config.regions(),
                dir.resolve("s3.log"),
                dir.resolve("tmp"),
                publisher,
                new SecretIndex(),
                1 << 20,
                clock);
    }

    /** Puts a trail file where CloudTrail would, named as CloudTrail names them; returns its Secrets Manager eventIDs. */
    private List<String> deliver(String account, String region, Instant at, List<String> records) {
        LocalDate d = LocalDate.ofInstant(at, ZoneOffset.UTC);
        String stamp = at.toString().replace("-", "").replace(":", "").substring(0, 13) + "Z";
        String key =
                ROOT + account + "/CloudTrail/" + region + "/" + d.toString().replace('-', '/') + "/" + account
                        + "_CloudTrail_" + region + "_" + stamp + "_f" + (files++) + ".json.gz";
        fake.s3().put(BUCKET, key, trailFile(records));
        return records.stream()
                .filter(r -> {
                    try {
                        return AwsFixtures.JSON
                                .readTree(r)
                                .path("eventSource")
                                .asText()
                                .equals("secretsmanager.amazonaws.com");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .map(AwsFixtures::eventId)
                .toList();
    }

    @Test
    void anOrganisationTrailIsDiscoveredBackfilledAndFollowedEachObjectOnce() throws Exception {
        fake.s3().createBucket(BUCKET).maxKeys(3); // small pages: listings continue
        Set<String> expected = new HashSet<>();
        String[] accounts = {"111111111111", "222222222222"};
        String[] regions = {"us-east-1", "eu-west-1"};
        int seed = 0;
        for (String a : accounts) {
            for (String r : regions) {
                for (int h : new int[] {1, 20, 40}) { // 1 h, 20 h and 40 h ago: inside the 2-day backfill
                    Instant at = NOW.minus(Duration.ofHours(h));
                    List<String> recs = new ArrayList<>(copies(6, ++seed, i -> at.minusSeconds(i)));
                    recs.add(AwsFixtures.otherServices().get(seed)); // another service's record in the same file
                    expected.addAll(deliver(a, r, at, recs));
                }
                deliver(
                        a,
                        r,
                        NOW.minus(Duration.ofDays(5)),
                        copies(3, 1000 + ++seed, i -> NOW.minus(Duration.ofDays(5)))); // too old
            }
        }
        // Neither digests nor another account's stray files outside /CloudTrail/ are trail files.
        fake.s3()
                .put(
                        BUCKET,
                        ROOT
                                + "111111111111/CloudTrail-Digest/us-east-1/2026/11/28/111111111111_CloudTrail-Digest_x.json.gz",
                        trailFile(copies(2, 9999, i -> NOW)));

        S3TrailSource source = source(Map.of());
        long read = source.poll(() -> false);
        assertThat(read).isEqualTo(12 * 7);
        List<String> ids = publishedEventIds(producer);
        assertThat(ids).hasSize(72).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        assertThat(fake.requests("GetObject")).hasSize(12);
        // issue 14: each object read announces its delivery under its account and region
        assertThat(producer.history().stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .filter(k -> k.startsWith(io.secrettrail.ingest.Delivery.KEY_PREFIX)))
                .hasSize(12)
                .containsOnly(
                        "delivery:111111111111:us-east-1",
                        "delivery:111111111111:eu-west-1",
                        "delivery:222222222222:us-east-1",
                        "delivery:222222222222:eu-west-1");
        assertThat(fake.requests("ListObjectsV2"))
                .anySatisfy(r -> assertThat(r.params()).containsEntry("delimiter", "/"))
                .anySatisfy(r -> assertThat(r.params().get("start-after"))
                        .isEqualTo(ROOT + "111111111111/CloudTrail/us-east-1/2026/11/26/"));

        // A new object: only it is fetched. Nothing is fetched twice.
        expected.addAll(
                deliver("222222222222", "eu-west-1", NOW.plusSeconds(60), copies(4, 77, i -> NOW.plusSeconds(60))));
        clock.advance(Duration.ofMinutes(2));
        fake.clearRequests();
        assertThat(source.poll(() -> false)).isEqualTo(4);
        assertThat(fake.requests("GetObject")).hasSize(1);

        // A restart fetches nothing it has published.
        fake.clearRequests();
        assertThat(source(Map.of()).poll(() -> false)).isZero();
        assertThat(fake.requests("GetObject")).isEmpty();
        assertThat(publishedEventIds(producer)).hasSize(76).doesNotHaveDuplicates();
        assertThat(new HashSet<>(publishedEventIds(producer))).isEqualTo(expected);
    }

    @Test
    void daysAreClosedAnHourAfterTheyEndAndTheCheckpointForgetsTheirKeys() throws Exception {
        fake.s3().createBucket(BUCKET);
        deliver(
                "111111111111",
                "us-east-1",
                NOW.minus(Duration.ofHours(30)),
                copies(2, 1, i -> NOW.minus(Duration.ofHours(30))));
        deliver(
                "111111111111",
                "us-east-1",
                NOW.minus(Duration.ofHours(1)),
                copies(2, 2, i -> NOW.minus(Duration.ofHours(1))));
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"));
        source.poll(() -> false);
        // 2026-11-26 and 11-27 ended more than an hour ago.
        assertThat(closedLines()).last().isEqualTo("closed 111111111111/us-east-1 2026-11-27");

        // A file arriving for a closed day is not read; the next day closes at 01:00, not at 00:59.
        deliver(
                "111111111111",
                "us-east-1",
                NOW.minus(Duration.ofHours(29)),
                copies(1, 3, i -> NOW.minus(Duration.ofHours(29))));
        clock.advance(Duration.ofHours(12).plusMinutes(59)); // 2026-11-29T00:59
        source.poll(() -> false);
        assertThat(closedLines()).last().isEqualTo("closed 111111111111/us-east-1 2026-11-27");
        clock.advance(Duration.ofMinutes(1)); // 01:00
        source.poll(() -> false);
        assertThat(closedLines()).last().isEqualTo("closed 111111111111/us-east-1 2026-11-28");
        assertThat(publishedEventIds(producer)).hasSize(4);
        source.poll(() -> false);
        assertThat(fake.requests("ListObjectsV2")
                        .get(fake.requests("ListObjectsV2").size() - 1)
                        .params()
                        .get("start-after"))
                .endsWith("/us-east-1/2026/11/29/");

        // Compacted, the checkpoint keeps the closed day and no key of a closed day.
        deliver(
                "111111111111",
                "us-east-1",
                NOW.plus(Duration.ofHours(14)),
                copies(1, 4, i -> NOW.plus(Duration.ofHours(14))));
        clock.advance(Duration.ofHours(1));
        source.poll(() -> false);
        source.compact();
        List<String> lines = Files.readAllLines(dir.resolve("s3.log"));
        assertThat(lines).hasSize(2).first().isEqualTo("closed 111111111111/us-east-1 2026-11-28");
        assertThat(lines.get(1)).contains("/2026/11/29/");
        fake.clearRequests();
        assertThat(source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"))
                        .poll(() -> false))
                .isZero();
        assertThat(fake.requests("GetObject")).isEmpty();
        assertThat(publishedEventIds(producer)).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void aLongBackfillClosesEachDayAsTheListingPassesItSoAStopResumesAtTheOpenDay() throws Exception {
        fake.s3().createBucket(BUCKET).maxKeys(50);
        List<String> expected = new ArrayList<>();
        for (int day = 5; day >= 1; day--) {
            for (int f = 0; f < 70; f++) { // 70 files a day: more than one batch of 64
                Instant at = NOW.minus(Duration.ofDays(day)).plusSeconds(f * 60L);
                expected.addAll(deliver("111111111111", "us-east-1", at, copies(1, day * 1000L + f, i -> at)));
            }
        }
        S3TrailSource source =
                source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1", "aws.s3.backfill", "6d"));
        // Batches: 64 + 6 (day 1 closes), 64 + 6 (day 2 closes), 64 of day 3; then the stop is seen.
        source.poll(() -> fake.requests("GetObject").size() >= 192);
        assertThat(fake.requests("GetObject")).hasSize(204);
        assertThat(closedLines()).last().isEqualTo("closed 111111111111/us-east-1 2026-11-24");
        S3TrailSource restarted =
                source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1", "aws.s3.backfill", "6d"));
        fake.clearRequests();
        restarted.poll(() -> false);
        assertThat(fake.requests("ListObjectsV2").get(0).params().get("start-after"))
                .endsWith("/us-east-1/2026/11/25/");
        assertThat(fake.requests("GetObject")).hasSize(350 - 204); // day 3's first 64 are not fetched again
        assertThat(publishedEventIds(producer))
                .hasSize(350)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void oddKeysAndOneFailingAccountDoNotStopTheOthers() throws Exception {
        fake.s3().createBucket(BUCKET);
        List<String> a = deliver(
                "111111111111",
                "us-east-1",
                NOW.minus(Duration.ofHours(2)),
                copies(2, 71, i -> NOW.minus(Duration.ofHours(2))));
        List<String> b = deliver(
                "222222222222",
                "us-east-1",
                NOW.minus(Duration.ofHours(2)),
                copies(3, 72, i -> NOW.minus(Duration.ofHours(2))));
        // No such day, and a line break: neither is a CloudTrail file, neither stops the listing.
        fake.s3().put(BUCKET, ROOT + "111111111111/CloudTrail/us-east-1/2026/11/31/README.txt", new byte[] {1});
        fake.s3()
                .put(
                        BUCKET,
                        ROOT
                                + "111111111111/CloudTrail/us-east-1/2026/11/28/b\nclosed 111111111111/us-east-1 2999-12-31\n.json.gz",
                        trailFile(copies(1, 73, i -> NOW)));
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111,222222222222", "aws.regions", "us-east-1"));
        fake.fail("ListObjectsV2", 1, FakeAws.Fault.accessDenied()); // account 1's listing is refused once
        assertThatThrownBy(() -> source.poll(() -> false))
                .satisfies(e ->
                        assertThat(AwsFailure.explain((Exception) e).message()).startsWith("access denied: "));
        assertThat(publishedEventIds(producer))
                .as("account 2 was read all the same")
                .containsExactlyInAnyOrderElementsOf(b);
        assertThat(source.poll(() -> false)).isEqualTo(2);
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(publishedEventIds(producer)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Files.readAllLines(dir.resolve("s3.log"))).noneMatch(l -> l.contains("2999"));
        assertThat(source(Map.of("aws.accounts", "111111111111,222222222222", "aws.regions", "us-east-1"))
                        .poll(() -> false))
                .isZero();
    }

    private List<String> closedLines() throws java.io.IOException {
        return Files.readAllLines(dir.resolve("s3.log")).stream()
                .filter(l -> l.startsWith("closed "))
                .toList();
    }

    @Test
    void slowDownIsRetriedAndWhenItPersistsThePassFailsWithAClearMessageLosingNothing() throws Exception {
        fake.s3().createBucket(BUCKET);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant at = NOW.minus(Duration.ofHours(i + 1));
            expected.addAll(deliver("111111111111", "us-east-1", at, copies(3, 50 + i, j -> at)));
        }
        S3TrailSource source =
                source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1", "aws.maxAttempts", "3"));
        fake.fail("GetObject", 2, FakeAws.Fault.slowDown());
        assertThat(source.poll(() -> false)).isEqualTo(9);
        assertThat(fake.requests("GetObject")).hasSize(5);
        assertThat(publishedEventIds(producer)).containsExactlyInAnyOrderElementsOf(expected);

        Instant at = NOW.plusSeconds(30);
        expected.addAll(deliver("111111111111", "us-east-1", at, copies(2, 60, j -> at)));
        fake.failAlways("GetObject", FakeAws.Fault.slowDown());
        Exception[] failure = new Exception[1];
        assertThatThrownBy(() -> {
                    try {
                        source.poll(() -> false);
                    } catch (Exception e) {
                        failure[0] = e;
                        throw e;
                    }
                })
                .isNotNull();
        SourceRunner.Failure f = AwsFailure.explain(failure[0]);
        assertThat(f.throttled()).isTrue();
        assertThat(f.message())
                .startsWith("throttled: ")
                .contains("SlowDown")
                .contains("Please reduce your request rate.");
        fake.clearFaults();
        assertThat(source.poll(() -> false)).isEqualTo(2);
        assertThat(publishedEventIds(producer)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void expiredCredentialsAndADeniedBucketAreExplained() throws Exception {
        fake.s3().createBucket(BUCKET);
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"));
        fake.fail("ListObjectsV2", 1, FakeAws.Fault.expiredToken());
        assertThat(explain(source)).startsWith("credentials expired: ").contains("ExpiredToken");
        fake.fail("ListObjectsV2", 1, FakeAws.Fault.accessDenied());
        assertThat(explain(source))
                .startsWith("access denied: ")
                .contains("AccessDenied")
                .contains("HTTP 403");
    }

    /** Issue 15 §2: the S3 source keeps the KMS requests made for a secret, and only those of KMS. */
    @Test
    void aKmsRequestMadeForASecretIsPublishedAndAnotherKmsRequestIsNot() throws Exception {
        fake.s3().createBucket(BUCKET);
        Instant at = NOW.minus(Duration.ofHours(1));
        String decrypt = java.nio.file.Files.readAllLines(io.secrettrail.ingest.KmsRequestPublishTest.DOCS)
                .get(1);
        List<String> recs = new ArrayList<>(copies(2, 7, i -> at.minusSeconds(i)));
        recs.add(AwsFixtures.copy(decrypt, "kms-for-a-secret", at));
        recs.add(AwsFixtures.copy(
                decrypt.replaceAll(
                        "\"encryptionContext\": \\{[^}]*\\}", "\"encryptionContext\": {\"aws:ebs:id\": \"vol-1\"}"),
                "kms-for-a-volume",
                at));
        List<String> sm = deliver("111111111111", "us-east-1", at, recs);
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"));
        assertThat(source.poll(() -> false)).isEqualTo(4);
        List<String> expected = new ArrayList<>(sm);
        expected.add("kms-for-a-secret");
        assertThat(publishedEventIds(producer)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aBadRecordInAnObjectIsDeadLetteredNamingTheObjectRecordAndField() throws Exception {
        fake.s3().createBucket(BUCKET);
        List<String> recs = new ArrayList<>(copies(3, 5, i -> NOW.minus(Duration.ofHours(1))));
        recs.set(1, recs.get(1).replaceFirst("\"eventTime\":\"[^\"]+\"", "\"eventTime\":\"yesterday\""));
        deliver("111111111111", "us-east-1", NOW.minus(Duration.ofHours(1)), recs);
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"));
        assertThat(source.poll(() -> false)).isEqualTo(3);
        assertThat(publishedEventIds(producer)).hasSize(2);
        var dead = producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().deadLetter()))
                .toList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), KafkaSettings.Headers.SOURCE))
                .startsWith("s3://" + BUCKET + "/" + ROOT + "111111111111/CloudTrail/");
        assertThat(header(dead.get(0), KafkaSettings.Headers.RECORD)).isEqualTo("2");
        assertThat(header(dead.get(0), KafkaSettings.Headers.FIELD)).isEqualTo("eventTime");
    }

    @Test
    void anObjectAbove8MiBIsReadThroughATemporaryFileThatIsThenRemovedAsAreOnesAKilledProcessLeft() throws Exception {
        fake.s3().createBucket(BUCKET);
        java.util.Random random = new java.util.Random(3);
        List<String> recs = new ArrayList<>();
        for (String r : copies(32, 33, i -> NOW.minus(Duration.ofHours(1)))) {
            byte[] noise = new byte[300_000];
            random.nextBytes(noise);
            com.fasterxml.jackson.databind.node.ObjectNode n =
                    (com.fasterxml.jackson.databind.node.ObjectNode) AwsFixtures.JSON.readTree(r);
            n.put("userAgent", java.util.Base64.getEncoder().encodeToString(noise)); // incompressible
            recs.add(AwsFixtures.JSON.writeValueAsString(n));
        }
        List<String> ids = deliver("111111111111", "us-east-1", NOW.minus(Duration.ofHours(1)), recs);
        assertThat(trailFile(recs).length).isGreaterThan(8 << 20);
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(dir.resolve("tmp/object-left-by-a-killed-process.gz"), new byte[] {1, 2, 3});
        S3TrailSource source = source(Map.of("aws.accounts", "111111111111", "aws.regions", "us-east-1"));
        assertThat(source.poll(() -> false)).isEqualTo(32);
        assertThat(publishedEventIds(producer)).containsExactlyInAnyOrderElementsOf(ids);
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    private String explain(S3TrailSource source) {
        try {
            source.poll(() -> false);
        } catch (Exception e) {
            return AwsFailure.explain(e).message();
        }
        throw new AssertionError("the pass should have failed");
    }

    private static String header(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
