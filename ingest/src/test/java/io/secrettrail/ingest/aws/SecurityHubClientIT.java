package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Security Hub's BatchImportFindings, signed by hand, against the local AWS-protocol endpoint: each account's
 * findings imported as that account through the role assumed there, 100 a request, throttling waited out.
 */
class SecurityHubClientIT {
    static final String REGION = "eu-west-1";
    static final String A = "222222222222";
    static final String B = "333333333333";

    final FakeAws fake = FakeAws.start();
    final List<Duration> waits = new ArrayList<>();
    AwsClients clients;

    @AfterEach
    void close() {
        if (clients != null) {
            clients.close();
        }
        fake.close();
    }

    private SecurityHubClient client(int maxAttempts) {
        clients = AwsFixtures.clients(
                fake, Map.of("aws.roleName", "SecretTrailAudit", "aws.accounts", A + "," + B, "aws.maxAttempts", "3"));
        return new SecurityHubClient(
                fake.endpoint(),
                REGION,
                account -> clients.credentialsFor(account, REGION),
                clients.http(),
                maxAttempts,
                new RetryPolicy(Clock.fixed(Instant.parse("2026-12-03T00:00:00Z"), ZoneOffset.UTC))
                        .first(Duration.ofSeconds(1)),
                waits::add);
    }

    /** A minimal ASFF finding of one account, as Security Hub requires it. */
    static ObjectNode finding(String account, String id, String state) {
        ObjectNode f = AwsFixtures.JSON.createObjectNode();
        f.put("SchemaVersion", "2018-10-08");
        f.put("Id", id);
        f.put("ProductArn", "arn:aws:securityhub:" + REGION + ":" + account + ":product/" + account + "/default");
        f.put("GeneratorId", "secrettrail/stale-rotation");
        f.put("AwsAccountId", account);
        f.putArray("Types").add("Software and Configuration Checks/AWS Security Best Practices/stale-rotation");
        f.put("CreatedAt", "2026-12-01T00:00:00Z");
        f.put("UpdatedAt", "2026-12-02T00:00:00Z");
        f.putObject("Severity").put("Label", "MEDIUM");
        f.put("Title", "Secret not rotated");
        f.put("Description", "last rotated 120 days ago");
        f.putArray("Resources")
                .addObject()
                .put("Type", "AwsSecretsManagerSecret")
                .put("Id", "arn:aws:secretsmanager:" + REGION + ":" + account + ":secret:" + id)
                .put("Partition", "aws")
                .put("Region", REGION);
        f.put("RecordState", state);
        return f;
    }

