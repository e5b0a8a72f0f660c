package io.secrettrail.ingest.aws;

import static io.secrettrail.ingest.aws.AwsFixtures.copies;
import static io.secrettrail.ingest.aws.AwsFixtures.publishedEventIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.SourceRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LookupEventsSource through the real CloudTrail SDK client against a local endpoint speaking CloudTrail's JSON protocol. */
class LookupEventsSourceIT {
    static final String ACCOUNT = "111111111111";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    final AwsFixtures.MovingClock clock = new AwsFixtures.MovingClock(NOW);
    final MockProducer<byte[], byte[]> producer = AwsFixtures.producer();
    final EventPublisher publisher = AwsFixtures.publisher(producer, new SecretIndex());
    AwsClients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    private LookupEventsSource source(Map<String, String> extra) throws Exception {
        return source(ACCOUNT, extra);
    }

    private LookupEventsSource source(String account, Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                "aws.regions",
                REGION,
                "aws.lookup.enabled",
                "true",
                "aws.lookup.backfill",
                "2d",
                "aws.lookup.window",
                "1d",
                "aws.lookup.overlap",
                "15m"));
        s.putAll(extra);
        if (clients == null) {
            clients = AwsFixtures.clients(fake, s);
        }
        AwsConfig config = AwsConfig.of(s);
        return new LookupEventsSource(
                clients.cloudTrail(account, REGION),
                account,
                REGION,
                config.lookup(),
                dir.resolve("lookup-" + account + ".log"),
                publisher,
                1 << 20,
                clock);
    }

    @Test
    void backfillsInWindowsAtTwoRequestsASecondThenPicksUpLateAndNewEventsOnce() throws Exception {
        // 130 copies of real records, one every 25 minutes from 54 hours ago: the first 15 are older than the 2-day
        // backfill.
        List<String> events =
                copies(130, 1, i -> NOW.minus(Duration.ofHours(54)).plus(Duration.ofMinutes(25L * i)));
        fake.cloudTrail(ACCOUNT, REGION).addAll(events);
        // Another service's record in the same account must not come back (the request filters on the event source).
        fake.cloudTrail(ACCOUNT, REGION).add(AwsFixtures.otherServices().get(0));
        Set<String> expected = new HashSet<>(
                events.subList(15, 130).stream().map(AwsFixtures::eventId).toList());

        LookupEventsSource source = source(Map.of());
        long read = source.poll(() -> false);

        List<String> ids = publishedEventIds(producer);
        assertThat(read).isEqualTo(115);
        assertThat(ids).hasSize(115).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        assertThat(source.completedThrough()).isEqualTo(NOW);
        List<FakeAws.Request> requests = fake.requests("LookupEvents");
        assertThat(requests.get(0).params().get("StartTime"))
                .isEqualTo(Long.toString(NOW.minus(Duration.ofDays(2)).getEpochSecond()));
        assertThat(requests.get(0).params().get("LookupAttributes"))
                .contains("EventSource")
                .contains("secretsmanager.amazonaws.com");
        assertThat(requests).hasSizeGreaterThanOrEqualTo(4); // two 1-day windows of ~58 events, 50 per page
        // The pacer spaces the sends 500 ms apart; the fake sees arrivals, which a loaded machine delays one
        // by one. So the bound is cumulative: the i-th request arrives at least (i - 1) * 500 ms after the
        // second, less a jitter allowance that does not grow with i (a pacer that lets requests through faster
        // fails). The base is the second request, not the first: the first one's arrival also carries the SDK
        // client's first connection, and a loaded run once saw the second arrive 173 ms after it, sent 500 ms later.
        for (int i = 2; i < requests.size(); i++) {
            assertThat(Duration.between(requests.get(1).at(), requests.get(i).at()))
                    .as("LookupEvents allows 2 requests per second per account and region (request %d)", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500L * (i - 1) - 200));
        }

        // Visible late (happened 5 minutes before the last pass ended) and new ones: each published once.
        String late = AwsFixtures.copy(events.get(3), "late-event-0001", NOW.minus(Duration.ofMinutes(5)));
        String fresh = AwsFixtures.copy(events.get(4), "new-event-0001", NOW.plusSeconds(30));
        fake.cloudTrail(ACCOUNT, REGION).add(late);
        fake.cloudTrail(ACCOUNT, REGION).add(fresh);
        clock.advance(Duration.ofMinutes(1));
        fake.clearRequests();
        assertThat(source.poll(() -> false)).isEqualTo(2);
        assertThat(fake.requests("LookupEvents").get(0).params().get("StartTime"))
                .isEqualTo(Long.toString(NOW.minus(Duration.ofMinutes(15)).getEpochSecond()));
        assertThat(publishedEventIds(producer))
                .hasSize(117)
                .doesNotHaveDuplicates()
                .contains("late-event-0001", "new-event-0001");

        // A restart reads its checkpoint: the events still inside the overlap are not published again.
        clock.advance(Duration.ofMinutes(1));
        LookupEventsSource restarted = source(Map.of());
        assertThat(restarted.completedThrough()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(restarted.poll(() -> false)).isZero();
        assertThat(publishedEventIds(producer)).hasSize(117);
    }

    @Test
    void aPassCutShortResumesAfterTheLastCheckpointedPage() throws Exception {
        List<String> events = copies(120, 2, i -> NOW.minus(Duration.ofMinutes(120 - i)));
        fake.cloudTrail(ACCOUNT, REGION).addAll(events);
        LookupEventsSource source = source(Map.of("aws.lookup.backfill", "3h"));
        // Stop once the first page has been asked for: its 50 events are published and checkpointed, the window is not
        // complete.
        source.poll(() -> fake.requests("LookupEvents").size() >= 1);
        assertThat(publishedEventIds(producer)).hasSize(50);
        assertThat(source.completedThrough()).isNull();

        LookupEventsSource restarted = source(Map.of("aws.lookup.backfill", "3h"));
        assertThat(restarted.poll(() -> false)).isEqualTo(70);
        assertThat(publishedEventIds(producer))
                .hasSize(120)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        events.stream().map(AwsFixtures::eventId).toList());
    }

    @Test
    void throttlingIsRetriedByTheSdkAndNothingIsPublishedTwice() throws Exception {
        List<String> events = copies(60, 3, i -> NOW.minus(Duration.ofMinutes(60 - i)));
        fake.cloudTrail(ACCOUNT, REGION).addAll(events);
        fake.fail("LookupEvents", 2, FakeAws.Fault.throttling());
        LookupEventsSource source = source(Map.of("aws.lookup.backfill", "1h"));
        assertThat(source.poll(() -> false)).isEqualTo(60);
        assertThat(fake.requests("LookupEvents")).hasSize(4); // 2 throttled + 2 pages
        assertThat(publishedEventIds(producer)).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void persistentThrottlingFailsThePassWithAClearMessageAndTheNextPassCatchesUp() throws Exception {
        fake.cloudTrail(ACCOUNT, REGION).addAll(copies(30, 4, i -> NOW.minus(Duration.ofMinutes(30 - i))));
        fake.failAlways("LookupEvents", FakeAws.Fault.throttling());
        LookupEventsSource source = source(Map.of("aws.maxAttempts", "2"));
        Exception e = catchFailure(source);
        SourceRunner.Failure f = AwsFailure.explain(e);
        assertThat(f.throttled()).isTrue();
        assertThat(f.message())
                .startsWith("throttled: ")
                .contains("ThrottlingException")
                .contains("Rate exceeded");
        assertThat(fake.requests("LookupEvents")).hasSize(2);
        assertThat(producer.history()).isEmpty();
        assertThat(source.completedThrough()).isNull();

        fake.clearFaults();
        assertThat(source.poll(() -> false)).isEqualTo(30);
        assertThat(publishedEventIds(producer)).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void expiredCredentialsAndAccessDeniedSayWhatToDo() throws Exception {
        fake.cloudTrail(ACCOUNT, REGION).addAll(copies(5, 5, i -> NOW.minus(Duration.ofMinutes(5 - i))));
        LookupEventsSource source = source(Map.of());
        fake.fail("LookupEvents", 1, FakeAws.Fault.expiredToken());
        SourceRunner.Failure expired = AwsFailure.explain(catchFailure(source));
        assertThat(expired.throttled()).isFalse();
        assertThat(expired.message())
                .startsWith("credentials expired: ")
                .contains("ExpiredTokenException")
                .contains("aws sso login");

        fake.fail("LookupEvents", 1, FakeAws.Fault.accessDenied());
        SourceRunner.Failure denied = AwsFailure.explain(catchFailure(source));
        System.out.println(expired.message() + "\n" + denied.message());
        assertThat(denied.message())
                .startsWith("access denied: ")
                .contains("AccessDeniedException")
                .contains("cloudtrail:LookupEvents");
        assertThat(producer.history()).isEmpty();

        assertThat(source.poll(() -> false)).isEqualTo(5);
    }

    @Test
    void anotherAccountIsReadThroughTheRoleAssumedThere() throws Exception {
        String other = "222222222222";
        fake.cloudTrail(other, REGION).addAll(copies(7, 6, i -> NOW.minus(Duration.ofMinutes(10 - i))));
        fake.cloudTrail(ACCOUNT, REGION).addAll(copies(3, 7, i -> NOW.minus(Duration.ofMinutes(10 - i))));
        fake.requireExternalId("arn:aws:iam::222222222222:role/SecretTrailAudit", "st-external-1");
        LookupEventsSource source = source(
                other,
                Map.of("aws.roleName", "SecretTrailAudit", "aws.externalId", "st-external-1", "aws.accounts", other));
        assertThat(source.poll(() -> false)).isEqualTo(7);
        FakeAws.Request assume = fake.requests("AssumeRole").get(0);
        assertThat(assume.params())
                .containsEntry("RoleArn", "arn:aws:iam::222222222222:role/SecretTrailAudit")
                .containsEntry("RoleSessionName", "secrettrail")
                .containsEntry("ExternalId", "st-external-1");
        assertThat(fake.requests("LookupEvents"))
                .allSatisfy(r -> assertThat(r.account()).isEqualTo(other));
        assertThat(fake.requests("LookupEvents"))
                .allSatisfy(r -> assertThat(r.accessKeyId()).startsWith("ASIA" + other));
    }

    @Test
    void aBadRecordGoesToTheDeadLetterTopicNamingPageRecordAndFieldAndTheRestIsPublished() throws Exception {
        List<String> events = copies(4, 8, i -> NOW.minus(Duration.ofMinutes(10 - i)));
        com.fasterxml.jackson.databind.node.ObjectNode badNode =
                (com.fasterxml.jackson.databind.node.ObjectNode) AwsFixtures.JSON.readTree(events.get(1));
        ((com.fasterxml.jackson.databind.node.ObjectNode) badNode.get("requestParameters")).put("secretId", 42);
        String bad = AwsFixtures.JSON.writeValueAsString(badNode);
        fake.cloudTrail(ACCOUNT, REGION).addAll(List.of(events.get(0), bad, events.get(2), events.get(3)));
        LookupEventsSource source = source(Map.of());
        assertThat(source.poll(() -> false)).isEqualTo(4);
        assertThat(publishedEventIds(producer)).hasSize(3);
        var dead = producer.history().stream()
                .filter(r -> r.topic().equals(KafkaSettings.Topics.defaults().deadLetter()))
                .toList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), KafkaSettings.Headers.FIELD)).isEqualTo("requestParameters.secretId");
        assertThat(header(dead.get(0), KafkaSettings.Headers.SOURCE))
                .startsWith("cloudtrail-lookup:111111111111/us-east-1@")
                .contains("#page1");
        assertThat(header(dead.get(0), KafkaSettings.Headers.ERROR)).contains("expected a string");
        // The rejected record is checkpointed too: the next pass does not dead-letter it again.
        clock.advance(Duration.ofMinutes(1));
        source.poll(() -> false);
        assertThat(producer.history()).hasSize(4);
    }

    private static String header(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Exception catchFailure(LookupEventsSource source) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
                    try {
                        source.poll(() -> false);
                    } catch (Exception e) {
                        caught[0] = e;
                        throw e;
                    }
                })
                .isNotNull();
        return (Exception) caught[0];
    }
}
