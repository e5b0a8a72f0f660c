package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.ingest.aws.FakeAws.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class FakeAwsIT {
    private static final String ACCOUNT = "111111111111";
    private static final String TARGET = "222222222222";
    private static final String KEY = "AKIAFAKE000000000001";
    private static final String REGION = "us-east-1";
    private static final AwsCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "fake-secret"));
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeAws fake;

    @BeforeEach
    void start() {
        fake = FakeAws.start().mapKey(KEY, ACCOUNT);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    // ---- client wiring ------------------------------------------------------------------------------------------

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B wire(
            B builder, AwsCredentialsProvider creds) {
        return builder.region(Region.of(REGION))
                .credentialsProvider(creds)
                .endpointOverride(fake.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B noRetries(B builder) {
        return wire(builder, CREDS).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    private CloudTrailClient cloudTrail() {
        return wire(CloudTrailClient.builder(), CREDS).build();
    }

    private SecretsManagerClient secretsManager() {
        return wire(SecretsManagerClient.builder(), CREDS).build();
    }

    private S3Client s3() {
        return wire(S3Client.builder(), CREDS).forcePathStyle(true).build();
    }

    private StsClient sts() {
        return wire(StsClient.builder(), CREDS).build();
    }

    // ---- CloudTrail ---------------------------------------------------------------------------------------------

    private static String trailRecord(String id, Instant at, String source, String name, String arn) {
        return """
                {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:app",\
                "arn":"%s","accountId":"111111111111","accessKeyId":"ASIAEXAMPLE"},\
                "eventTime":"%s","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1",\
                "sourceIPAddress":"192.0.2.1","userAgent":"aws-sdk-java","requestParameters":{"secretId":"db"},\
                "responseElements":null,"requestID":"r-%s","eventID":"%s","readOnly":true,\
                "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111111111111"}""".formatted(arn, at, source, name, id, id);
    }

    private static LookupAttribute attribute(LookupAttributeKey key, String value) {
        return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
    }

    @Test
    void lookupEventsPaginatesNewestFirstWithinInclusiveWindow() throws IOException {
        FakeAws.CloudTrailEvents trail = fake.cloudTrail(ACCOUNT, REGION);
        String arn = "arn:aws:sts::111111111111:assumed-role/App/app-session";
        // i = -1 and i = 120 fall just outside the window; 120 events (0..119) inside it.
        for (int i = -1; i <= 120; i++) {
            trail.add(trailRecord(
                    "sm-%03d".formatted(i + 1),
                    T0.plusSeconds(60L * i),
                    "secretsmanager.amazonaws.com",
                    "GetSecretValue",
                    arn));
        }
        for (int i = 0; i < 15; i++) {
            trail.add(trailRecord(
                    "kms-%03d".formatted(i), T0.plusSeconds(60L * i + 7), "kms.amazonaws.com", "Decrypt", arn));
        }
        fake.cloudTrail(ACCOUNT, "eu-west-1")
                .add(trailRecord(
                        "other-region", T0.plusSeconds(5), "secretsmanager.amazonaws.com", "GetSecretValue", arn));

        LookupEventsRequest request = LookupEventsRequest.builder()
                .lookupAttributes(attribute(LookupAttributeKey.EVENT_SOURCE, "secretsmanager.amazonaws.com"))
                .startTime(T0)
                .endTime(T0.plusSeconds(60L * 119).plusMillis(900)) // same second as event 119: included
                .build();
        List<LookupEventsResponse> pages = new ArrayList<>();
        try (CloudTrailClient ct = cloudTrail()) {
            ct.lookupEventsPaginator(request).forEach(pages::add);
        }

        assertThat(pages).extracting(p -> p.events().size()).containsExactly(50, 50, 20);
        assertThat(pages.get(2).nextToken()).isNull();
        List<Event> events = pages.stream().flatMap(p -> p.events().stream()).toList();
        List<String> expectedIds = new ArrayList<>();
        for (int i = 119; i >= 0; i--) {
            expectedIds.add("sm-%03d".formatted(i + 1));
        }
        assertThat(events).extracting(Event::eventId).containsExactlyElementsOf(expectedIds);
        Event newest = events.get(0);
        assertThat(newest.eventTime()).isEqualTo(T0.plusSeconds(60L * 119));
        assertThat(newest.eventName()).isEqualTo("GetSecretValue");
        assertThat(newest.eventSource()).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(newest.username()).isEqualTo("app-session");
        assertThat(newest.accessKeyId()).isEqualTo("ASIAEXAMPLE");
        assertThat(newest.readOnly()).isEqualTo("true");
        assertThat(newest.resources()).isEmpty();
        JsonNode raw = JSON.readTree(newest.cloudTrailEvent());
        assertThat(raw.path("eventID").asText()).isEqualTo("sm-120");
        assertThat(raw.path("requestParameters").path("secretId").asText()).isEqualTo("db");

        List<FakeAws.Request> calls = fake.requests("LookupEvents");
        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(r -> {
            assertThat(r.account()).isEqualTo(ACCOUNT);
            assertThat(r.region()).isEqualTo(REGION);
            assertThat(r.accessKeyId()).isEqualTo(KEY);
        });
        assertThat(calls.get(0).params()).doesNotContainKey("NextToken");
        assertThat(calls.get(1).params()).containsKey("NextToken");
        assertThat(calls.get(0).params().get("StartTime")).startsWith(Long.toString(T0.getEpochSecond()));
    }

    @Test
    void lookupEventsComparesAtSecondPrecisionAndFiltersByEventName() {
        FakeAws.CloudTrailEvents trail = fake.cloudTrail(ACCOUNT, REGION);
        String arn = "arn:aws:iam::111111111111:user/alice";
        trail.add(trailRecord("a", T0, "secretsmanager.amazonaws.com", "GetSecretValue", arn));
        trail.add(trailRecord("b", T0.plusSeconds(1), "secretsmanager.amazonaws.com", "PutSecretValue", arn));
        trail.add(trailRecord("c", T0.plusSeconds(1), "secretsmanager.amazonaws.com", "GetSecretValue", arn));
        trail.add(trailRecord("d", T0.plusSeconds(2), "secretsmanager.amazonaws.com", "GetSecretValue", arn));
        try (CloudTrailClient ct = cloudTrail()) {
            // A fractional StartTime still includes events of its whole second.
            LookupEventsResponse r =
                    ct.lookupEvents(b -> b.startTime(T0.plusMillis(1500)).endTime(T0.plusSeconds(1)));
            assertThat(r.events()).extracting(Event::eventId).containsExactly("c", "b");
            assertThat(r.nextToken()).isNull();

            LookupEventsResponse byName = ct.lookupEvents(
                    b -> b.lookupAttributes(attribute(LookupAttributeKey.EVENT_NAME, "GetSecretValue")));
            assertThat(byName.events()).extracting(Event::eventId).containsExactly("d", "c", "a");
            assertThat(byName.events().get(0).username()).isEqualTo("alice");

            LookupEventsResponse paged = ct.lookupEvents(b -> b.maxResults(3));
            assertThat(paged.events()).extracting(Event::eventId).containsExactly("d", "c", "b");
            LookupEventsResponse rest = ct.lookupEvents(b -> b.maxResults(3).nextToken(paged.nextToken()));
            assertThat(rest.events()).extracting(Event::eventId).containsExactly("a");
            assertThat(rest.nextToken()).isNull();

            CloudTrailException tooMany =
                    catchThrowableOfType(CloudTrailException.class, () -> ct.lookupEvents(b -> b.maxResults(51)));
            assertThat(tooMany.awsErrorDetails().errorCode()).isEqualTo("InvalidMaxResultsException");
        }
        assertThat(fake.cloudTrail(ACCOUNT, "eu-west-1").size()).isZero();
    }

    // ---- Secrets Manager ----------------------------------------------------------------------------------------

    private static String secretEntry(int i, boolean deleted) {
        String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-%03d-AbCdEf".formatted(i);
        return """
                {"ARN":"%s","Name":"app/db-%03d","LastChangedDate":1.767225600E9,"CreatedDate":%d,\
                "Tags":[{"Key":"team","Value":"core"}],"SecretVersionsToStages":{"v1":["AWSCURRENT"]}%s}""".formatted(arn, i, 1767225600L + i, deleted ? ",\"DeletedDate\":1767312000" : "");
    }

    @Test
    void listSecretsPaginatesAndHidesPlannedDeletionsUnlessAsked() {
        FakeAws.Secrets secrets = fake.secrets(ACCOUNT, REGION);
        for (int i = 0; i < 250; i++) {
            secrets.put(secretEntry(i, i % 10 == 9)); // 25 scheduled for deletion
        }
        String removed = secrets.put(secretEntry(999, false));
        assertThat(secrets.remove(removed)).isTrue();

        try (SecretsManagerClient sm = secretsManager()) {
            List<ListSecretsResponse> live = new ArrayList<>();
            sm.listSecretsPaginator(b -> {}).forEach(live::add);
            assertThat(live).extracting(p -> p.secretList().size()).containsExactly(100, 100, 25);
            List<SecretListEntry> liveEntries =
                    live.stream().flatMap(p -> p.secretList().stream()).toList();
            assertThat(liveEntries).allSatisfy(e -> assertThat(e.deletedDate()).isNull());
            assertThat(liveEntries.get(0).name()).isEqualTo("app/db-000");
            assertThat(liveEntries.get(9).name()).isEqualTo("app/db-010");
            assertThat(liveEntries.get(0).createdDate()).isEqualTo(Instant.ofEpochSecond(1767225600L));
            assertThat(liveEntries.get(0).lastChangedDate()).isEqualTo(Instant.ofEpochSecond(1767225600L));
            assertThat(liveEntries.get(0).tags()).hasSize(1);
            assertThat(liveEntries.get(0).secretVersionsToStages()).containsEntry("v1", List.of("AWSCURRENT"));

            List<ListSecretsResponse> all = new ArrayList<>();
            sm.listSecretsPaginator(b -> b.includePlannedDeletion(true).maxResults(90))
                    .forEach(all::add);
            assertThat(all).extracting(p -> p.secretList().size()).containsExactly(90, 90, 70);
            List<SecretListEntry> allEntries =
                    all.stream().flatMap(p -> p.secretList().stream()).toList();
            assertThat(allEntries)
                    .extracting(SecretListEntry::name)
                    .doesNotHaveDuplicates()
                    .hasSize(250);
            assertThat(allEntries.get(9).deletedDate()).isEqualTo(Instant.ofEpochSecond(1767312000L));
        }
        assertThat(fake.requests("ListSecrets"))
                .hasSize(6)
                .allSatisfy(r -> assertThat(r.account()).isEqualTo(ACCOUNT));
        assertThat(fake.requests("ListSecrets").get(3).params())
                .containsEntry("IncludePlannedDeletion", "true")
                .containsEntry("MaxResults", "90");
    }

    // ---- STS ----------------------------------------------------------------------------------------------------

    @Test
    void assumedRoleCredentialsSignCallsThatLandInTheRolesAccount() {
        String roleArn = "arn:aws:iam::" + TARGET + ":role/SecretTrailReader";
        fake.requireExternalId(roleArn, "ext-42");
        fake.cloudTrail(TARGET, REGION)
                .add(trailRecord(
                        "in-target",
                        T0,
                        "secretsmanager.amazonaws.com",
                        "GetSecretValue",
                        "arn:aws:iam::222222222222:user/bob"));
        try (StsClient sts = sts();
                StsAssumeRoleCredentialsProvider role = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .refreshRequest(r -> r.roleArn(roleArn)
                                .roleSessionName("secrettrail")
                                .externalId("ext-42"))
                        .build();
                CloudTrailClient ct = wire(CloudTrailClient.builder(), role).build()) {
            assertThat(ct.lookupEvents(b -> {}).events())
                    .extracting(Event::eventId)
                    .containsExactly("in-target");
            assertThat(ct.lookupEvents(b -> {}).events()).hasSize(1); // cached credentials, no second AssumeRole
        }

        List<FakeAws.Request> assume = fake.requests("AssumeRole");
        assertThat(assume).hasSize(1);
        assertThat(assume.get(0).account()).isEqualTo(ACCOUNT);
        assertThat(assume.get(0).params())
                .containsEntry("Action", "AssumeRole")
                .containsEntry("Version", "2011-06-15")
                .containsEntry("RoleArn", roleArn)
                .containsEntry("RoleSessionName", "secrettrail")
                .containsEntry("ExternalId", "ext-42");
        List<FakeAws.Request> lookups = fake.requests("LookupEvents");
        assertThat(lookups).hasSize(2).allSatisfy(r -> {
            assertThat(r.account()).isEqualTo(TARGET);
            assertThat(r.accessKeyId()).startsWith("ASIA" + TARGET);
        });
    }

    @Test
    void assumeRoleReturnsDocumentedShapeAndEnforcesExternalIdAndExpiry() throws InterruptedException {
        String roleArn = "arn:aws:iam::" + TARGET + ":role/path/Reader";
        fake.requireExternalId(roleArn, "right");
        try (StsClient sts = noRetries(StsClient.builder()).build()) {
            StsException denied = catchThrowableOfType(
                    StsException.class,
                    () -> sts.assumeRole(
                            r -> r.roleArn(roleArn).roleSessionName("s1").externalId("wrong")));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.awsErrorDetails().errorMessage())
                    .contains("arn:aws:iam::111111111111:user/fake-user", "sts:AssumeRole", roleArn);

            Instant before = Instant.now();
            AssumeRoleResponse ok =
                    sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").externalId("right"));
            assertThat(ok.credentials().accessKeyId())
                    .startsWith("ASIA" + TARGET)
                    .hasSize(20);
            assertThat(ok.credentials().secretAccessKey()).isNotBlank();
            assertThat(ok.credentials().sessionToken()).isNotBlank();
            assertThat(ok.credentials().expiration()).isBetween(before.plusSeconds(3600), before.plusSeconds(3602));
            assertThat(ok.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + TARGET + ":assumed-role/Reader/s1");
            assertThat(ok.assumedRoleUser().assumedRoleId()).startsWith("AROA").endsWith(":s1");
            assertThat(ok.responseMetadata().requestId()).isNotBlank();
            try (StsClient asRole =
                    wire(StsClient.builder(), sessionCredentials(ok)).build()) {
                assertThat(asRole.getCallerIdentity().arn())
                        .isEqualTo(ok.assumedRoleUser().arn());
                assertThat(asRole.getCallerIdentity().account()).isEqualTo(TARGET);
            }

            // Credentials issued here stop working once expired, as AWS's do.
            fake.assumeRoleDuration(Duration.ofSeconds(1));
            AssumeRoleResponse brief =
                    sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s2").externalId("right"));
            fake.advanceStsClock(
                    Duration.between(Instant.now(), brief.credentials().expiration())
                            .plusMillis(50)); // time passes
            try (CloudTrailClient ct = wire(CloudTrailClient.builder(), sessionCredentials(brief))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build()) {
                CloudTrailException expired =
                        catchThrowableOfType(CloudTrailException.class, () -> ct.lookupEvents(b -> {}));
                assertThat(expired.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
            }
        }
    }

    private static AwsCredentialsProvider sessionCredentials(AssumeRoleResponse assumed) {
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                assumed.credentials().accessKeyId(),
                assumed.credentials().secretAccessKey(),
                assumed.credentials().sessionToken()));
    }

    // ---- S3 -----------------------------------------------------------------------------------------------------

    @Test
    void listObjectsV2GroupsByDelimiterAndContinuesAcrossPages() {
        FakeAws.S3Buckets buckets = fake.s3().maxKeys(10);
        String base = "AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/01/";
        for (int i = 0; i < 25; i++) {
            buckets.put("trail-bucket", base + "f%02d.json.gz".formatted(i), new byte[] {(byte) i});
        }
        buckets.put("trail-bucket", "AWSLogs/111111111111/CloudTrail/eu-west-1/2026/03/01/x.json.gz", new byte[1]);
        buckets.put("trail-bucket", "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/d.json.gz", new byte[1]);
        buckets.put("trail-bucket", "AWSLogs/111111111111/CloudTrail/README", new byte[3]);
        // UTF-8 byte order differs from Java's UTF-16 String order for these two.
        buckets.put("trail-bucket", "u/\uFF5E", new byte[1]);
        buckets.put("trail-bucket", "u/\uD83D\uDE00", new byte[1]);

        try (S3Client s3 = s3()) {
            ListObjectsV2Response regions = s3.listObjectsV2(b -> b.bucket("trail-bucket")
                    .prefix("AWSLogs/111111111111/CloudTrail/")
                    .delimiter("/"));
            assertThat(regions.commonPrefixes())
                    .extracting(CommonPrefix::prefix)
                    .containsExactly(
                            "AWSLogs/111111111111/CloudTrail/eu-west-1/", "AWSLogs/111111111111/CloudTrail/us-east-1/");
            assertThat(regions.contents())
                    .extracting(S3Object::key)
                    .containsExactly("AWSLogs/111111111111/CloudTrail/README");
            assertThat(regions.keyCount()).isEqualTo(3);
            assertThat(regions.isTruncated()).isFalse();

            List<ListObjectsV2Response> pages = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket("trail-bucket").prefix(base))
                    .forEach(pages::add);
            assertThat(pages).extracting(p -> p.contents().size()).containsExactly(10, 10, 5);
            assertThat(pages).extracting(ListObjectsV2Response::isTruncated).containsExactly(true, true, false);
            List<String> keys = pages.stream()
                    .flatMap(p -> p.contents().stream())
                    .map(S3Object::key)
                    .toList();
            assertThat(keys).hasSize(25).isSorted().doesNotHaveDuplicates();
            S3Object first = pages.get(0).contents().get(0);
            assertThat(first.size()).isEqualTo(1L);
            assertThat(first.eTag()).startsWith("\"").endsWith("\"").hasSize(34);
            assertThat(first.lastModified()).isNotNull();
            assertThat(first.storageClassAsString()).isEqualTo("STANDARD");

            assertThat(s3.listObjectsV2(b -> b.bucket("trail-bucket").prefix("u/"))
                            .contents())
                    .extracting(S3Object::key)
                    .containsExactly("u/\uFF5E", "u/\uD83D\uDE00");

            // Common prefixes count toward max-keys and are not repeated on the next page.
            List<String> grouped = new ArrayList<>();
            s3.listObjectsV2Paginator(
                            b -> b.bucket("trail-bucket").delimiter("/").maxKeys(1))
                    .forEach(p -> {
                        p.commonPrefixes().forEach(cp -> grouped.add(cp.prefix()));
                        p.contents().forEach(o -> grouped.add(o.key()));
                    });
            assertThat(grouped).containsExactly("AWSLogs/", "u/");
        }
        List<FakeAws.Request> lists = fake.requests("ListObjectsV2");
        assertThat(lists.get(0).params())
                .containsEntry("bucket", "trail-bucket")
                .containsEntry("list-type", "2")
                .containsEntry("delimiter", "/");
        assertThat(lists.get(2).params()).containsKey("continuation-token");
    }

    @Test
    void getObjectRoundTripsGzipBytes() {
        byte[] gz = gzip("{\"Records\":[{\"eventID\":\"x\"}]}");
        String key = "AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/01/111111111111_CloudTrail_x.json.gz";
        fake.s3().put("trail-bucket", key, gz, Instant.parse("2026-03-01T00:05:00Z"));
        try (S3Client s3 = s3()) {
            ResponseBytes<GetObjectResponse> got =
                    s3.getObjectAsBytes(b -> b.bucket("trail-bucket").key(key));
            assertThat(got.asByteArray()).isEqualTo(gz);
            assertThat(got.response().contentLength()).isEqualTo(gz.length);
            assertThat(got.response().contentType()).isEqualTo("application/octet-stream");
            assertThat(got.response().contentEncoding()).isNull();
            assertThat(got.response().eTag()).startsWith("\"");
            assertThat(got.response().lastModified()).isEqualTo(Instant.parse("2026-03-01T00:05:00Z"));

            // With checksum mode on, the fake returns S3's full-object CRC32 and the SDK validates it.
            ResponseBytes<GetObjectResponse> checked =
                    s3.getObjectAsBytes(b -> b.bucket("trail-bucket").key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(checked.asByteArray()).isEqualTo(gz);
            CRC32 crc = new CRC32();
            crc.update(gz);
            assertThat(checked.response().checksumCRC32())
                    .isEqualTo(Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(4)
                                    .putInt((int) crc.getValue())
                                    .array()));

            HeadObjectResponse head =
                    s3.headObject(b -> b.bucket("trail-bucket").key(key));
            assertThat(head.contentLength()).isEqualTo(gz.length);
            assertThat(head.eTag()).isEqualTo(got.response().eTag());

            ResponseBytes<GetObjectResponse> ranged =
                    s3.getObjectAsBytes(b -> b.bucket("trail-bucket").key(key).range("bytes=0-3"));
            assertThat(ranged.asByteArray()).isEqualTo(Arrays.copyOf(gz, 4));
            assertThat(ranged.response().contentRange()).isEqualTo("bytes 0-3/" + gz.length);

            assertThat(catchThrowableOfType(
                                    NoSuchKeyException.class,
                                    () -> s3.headObject(
                                            b -> b.bucket("trail-bucket").key("nope")))
                            .statusCode())
                    .isEqualTo(404);
            NoSuchKeyException missing = catchThrowableOfType(
                    NoSuchKeyException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("trail-bucket").key("nope")));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
        }
        assertThat(fake.requests("GetObject").get(0).params())
                .containsEntry("bucket", "trail-bucket")
                .containsEntry("key", key);
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    private static void assertError(AwsServiceException e, int status, String code) {
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    }

    @Test
    void faultsSurfaceAsTheServicesOwnErrors() {
        fake.s3().put("b", "k", new byte[] {1});
        try (CloudTrailClient ct = noRetries(CloudTrailClient.builder()).build();
                SecretsManagerClient sm =
                        noRetries(SecretsManagerClient.builder()).build();
                StsClient sts = noRetries(StsClient.builder()).build();
                S3Client s3 = noRetries(S3Client.builder()).forcePathStyle(true).build()) {
            Runnable lookup = () -> ct.lookupEvents(b -> {});
            Runnable list = () -> sm.listSecrets(b -> {});
            Runnable assume = () -> sts.assumeRole(
                    r -> r.roleArn("arn:aws:iam::" + TARGET + ":role/R").roleSessionName("s1"));
            Runnable listObjects = () -> s3.listObjectsV2(b -> b.bucket("b"));
            Runnable getObject = () -> s3.getObjectAsBytes(b -> b.bucket("b").key("k"));

            fake.fail("LookupEvents", 1, Fault.throttling());
            CloudTrailException ctThrottled = catchThrowableOfType(CloudTrailException.class, lookup::run);
            assertError(ctThrottled, 400, "ThrottlingException");
            assertThat(ctThrottled.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            assertThat(ctThrottled.isThrottlingException()).isTrue();
            lookup.run(); // consumed

            fake.fail("LookupEvents", 1, Fault.expiredToken());
            assertError(catchThrowableOfType(CloudTrailException.class, lookup::run), 400, "ExpiredTokenException");
            fake.fail("LookupEvents", 1, Fault.accessDenied());
            CloudTrailException ctDenied = catchThrowableOfType(CloudTrailException.class, lookup::run);
            assertError(ctDenied, 400, "AccessDeniedException");
            assertThat(ctDenied.awsErrorDetails().errorMessage())
                    .contains("User: arn:aws:iam::111111111111:user/fake-user", "cloudtrail:LookupEvents");

            fake.fail("ListSecrets", 2, Fault.throttling());
            assertError(catchThrowableOfType(SecretsManagerException.class, list::run), 400, "ThrottlingException");
            assertError(catchThrowableOfType(SecretsManagerException.class, list::run), 400, "ThrottlingException");
            list.run();
            fake.fail("ListSecrets", 1, Fault.accessDenied());
            SecretsManagerException smDenied = catchThrowableOfType(SecretsManagerException.class, list::run);
            assertError(smDenied, 400, "AccessDeniedException");
            assertThat(smDenied.awsErrorDetails().errorMessage()).contains("secretsmanager:ListSecrets");
            fake.fail("ListSecrets", 1, Fault.expiredToken());
            assertError(catchThrowableOfType(SecretsManagerException.class, list::run), 400, "ExpiredTokenException");

            fake.fail("AssumeRole", 1, Fault.accessDenied());
            StsException stsDenied = catchThrowableOfType(StsException.class, assume::run);
            assertError(stsDenied, 403, "AccessDenied");
            assertThat(stsDenied.awsErrorDetails().errorMessage()).contains("sts:AssumeRole");
            fake.fail("AssumeRole", 1, Fault.throttling());
            assertError(catchThrowableOfType(StsException.class, assume::run), 400, "Throttling");
            fake.fail("AssumeRole", 1, Fault.expiredToken());
            assertError(catchThrowableOfType(StsException.class, assume::run), 400, "ExpiredToken");
            assume.run();

            fake.fail("ListObjectsV2", 1, Fault.slowDown());
            S3Exception slow = catchThrowableOfType(S3Exception.class, listObjects::run);
            assertError(slow, 503, "SlowDown");
            assertThat(slow.awsErrorDetails().errorMessage()).isEqualTo("Please reduce your request rate.");
            fake.fail("GetObject", 1, Fault.throttling());
            assertError(catchThrowableOfType(S3Exception.class, getObject::run), 503, "SlowDown");
            fake.fail("GetObject", 1, Fault.expiredToken());
            assertError(catchThrowableOfType(S3Exception.class, getObject::run), 400, "ExpiredToken");
            fake.fail("GetObject", 1, Fault.accessDenied());
            S3Exception s3Denied = catchThrowableOfType(S3Exception.class, getObject::run);
            assertError(s3Denied, 403, "AccessDenied");
            assertThat(s3Denied.awsErrorDetails().errorMessage()).isEqualTo("Access Denied");
            getObject.run();

            fake.failAlways("ListObjectsV2", Fault.accessDenied());
            assertError(catchThrowableOfType(S3Exception.class, listObjects::run), 403, "AccessDenied");
            assertError(catchThrowableOfType(S3Exception.class, listObjects::run), 403, "AccessDenied");
            fake.fail("ListObjectsV2", 1, Fault.of(500, "InternalError", "boom").withHeader("Retry-After", "1"));
            assertError(catchThrowableOfType(S3Exception.class, listObjects::run), 500, "InternalError");
            fake.clearFaults();
            listObjects.run();
        }
    }

    @Test
    void unknownAccessKeysAreRejectedLikeAws() {
        AwsCredentialsProvider stranger =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "x"));
        try (CloudTrailClient ct = wire(CloudTrailClient.builder(), stranger).build();
                S3Client s3 =
                        wire(S3Client.builder(), stranger).forcePathStyle(true).build();
                StsClient sts = wire(StsClient.builder(), stranger).build()) {
            CloudTrailException ctE = catchThrowableOfType(CloudTrailException.class, () -> ct.lookupEvents(b -> {}));
            assertError(ctE, 400, "UnrecognizedClientException");
            assertThat(ctE.awsErrorDetails().errorMessage())
                    .isEqualTo("The security token included in the request is invalid.");
            assertError(
                    catchThrowableOfType(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket("b"))),
                    403,
                    "InvalidAccessKeyId");
            assertError(catchThrowableOfType(StsException.class, sts::getCallerIdentity), 403, "InvalidClientTokenId");
        }
        assertThat(fake.requests())
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(r -> assertThat(r.account()).isNull());
    }

    @Test
    void defaultRetriesAbsorbASingleThrottle() {
        fake.cloudTrail(ACCOUNT, REGION)
                .add(trailRecord(
                        "e1",
                        T0,
                        "secretsmanager.amazonaws.com",
                        "GetSecretValue",
                        "arn:aws:iam::111111111111:user/alice"));
        fake.s3().put("b", "k", new byte[] {7});
        fake.fail("LookupEvents", 1, Fault.throttling());
        fake.fail("GetObject", 1, Fault.slowDown());
        try (CloudTrailClient ct = cloudTrail();
                S3Client s3 = s3()) {
            assertThat(ct.lookupEvents(b -> {}).events()).hasSize(1);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("b").key("k")).asByteArray())
                    .containsExactly(7);
        }
        assertThat(fake.requests("LookupEvents")).hasSize(2);
        assertThat(fake.requests("GetObject")).hasSize(2);
    }

    @Test
    void retryStrategyBuilderSetsAttemptsAndBackoff() {
        fake.failAlways("ListSecrets", Fault.throttling());
        try (SecretsManagerClient sm = wire(SecretsManagerClient.builder(), CREDS)
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(4)
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))))
                .build()) {
            assertError(
                    catchThrowableOfType(SecretsManagerException.class, () -> sm.listSecrets(b -> {})),
                    400,
                    "ThrottlingException");
            assertThat(fake.requests("ListSecrets")).hasSize(4);
            fake.clearFaults().clearRequests();
            fake.fail("ListSecrets", 3, Fault.throttling());
            assertThat(sm.listSecrets(b -> {}).secretList()).isEmpty();
            assertThat(fake.requests("ListSecrets")).hasSize(4);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