    static List<ObjectNode> findings(String account, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> finding(account, "secrettrail:stale-rotation:" + account + ":" + i, "ACTIVE"))
                .toList();
    }

    @Test
    void each_accounts_findings_are_imported_by_that_account_through_its_assumed_role_100_a_request() throws Exception {
        SecurityHubClient hub = client(3);
        assertThat(hub.importFindings(A, findings(A, 150))).isEmpty();
        assertThat(hub.importFindings(B, findings(B, 3))).isEmpty();

        List<FakeAws.Request> imports = fake.requests("BatchImportFindings");
        assertThat(imports)
                .extracting(r -> r.account() + ":" + r.params().get("FindingCount"))
                .containsExactly(A + ":100", A + ":50", B + ":3");
        assertThat(imports).allSatisfy(r -> {
            assertThat(r.region()).isEqualTo(REGION);
            assertThat(r.accessKeyId()).startsWith("ASIA"); // a role's session, not the base key
            assertThat(r.params().get("AwsAccountIds").split(",")).containsOnly(r.account());
        });
        assertThat(fake.requests("AssumeRole"))
                .extracting(r -> r.params().get("RoleArn"))
                .containsExactlyInAnyOrder(
                        "arn:aws:iam::" + A + ":role/SecretTrailAudit", "arn:aws:iam::" + B + ":role/SecretTrailAudit");
        assertThat(fake.securityHub().size(A, REGION)).isEqualTo(150);
        assertThat(fake.securityHub().size(B, REGION)).isEqualTo(3);
    }

    @Test
    void a_reimport_of_the_same_id_updates_the_finding_rather_than_adding_one() throws Exception {
        SecurityHubClient hub = client(3);
        String id = "secrettrail:bulk-retrieval:inc-1";
        hub.importFindings(A, List.of(finding(A, id, "ACTIVE")));
        ObjectNode closed = finding(A, id, "ARCHIVED");
        closed.put("UpdatedAt", "2026-12-02T01:00:00Z");
        hub.importFindings(A, List.of(closed));
        assertThat(fake.securityHub().size(A, REGION)).isEqualTo(1);
        assertThat(fake.securityHub().get(A, REGION, id).get("RecordState").asText())
                .isEqualTo("ARCHIVED");
        // a late copy of the older state (a retry that lost the race) is ignored, as Security Hub does
        assertThat(hub.importFindings(A, List.of(finding(A, id, "ACTIVE")))).isEmpty();
        assertThat(fake.securityHub().get(A, REGION, id).get("RecordState").asText())
                .isEqualTo("ARCHIVED");
    }

    @Test
    void a_throttled_request_is_retried_after_the_retry_after_it_names_then_succeeds() throws Exception {
        SecurityHubClient hub = client(3);
        fake.fail("BatchImportFindings", 1, FakeAws.Fault.tooManyRequests().withHeader("Retry-After", "7"));
        fake.fail("BatchImportFindings", 1, FakeAws.Fault.tooManyRequests());
        assertThat(hub.importFindings(A, findings(A, 2))).isEmpty();
        assertThat(fake.requests("BatchImportFindings")).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
        assertThat(fake.securityHub().size(A, REGION)).isEqualTo(2);
    }

    @Test
    void throttled_past_the_attempts_fails_as_throttled_so_the_findings_wait() {
        SecurityHubClient hub = client(2);
        fake.failAlways("BatchImportFindings", FakeAws.Fault.tooManyRequests());
        assertThatThrownBy(() -> hub.importFindings(A, findings(A, 1)))
                .isInstanceOfSatisfying(
                        SecurityHubClient.SecurityHubException.class,
                        e -> assertThat(e.throttled()).isTrue())
                .hasMessageContaining("TooManyRequestsException")
                .hasMessageContaining("after 2 attempts");
    }

    @Test
    void a_finding_of_another_account_is_refused_by_id_and_the_others_imported() throws Exception {
        SecurityHubClient hub = client(3);
        Map<String, String> refused =
                hub.importFindings(A, List.of(finding(A, "mine", "ACTIVE"), finding(B, "theirs", "ACTIVE")));
        assertThat(refused).containsOnlyKeys("theirs");
        assertThat(refused.get("theirs")).startsWith("AccessDeniedException: ");
        assertThat(fake.securityHub().get(A, REGION, "mine")).isNotNull();
    }

    @Test
    void the_fake_refuses_more_than_100_findings_and_an_unsigned_request() throws Exception {
        client(3);
        ObjectNode body = AwsFixtures.JSON.createObjectNode();
        findings(A, 101).forEach(body.putArray("Findings")::add);
        SignedPost.Answer tooMany = SignedPost.post(
                clients.http(),
                clients.credentialsFor(A, REGION),
                fake.endpoint().resolve("/findings/import"),
                Map.of("Content-Type", "application/json"),
                AwsFixtures.JSON.writeValueAsBytes(body),
                "securityhub",
                REGION,
                1 << 20);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.header("x-amzn-ErrorType")).contains("InvalidInputException");
        assertThat(fake.securityHub().size(A, REGION)).isZero();

        HttpResponse<String> unsigned = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(fake.endpoint() + "/findings/import"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"Findings\":[]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("MissingAuthenticationTokenException");
    }

    @Test
    void a_request_signed_for_another_service_is_refused() throws Exception {
        client(3);
        SignedPost.Answer a = SignedPost.post(
                clients.http(),
                clients.credentialsFor(A, REGION),
                fake.endpoint().resolve("/findings/import"),
                Map.of("Content-Type", "application/json"),
                "{\"Findings\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "ce",
                REGION,
                1 << 20);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.header("x-amzn-ErrorType")).contains("InvalidSignatureException");
    }
}
