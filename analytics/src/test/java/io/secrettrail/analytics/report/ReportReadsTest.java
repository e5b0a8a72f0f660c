package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.KmsCost;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, §3: the per-secret {@code reads} counts each retrieval of a value once, on trails with and without
 * the GetSecretValue entries a batch generates; {@code calls} keeps its v1 meaning.
 */
class ReportReadsTest extends RuleTestBase {
    static final Path STRATUS = Path.of("..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team");
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String A = arn("us-east-1", "app/a");
    static final String B = arn("us-east-1", "app/b");

    private Report report(Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, false);
        }
    }

    private static Report.SecretSummary secret(Report r, String arn) {
        return r.secrets().stream().filter(s -> s.arn().equals(arn)).findFirst().orElseThrow();
    }

    private String batch(String... arns) throws Exception {
        return fx.call("BatchGetSecretValue", T0)
                .params("{\"secretIdList\":" + io.secrettrail.core.Json.mapper().writeValueAsString(arns) + "}")
                .json();
    }

    @Test
    void a_batch_with_its_generated_entries_reads_each_secret_once_and_calls_keep_counting_both() throws Exception {
        fx.events(List.of(
                batch(A, B),
                fx.call("GetSecretValue", T0).secret(A).json(),
                fx.call("GetSecretValue", T0.plusSeconds(1)).secret(B).json()));
        Report r = report(Map.of());
        assertThat(secret(r, A).reads()).isEqualTo(1);
        assertThat(secret(r, B).reads()).isEqualTo(1);
        assertThat(secret(r, A).calls()).isEqualTo(2);
        assertThat(secret(r, B).lastAccessed()).isEqualTo(T0.plusSeconds(1));
        assertThat(r.cost().apiCallsMonthToDate()).isEqualTo(1);
        assertThat(r.cost().assumptions())
                .isEqualTo(new io.secrettrail.analytics.cost.CostReport.Assumptions(false, 5, KmsCost.assumptions()));
    }

    @Test
    void a_batch_alone_reads_its_listed_secrets_and_its_time_is_their_last_access() throws Exception {
        fx.events(List.of(batch(A, B)));
        Report r = report(Map.of());
        assertThat(secret(r, A).reads()).isEqualTo(1);
        assertThat(secret(r, A).lastAccessed()).isEqualTo(T0);
    }

    @Test
    void entries_outside_the_match_window_are_reads_of_their_own() throws Exception {
        fx.events(List.of(
                batch(A), fx.call("GetSecretValue", T0.plusSeconds(8)).secret(A).json()));
        assertThat(secret(report(Map.of()), A).reads()).isEqualTo(2);
        Report wide = report(Map.of("batch.matchSeconds", "10", "price.batchEntriesBilled", "true"));
        assertThat(secret(wide, A).reads()).isEqualTo(1);
        assertThat(wide.cost().assumptions())
                .isEqualTo(new io.secrettrail.analytics.cost.CostReport.Assumptions(true, 10, KmsCost.assumptions()));
        assertThat(wide.cost().apiCallsMonthToDate()).isEqualTo(2);
    }

    @Test
    void errors_and_unread_secrets_read_zero() throws Exception {
        fx.events(List.of(fx.call("GetSecretValue", T0)
                .secret(A)
                .error("AccessDeniedException", "no")
                .json()));
        fx.apiCall("DescribeSecret", B, T0, null);
        Report r = report(Map.of());
        assertThat(secret(r, A).reads()).isZero();
        assertThat(secret(r, A).lastAccessed()).isNull();
        assertThat(secret(r, B).reads()).isZero();
    }

    @Test
    void the_stratus_logs_read_each_retrieved_secret_once_and_the_filter_batches_none() throws Exception {
        assertThat(fx.load(STRATUS.resolve("events.ndjson"))).isEmpty();
        assertThat(fx.load(STRATUS.resolve("all_other_events.ndjson"))).isEmpty();
        Report r = report(Map.of());
        Map<Long, Long> byReads =
                r.secrets().stream().collect(Collectors.groupingBy(Report.SecretSummary::reads, Collectors.counting()));
        // the retrieve-secrets detonation read 20 secrets once each; the batch detonation used filters only
        assertThat(byReads).containsEntry(1L, 20L);
        assertThat(r.secrets().stream().mapToLong(Report.SecretSummary::reads).sum())
                .isEqualTo(20);
    }

    @Test
    void the_json_report_carries_reads_and_the_cost_assumptions() throws Exception {
        fx.events(List.of(batch(A)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(report(Map.of()), out);
        assertThat(out.toString(StandardCharsets.UTF_8).replaceAll("\\s", ""))
                .contains("\"reads\":1")
                .contains("\"assumptions\":{\"batchEntriesBilled\":false,\"batchMatchSeconds\":5,\"kms\":");
    }
}
