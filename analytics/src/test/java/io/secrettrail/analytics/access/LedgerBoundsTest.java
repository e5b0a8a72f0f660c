package io.secrettrail.analytics.access;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.dashboard.Access;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.dashboard.SecretDetail;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleFixture;
import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 item 8: 50,000 distinct user agents on one secret. Per (secret, principal) the ledger
 * lists the top ledger.topClients (20) clients by calls and one "others" row with their count, in
 * storage after compaction, on the dashboard (its API answer) and in the report's access[].
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // loaded once: compaction changes storage, never an answer checked here
class LedgerBoundsTest {
    static final Instant T0 = RuleTestBase.AS_OF.minus(Duration.ofDays(1));
    static final int SINGLES = 49_990;
    static final int HEAVY = 10;
    static final int HEAVY_CALLS = 100;
    /** The documented bound of the secret's API answer with one principal. */
    static final int MAX_SECRET_JSON = 64 * 1024;

    RuleFixture fx;

    @BeforeAll
    void load() throws Exception {
        fx = new RuleFixture();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < SINGLES; i++) {
            records.add(fx.call("GetSecretValue", T0.plusMillis(i))
                    .by("app")
                    .secret(RuleTestBase.DB)
                    .agent("aws-sdk-java/2.25.0 session-" + i)
                    .json());
        }
        for (int h = 0; h < HEAVY; h++) {
            for (int k = 0; k < HEAVY_CALLS; k++) {
                records.add(fx.call("GetSecretValue", T0.plusSeconds(3600 + h * 100 + k))
                        .by("app")
                        .secret(RuleTestBase.DB)
                        .agent("heavy-" + h)
                        .from("10.0.1." + h)
                        .json());
            }
        }
        fx.events(records);
    }

    @AfterAll
    void close() throws Exception {
        fx.close();
    }

    private Access dashboardRow() throws Exception {
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> RuleTestBase.AS_OF)) {
            List<Access> rows = new DashboardService(fx.store(), reports)
                    .access(Filters.ALL, RuleTestBase.DB, null, 1, 1000)
                    .items();
            assertThat(rows).hasSize(1);
            return rows.get(0);
        }
    }

    private void assertBounded(Access a) {
        assertThat(a.principal()).isEqualTo(role("app"));
        assertThat(a.calls()).isEqualTo(SINGLES + HEAVY * HEAVY_CALLS);
        assertThat(a.userAgents()).hasSize(20).contains("heavy-0", "heavy-9");
        assertThat(a.otherClients()).isEqualTo(SINGLES + HEAVY - 20);
        assertThat(a.otherCalls()).isEqualTo(SINGLES + HEAVY - 20);
    }

    @Test
    void the_dashboard_lists_the_top_twenty_clients_and_counts_the_others_before_and_after_compaction()
            throws Exception {
        assertBounded(dashboardRow());
        fx.store().compactRollups();
        try (Connection c = fx.reader();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*), count(*) FILTER (WHERE others > 0), sum(others), sum(calls) FROM rollup_clients"
                                + " WHERE secret_key <> ''")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .as("rows kept for the secret and principal")
                    .isEqualTo(21);
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.getLong(3)).isEqualTo(SINGLES + HEAVY - 20);
            assertThat(rs.getLong(4)).isEqualTo(SINGLES + HEAVY * HEAVY_CALLS);
        }
        assertBounded(dashboardRow());
        // a second compaction folds the others row into itself, counting each client once
        fx.store().compactRollups();
        assertBounded(dashboardRow());
    }

    @Test
    void the_secret_answer_of_the_dashboard_stays_under_its_documented_size() throws Exception {
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> RuleTestBase.AS_OF)) {
            SecretDetail d = new DashboardService(fx.store(), reports).secret(RuleTestBase.DB, Filters.ALL);
            byte[] json = new ObjectMapper().writeValueAsBytes(d);
            assertThat(json.length).isLessThan(MAX_SECRET_JSON);
            assertThat(d.principals()).singleElement().satisfies(this::assertBounded);
        }
    }

    @Test
    void the_report_ledger_lists_the_top_twenty_clients_and_counts_the_others() throws Exception {
        try (Connection c = fx.reader()) {
            List<AccessEntry> ledger = new AccessService().ledger(Snapshot.at(c, RuleTestBase.AS_OF));
            assertThat(ledger).singleElement().satisfies(a -> {
                assertThat(a.userAgents()).hasSize(20).contains("heavy-0", "heavy-9");
                assertThat(a.sourceIps()).hasSizeLessThanOrEqualTo(20);
                assertThat(a.otherClients()).isEqualTo(SINGLES + HEAVY - 20);
                assertThat(a.otherClientCalls()).isEqualTo(SINGLES + HEAVY - 20);
                assertThat(a.calls()).isEqualTo(SINGLES + HEAVY * HEAVY_CALLS);
            });
            assertThat(new AccessService(5)
                            .ledger(Snapshot.at(c, RuleTestBase.AS_OF))
                            .get(0)
                            .userAgents())
                    .hasSize(5);
        }
    }
}
