package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.alerts.AlertLedger;
import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.SecurityHubDelivery;
import io.secrettrail.analytics.alerts.SecurityHubSettings;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.RetryPolicy;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.ingest.aws.AwsFixtures;
import io.secrettrail.ingest.aws.FakeAws;
import io.secrettrail.ingest.aws.SecurityHubClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Issue 18: alerts into AWS Security Hub end to end: the ledger over a real DuckDB file enqueues each transition,
 * the delivery imports it through the hand-signed BatchImportFindings client, as the member account each finding
 * belongs to through the role a central SecretTrail assumes there ({@code aws.roleName}), against the local
 * AWS-protocol endpoint.
 */
class SecurityHubImportIT {
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String CENTRAL = "111111111111";
    static final String A = "222222222222";
    static final String B = "333333333333";
    static final String REGION = "eu-west-1";
    static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    final FakeAws fake = FakeAws.start();
    final AwsFixtures.MovingClock clock = new AwsFixtures.MovingClock(T0);
    final List<Duration> waits = new ArrayList<>();
    AwsClients aws;

    @AfterEach
    void close() {
        if (aws != null) {
            aws.close();
        }
        fake.close();
    }

    static String secret(String account, int i) {
        return "arn:aws:secretsmanager:" + REGION + ":" + account + ":secret:app/db-" + i + "-AbCdEf";
    }

    static Finding stale(String account, int i) {
        return new Finding(
                "stale-rotation",
                "medium",
                secret(account, i),
                "alarm",
                "last rotated 120 days ago (threshold 90)",
                account,
                REGION,
                T0.minus(Duration.ofDays(30)),
                T0,
                null,
                null);
    }

    /** 150 failing posture checks in member account A, one in B. */
    static List<Finding> failing() {
        return Stream.concat(IntStream.range(0, 150).mapToObj(i -> stale(A, i)), Stream.of(stale(B, 0)))
                .toList();
    }

    private SecurityHubDelivery delivery(EventStore store, SecurityHubSettings hub) {
        fake.mapKey(KEY, CENTRAL);
        if (aws != null) {
            aws.close();
        }
        aws = new AwsClients(
                AwsConfig.of(Map.of(
                        "aws.endpoint",
                        fake.endpoint().toString(),
                        "aws.regions",
                        REGION,
                        "aws.accounts",
                        A + "," + B,
                        "aws.roleName",
                        "SecretTrailAudit")),
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")));
        // the client waits into a list: the test's clock never sleeps
        SecurityHubClient client = new SecurityHubClient(
                fake.endpoint(),
                REGION,
                account -> aws.credentialsFor(account, REGION),
                aws.http(),
                3,
                new RetryPolicy(clock).first(Duration.ofSeconds(1)),
                waits::add);
        return new SecurityHubDelivery(store, hub, SecurityHubImport.importer(client), clock);
    }

    static WebhookSettings settings() throws Exception {
        return WebhookSettings.of(
                Map.of("securityhub.enabled", "true", "securityhub.region", REGION),
                Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
    }

    @Test
    void each_member_accounts_findings_are_imported_by_that_account_100_a_request_throttling_waited_out()
            throws Exception {
        WebhookSettings hooks = settings();
        SecurityHubSettings hub =
                SecurityHubSettings.of(Map.of("securityhub.enabled", "true", "securityhub.region", REGION));
        Path file = dir.resolve("secrettrail.duckdb");
        String first = "secrettrail:stale-rotation:" + secret(A, 0);
        try (EventStore store = EventStore.open(file)) {
            AlertLedger ledger = new AlertLedger(store, hooks);
            assertThat(ledger.record(failing(), T0).enqueued()).isEqualTo(151);
            fake.fail("BatchImportFindings", 2, FakeAws.Fault.tooManyRequests());

            SecurityHubDelivery d = delivery(store, hub);
            assertThat(d.deliverDue()).isEqualTo(151);

            List<FakeAws.Request> imports = fake.requests("BatchImportFindings");
            // the first request throttled twice, then it and the rest taken: 100 + 50 as A, 1 as B
            assertThat(imports).hasSize(5);
            assertThat(waits).hasSize(2);
            assertThat(imports.subList(2, 5))
                    .extracting(r -> r.account() + ":" + r.params().get("FindingCount"))
                    .containsExactlyInAnyOrder(A + ":100", A + ":50", B + ":1");
            assertThat(imports).allSatisfy(r -> {
                assertThat(r.accessKeyId())
                        .as("a role's session, not the central key")
                        .startsWith("ASIA");
                assertThat(r.params().get("AwsAccountIds").split(",")).containsOnly(r.account());
            });
            assertThat(fake.requests("AssumeRole"))
                    .extracting(r -> r.params().get("RoleArn"))
                    .containsExactlyInAnyOrder(
                            "arn:aws:iam::" + A + ":role/SecretTrailAudit",
                            "arn:aws:iam::" + B + ":role/SecretTrailAudit");
            assertThat(fake.securityHub().size(A, REGION)).isEqualTo(150);
            assertThat(fake.securityHub().size(B, REGION)).isEqualTo(1);
            JsonNode f = fake.securityHub().get(A, REGION, first);
            assertThat(f.get("RecordState").asText()).isEqualTo("ACTIVE");
            assertThat(f.at("/Compliance/Status").asText()).isEqualTo("FAILED");
            assertThat(Deliverer.log(store, SecurityHubSettings.targetName(), 500))
                    .hasSize(151)
                    .allSatisfy(m -> assertThat(m.get("status")).isEqualTo("delivered"));

            // A's first secret is rotated: its check passes, and the same finding is archived, nothing added
            clock.advance(Duration.ofHours(1));
            fake.clearRequests();
            List<Finding> still = new ArrayList<>(failing());
            still.remove(0);
            assertThat(ledger.record(still, clock.instant()).closed()).isEqualTo(1);
            assertThat(d.deliverDue()).isEqualTo(1);
            assertThat(fake.requests("BatchImportFindings")).singleElement().satisfies(r -> {
                assertThat(r.account()).isEqualTo(A);
                assertThat(r.params().get("Ids")).isEqualTo(first);
                assertThat(r.params().get("RecordStates")).isEqualTo("ARCHIVED");
            });
            assertThat(fake.securityHub().size(A, REGION)).isEqualTo(150);
            assertThat(fake.securityHub()
                            .get(A, REGION, first)
                            .get("RecordState")
                            .asText())
                    .isEqualTo("ARCHIVED");
            assertThat(fake.securityHub()
                            .get(A, REGION, first)
                            .at("/Compliance/Status")
                            .asText())
                    .isEqualTo("PASSED");
        }
        // delivered once, across a restart too
        try (EventStore store = EventStore.open(file)) {
            fake.clearRequests();
            assertThat(delivery(store, hub).deliverDue()).isZero();
            assertThat(fake.requests("BatchImportFindings")).isEmpty();
        }
    }
}
