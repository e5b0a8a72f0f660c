package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rollups written batch by batch equal rollups built from the stored events, before and after compaction. */
public class RollupsTest {
    static final Path SAMPLES = Path.of("..", "core", "src", "test", "resources", "cloudtrail");

    private static List<String> snapshot(Connection c) throws Exception {
        return rows(
                c,
                "SELECT day, secret_key, principal, event_name, api_call, sum(calls), sum(events), sum(errors), min(first_seen), max(last_seen) FROM rollup_daily GROUP BY ALL ORDER BY ALL",
                "SELECT hour, secret_key, event_name, sum(calls), sum(errors) FROM rollup_hourly GROUP BY ALL ORDER BY ALL",
                "SELECT secret_key, principal, source_ip, user_agent, sum(calls), sum(errors), min(first_seen), max(last_seen) FROM rollup_clients GROUP BY ALL ORDER BY ALL",
                "SELECT * FROM secret_keys ORDER BY ALL");
    }

    /** Each row of each query, its columns joined by '|'. */
    public static List<String> rows(Connection c, String... queries) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String q : queries) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(q)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        b.append(rs.getString(i)).append('|');
                    }
                    out.add(b.toString());
                }
            }
        }
        return out;
    }

    @Test
    void incremental_rollups_equal_a_rebuild_from_events_and_survive_compaction() throws Exception {
        try (RuleFixture fx = new RuleFixture()) {
            fx.load(SAMPLES.resolve("stratus-red-team/events.ndjson"));
            fx.load(SAMPLES.resolve("panther-analysis/events.ndjson"));
            // the same records again: duplicates must not count twice
            fx.load(SAMPLES.resolve("stratus-red-team/events.ndjson"));
            // a batch read naming three secrets, its copies split over two batches, and failures
            String batch = fx.call("BatchGetSecretValue", java.time.Instant.parse("2026-11-20T10:15:00Z"))
                    .by("app")
                    .params("{\"secretIdList\":[\"prod/a\",\"prod/b\",\"prod/c\"]}")
                    .json();
            fx.events(List.of(
                    batch,
                    fx.call("GetSecretValue", java.time.Instant.parse("2026-11-20T11:00:00Z"))
                            .by("intruder")
                            .secret("prod/a")
                            .error("AccessDenied", null)
                            .from("198.51.100.9")
                            .json()));
            fx.events(List.of(batch));
            List<String> incremental;
            try (Connection c = fx.reader()) {
                incremental = snapshot(c);
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT sum(events), (SELECT count(*) FROM events), sum(calls) FILTER (WHERE secret_key <> ''),"
                                        + " (SELECT count(*) FROM event_secrets) FROM rollup_daily")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2)).isPositive();
                    assertThat(rs.getLong(3)).isEqualTo(rs.getLong(4)).isPositive();
                }
            }
            assertThat(incremental).hasSizeGreaterThan(20);
            fx.store().compactRollups();
            try (Connection c = fx.reader()) {
                assertThat(snapshot(c)).isEqualTo(incremental);
            }
            fx.store().rebuildRollups();
            try (Connection c = fx.reader()) {
                assertThat(snapshot(c)).isEqualTo(incremental);
            }
        }
    }
}
