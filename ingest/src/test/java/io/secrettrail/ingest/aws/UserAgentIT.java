package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: every request SecretTrail sends to AWS carries {@code secrettrail/<version>} in its User-Agent header
 * (what CloudTrail logs as the event's userAgent), through the real SDK clients and the hand-signed Cost Explorer
 * client, as the local AWS endpoint receives them.
 */
class UserAgentIT {
    static final String ACCOUNT = "111111111111";
    static final String REGION = "eu-west-1";

    final FakeAws fake = FakeAws.start();
    AwsClients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    @Test
    void the_marker_names_the_build_version() {
        assertThat(UserAgent.marker()).matches("secrettrail/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void every_sdk_client_appends_the_marker_to_its_user_agent() throws Exception {
        clients = AwsFixtures.clients(
                fake, Map.of("aws.regions", REGION, "aws.s3.bucket", "trail", "aws.s3.pathStyle", "true"));
        fake.s3().createBucket("trail");
        clients.secretsManager(ACCOUNT, REGION).listSecrets();
        clients.cloudTrail(ACCOUNT, REGION).lookupEvents();
        clients.s3().listObjectsV2(r -> r.bucket("trail"));
        clients.sts(REGION).getCallerIdentity();

        List<FakeAws.Request> seen = fake.requests();
        assertThat(seen)
                .extracting(FakeAws.Request::operation)
                .containsExactly("ListSecrets", "LookupEvents", "ListObjectsV2", "GetCallerIdentity");
        for (FakeAws.Request r : seen) {
            // the SDK's own agent first (aws-sdk-java/2...), the marker last, separated by a space
            assertThat(r.userAgent())
                    .as(r.operation())
                    .startsWith("aws-sdk-java/")
                    .endsWith(" " + UserAgent.marker());
        }
    }

    @Test
    void the_cost_explorer_client_sends_the_marker_too() throws Exception {
        clients = AwsFixtures.clients(fake, Map.of());
        CostExplorerClient ce = new CostExplorerClient(
                fake.endpoint(),
                clients.credentials(),
                clients.http(),
                1,
                new RetryPolicy(Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC))
                        .first(Duration.ofSeconds(1)),
                d -> {});
        ce.usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of(REGION));

        assertThat(fake.requests("GetCostAndUsage"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.userAgent()).isEqualTo(UserAgent.marker()));
    }
}
