package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.core.RetryPolicy;
import io.secrettrail.core.billing.BilledLine;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The thin Cost Explorer client against the local AWS-protocol endpoint: GetCostAndUsage daily, grouped by usage
 * type and linked account, one query per region, every page followed, a throttled answer retried after a backoff.
 */
class CostExplorerClientIT {
    static final String PAYER = "999988887777";
    static final String LINKED = "123456789012";

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

    private CostExplorerClient client(int maxAttempts) {
        clients = AwsFixtures.clients(fake, Map.of());
        return new CostExplorerClient(
                fake.endpoint(),
                clients.credentials(),
                clients.http(),
                maxAttempts,
                new RetryPolicy(Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC))
                        .first(Duration.ofSeconds(1)),
                waits::add);
    }

    /** October: prod/db's storage a day at a time in us-east-1, reads in both regions, KMS requests; S3 and a credit. */
    private void october() {
        FakeAws.CostExplorerData data = fake.costExplorer();
        for (int d = 1; d <= 31; d++) {
            LocalDate day = LocalDate.of(2026, 10, d);
            data.add(
                    day,
                    LINKED,
                    "us-east-1",
                    "AWS Secrets Manager",
                    "AWSSecretsManager-Secrets",
                    "0.0129032258",
                    "0.0322580645");
            data.add(
                    day, LINKED, "us-east-1", "AWS Secrets Manager", "AWSSecretsManagerAPIRequest", "0.0000005", "0.1");
        }
        data.add(
                LocalDate.of(2026, 10, 5),
                LINKED,
                "eu-west-1",
                "AWS Secrets Manager",
                "EU-AWSSecretsManagerAPIRequest",
                "0.00005",
                "10");
        data.add(
                LocalDate.of(2026, 10, 5),
                LINKED,
                "eu-west-1",
                "AWS Key Management Service",
                "eu-west-1-KMS-Requests",
                "0.00003",
                "10");
        data.add(
                LocalDate.of(2026, 10, 5),
                LINKED,
                "us-east-1",
                "Amazon Simple Storage Service",
                "TimedStorage-ByteHrs",
                "5",
                "100");
        data.add(
                LocalDate.of(2026, 10, 6),
                LINKED,
                "us-east-1",
                "AWS Secrets Manager",
                "AWSSecretsManager-Secrets",
                "Credit",
                "-0.40",
                "0");
        data.daysPerPage(10);
    }

    @Test
    void usage_of_both_services_in_two_regions_is_read_across_pages_and_summed_per_month() throws Exception {
        october();

        List<BilledLine> lines = client(3)
                .usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of("us-east-1", "eu-west-1"))
                .lines();

        assertThat(lines)
                .extracting(BilledLine::region, BilledLine::service, BilledLine::usageType, BilledLine::usageKind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "eu-west-1", "secretsmanager", "EU-AWSSecretsManagerAPIRequest", "api-requests"),
                        org.assertj.core.groups.Tuple.tuple(
                                "eu-west-1", "kms", "eu-west-1-KMS-Requests", "kms-requests"),
                        org.assertj.core.groups.Tuple.tuple(
                                "us-east-1", "secretsmanager", "AWSSecretsManager-Secrets", "secrets"),
                        org.assertj.core.groups.Tuple.tuple(
                                "us-east-1", "secretsmanager", "AWSSecretsManagerAPIRequest", "api-requests"));
        BilledLine storage = lines.get(2);
        assertThat(storage.source()).isEqualTo("cost-explorer");
        assertThat(storage.month()).isEqualTo("2026-10");
        assertThat(storage.account()).isEqualTo(LINKED);
        assertThat(storage.lineItemType()).isEqualTo("Usage");
        assertThat(storage.resourceId()).isNull();
        // 31 days of 0.0322580645 secret-months at 0.0129032258: exact sums, the credit filtered out by RECORD_TYPE
        assertThat(storage.quantity())
                .isEqualByComparingTo(new BigDecimal("0.0322580645").multiply(BigDecimal.valueOf(31)));
        assertThat(storage.unblendedUsd())
                .isEqualByComparingTo(new BigDecimal("0.0129032258").multiply(BigDecimal.valueOf(31)));
        assertThat(lines.get(3).quantity()).isEqualByComparingTo("3.1");

        List<FakeAws.Request> calls = fake.requests("GetCostAndUsage");
        assertThat(calls).as("31 days at 10 a page, per region").hasSize(8);
        assertThat(calls)
                .allSatisfy(r ->
                        assertThat(r.region()).as("signed for ce in us-east-1").isEqualTo("us-east-1"));
        assertThat(calls.get(0).params().get("GroupBy")).contains("USAGE_TYPE").contains("LINKED_ACCOUNT");
        assertThat(calls.get(0).params().get("Granularity")).isEqualTo("DAILY");
        assertThat(calls.get(1).params()).containsKey("NextPageToken");
        assertThat(waits).isEmpty();
    }

    @Test
    void a_throttled_request_is_retried_after_a_backoff_and_the_read_completes() throws Exception {
        october();
        fake.fail("GetCostAndUsage", 1, FakeAws.Fault.of(400, "LimitExceededException", "Rate exceeded"));

        List<BilledLine> lines = client(3)
                .usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of("us-east-1"))
                .lines();

        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(fake.requests("GetCostAndUsage")).hasSize(5);
        assertThat(lines).hasSize(2);
    }

    @Test
    void throttling_past_the_attempts_or_another_error_fails_naming_cost_explorer_s_code() {
        october();
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.of(400, "LimitExceededException", "Rate exceeded"));
        CostExplorerClient c = client(3);

        assertThatThrownBy(() -> c.usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of("us-east-1")))
                .isInstanceOf(CostExplorerClient.CostExplorerException.class)
                .hasMessage("Cost Explorer said LimitExceededException (HTTP 400): Rate exceeded (after 3 attempts)");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));

        fake.clearFaults();
        waits.clear();
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.of(400, "DataUnavailableException", "Data is not available."));
        assertThatThrownBy(() -> c.usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of("us-east-1")))
                .hasMessage("Cost Explorer said DataUnavailableException (HTTP 400): Data is not available.");
        assertThat(waits).as("not retried").isEmpty();
    }

    private CostExplorerClient.Usage readOctober(CostExplorerClient c) throws Exception {
        return c.usage(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1), List.of("us-east-1"));
    }

    @Test
    void a_repeated_next_page_token_stops_the_read_with_a_clear_error_not_a_loop() {
        october();
        // every later page gives the first page's (valid) token again
        java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>();
        fake.costExplorer().rewritePages(page -> {
            if (first.get() == null) {
                first.set(page.path("NextPageToken").asText());
                return page;
            }
            return page.put("NextPageToken", first.get());
        });
        CostExplorerClient c = client(3);

        assertThatThrownBy(() -> readOctober(c))
                .isInstanceOf(CostExplorerClient.CostExplorerException.class)
                .hasMessage(
                        "Cost Explorer gave the same NextPageToken twice for us-east-1 (page 2); the read is stopped");
        // the first page, then the one that repeats its token; a token given once is followed
        assertThat(fake.requests("GetCostAndUsage")).hasSize(2);
    }

    @Test
    void a_non_json_error_body_is_retried_when_it_is_a_5xx_and_named_clearly() throws Exception {
        october();
        fake.fail(
                "GetCostAndUsage",
                1,
                FakeAws.Fault.raw(503, "text/html", "<html><body>Service Unavailable</body></html>"));
        assertThat(readOctober(client(3)).lines()).isNotEmpty();
        assertThat(waits).containsExactly(Duration.ofSeconds(1));

        fake.clearFaults();
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.raw(403, "text/html", "<html>Forbidden by proxy</html>"));
        assertThatThrownBy(() -> readOctober(client(3)))
                .hasMessage(
                        "Cost Explorer said HTTP403 (HTTP 403): a body that is not JSON: <html>Forbidden by proxy</html>");

        fake.clearFaults();
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.raw(200, "text/html", "<html>captive portal</html>"));
        assertThatThrownBy(() -> readOctober(client(3)))
                .hasMessage(
                        "Cost Explorer answered HTTP 200 with a body that is not JSON: <html>captive portal</html>");
    }

    @Test
    void a_dropped_connection_is_retried_like_a_throttle_and_fails_after_the_attempts() throws Exception {
        october();
        // one drop: the read completes (the HTTP client may itself retry a connection that gave no answer)
        fake.fail("GetCostAndUsage", 1, FakeAws.Fault.dropConnection());
        assertThat(readOctober(client(3)).lines()).isNotEmpty();

        fake.clearFaults();
        waits.clear();
        fake.failAlways("GetCostAndUsage", FakeAws.Fault.dropConnection());
        assertThatThrownBy(() -> readOctober(client(2)))
                .isInstanceOf(CostExplorerClient.CostExplorerException.class)
                .hasMessageStartingWith("Cost Explorer could not be reached: ")
                .hasMessageEndingWith(" (after 2 attempts)");
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void a_bad_amount_stops_the_read_naming_its_field() {
        october();
        fake.costExplorer().rewritePages(page -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) page.path("ResultsByTime")
                            .path(1)
                            .path("Groups")
                            .path(0)
                            .path("Metrics")
                            .path("UnblendedCost"))
                    .put("Amount", "lots");
            return page;
        });
        assertThatThrownBy(() -> readOctober(client(3)))
                .hasMessage(
                        "Cost Explorer's ResultsByTime[1].Groups[0].Metrics.UnblendedCost.Amount is not a number: lots");
    }

    @Test
    void a_result_whose_start_is_missing_or_not_a_date_is_skipped_by_name_and_page_and_the_rest_is_read()
            throws Exception {
        List<String> starts = new ArrayList<>(List.of("2026-00-01", "", "garbage"));
        starts.add(null); // missing
        october();
        CostExplorerClient client = client(3);
        for (String start : starts) {
            fake.costExplorer().rewritePages(page -> {
                // the third day of each page of ten: October 3, 13 and 23 (the fourth page holds the 31st alone)
                if (page.path("ResultsByTime").path(2).path("TimePeriod")
                        instanceof com.fasterxml.jackson.databind.node.ObjectNode period) {
                    if (start == null) {
                        period.remove("Start");
                    } else {
                        period.put("Start", start);
                    }
                }
                return page;
            });

            CostExplorerClient.Usage read = readOctober(client);

            String why = start == null ? "is missing" : "is not a date: " + start;
            assertThat(read.skipped())
                    .as(start)
                    .containsExactly(
                            "Cost Explorer's ResultsByTime[2].TimePeriod.Start " + why
                                    + " (us-east-1, page 1): the result is skipped",
                            "Cost Explorer's ResultsByTime[2].TimePeriod.Start " + why
                                    + " (us-east-1, page 2): the result is skipped",
                            "Cost Explorer's ResultsByTime[2].TimePeriod.Start " + why
                                    + " (us-east-1, page 3): the result is skipped");
            // the other 28 days are summed as usual
            assertThat(read.lines())
                    .extracting(BilledLine::usageType)
                    .containsExactly("AWSSecretsManager-Secrets", "AWSSecretsManagerAPIRequest");
            assertThat(read.lines().get(0).quantity())
                    .isEqualByComparingTo(new BigDecimal("0.0322580645").multiply(BigDecimal.valueOf(28)));
            assertThat(read.lines().get(1).quantity()).isEqualByComparingTo("2.8");
            assertThat(fake.requests("GetCostAndUsage")).as("every page read").hasSize(4);
            fake.clearRequests();
        }
    }
}
