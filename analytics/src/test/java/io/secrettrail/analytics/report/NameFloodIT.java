package io.secrettrail.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.dashboard.UnknownNames;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.analytics.store.StoreLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5: a flood of refused calls on names that do not exist stays bounded: names
 * tracked one by one at most names.maxUnconfirmed per account and region, the rest counted as
 * unknown names; one name-probing alert per principal and none per name; no "delete it" savings.
 */
class NameFloodIT {
    @TempDir
    Path dir;

    private static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** 250,000 refused reads of random names under the launcher's default heap for analyze, in a child JVM. */
    @Test
    void a_quarter_million_refused_reads_of_random_names_fit_the_default_heap_and_stay_bounded() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("child.out");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx288m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        NameFlood.class.getName(),
                        dir.resolve("flood.duckdb").toString(),
                        "250000",
                        "5")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(9, TimeUnit.MINUTES)).as("the child finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(p.exitValue()).as(text).isZero();
        Map<String, Long> figures = figures(text);
        assertThat(figures.get("unresolved")).as(text).isLessThanOrEqualTo(StoreLimits.DEFAULT_UNCONFIRMED_NAMES);
        assertThat(figures.get("probingAlerts")).as(text).isEqualTo(5);
        assertThat(figures.get("alertsOnSecrets")).as(text).isZero();
        // name-probing and access-denied-burst, one each per principal
        assertThat(figures.get("alerts")).as(text).isLessThanOrEqualTo(2 * 5);
        assertThat(figures.get("deleteSavings")).as(text).isZero();
        assertThat(figures.get("reportBytes")).as(text).isLessThan(2_000_000);
    }

    private static Map<String, Long> figures(String text) {
        Map<String, Long> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(eq + 1).matches("\\d+")) {
                out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        return out;
    }

    @Test
    void names_past_the_cap_are_counted_not_tracked_in_the_store_the_report_and_the_dashboard() throws Exception {
        int cap = 50;
        try (EventStore store = EventStore.open(dir.resolve("capped.duckdb"), new StoreLimits(cap, 20))) {
            NameFlood.load(store, 5_000, 3, 7);
            Report r;
            try (Connection c = store.reader()) {
                assertThat(scalar(c, "SELECT count(*) FROM secret_keys")).isEqualTo(cap);
                assertThat(scalar(c, "SELECT count(DISTINCT secret_key) FROM rollup_daily WHERE secret_key <> ''"))
                        .isEqualTo(cap);
                assertThat(scalar(c, "SELECT count(DISTINCT secret_key) FROM rollup_clients WHERE secret_key <> ''"))
                        .isEqualTo(cap);
                assertThat(scalar(c, "SELECT sum(calls) FROM rollup_unknown_names"))
                        .isEqualTo(5_000 - cap);
                assertThat(scalar(c, "SELECT sum(names) FROM rollup_unknown_names"))
                        .isEqualTo(5_000 - cap);
                assertThat(scalar(c, "SELECT sum(events) FROM rollup_daily")).isEqualTo(5_000);
                r = new ReportService(c, ReportSettings.of(Map.of("names.maxUnconfirmed", String.valueOf(cap))))
                        .build(NameFlood.AS_OF, 1, 5_000, 0);
            }
            assertThat(r.secrets())
                    .hasSize(cap)
                    .allSatisfy(s -> assertThat(s.resolved()).isFalse());
            assertThat(r.unknownNames())
                    .containsExactly(new Report.UnknownNames(NameFlood.ACCOUNT, "us-east-1", 5_000 - cap, 5_000 - cap));
            assertThat(r.alerts()).extracting(Finding::rule).containsOnly("access-denied-burst", "name-probing");
            assertThat(r.alerts())
                    .filteredOn(a -> a.rule().equals("name-probing"))
                    .extracting(Finding::resource)
                    .containsExactly(NameFlood.prober(0), NameFlood.prober(1), NameFlood.prober(2));
            Finding probe = r.alerts().stream()
                    .filter(a -> a.rule().equals("name-probing"))
                    .findFirst()
                    .orElseThrow();
            assertThat(probe.evidence().counts()).containsEntry("allNames", 1667);
            assertThat(r.access()).hasSizeLessThanOrEqualTo(cap);
            assertThat(r.cost().savings()).noneMatch(s -> s.kind().equals("delete-unused"));

            try (ReportCache reports = new ReportCache(store, ReportSettings.defaults(), () -> NameFlood.AS_OF)) {
                DashboardService dashboard = new DashboardService(store, reports);
                assertThat(dashboard.status().unknownNames()).isEqualTo(new UnknownNames(5_000 - cap, 5_000 - cap));
                assertThat(dashboard
                                .secrets(Filters.ALL, null, null, null, "name", false, 1, 10)
                                .total())
                        .isEqualTo(cap);
            }

            // the same bounds when the rollups are built from the stored events
            store.rebuildRollups();
            try (Connection c = store.reader()) {
                assertThat(scalar(c, "SELECT count(*) FROM secret_keys")).isEqualTo(cap);
                assertThat(scalar(c, "SELECT sum(calls) FROM rollup_unknown_names"))
                        .isEqualTo(5_000 - cap);
                assertThat(scalar(c, "SELECT sum(names) FROM rollup_unknown_names"))
                        .isEqualTo(5_000 - cap);
            }
        }
    }

    @Test
    void a_store_reopened_keeps_counting_against_the_cap() throws Exception {
        Path db = dir.resolve("reopened.duckdb");
        try (EventStore store = EventStore.open(db, new StoreLimits(10, 20))) {
            NameFlood.load(store, 8, 1, 1);
        }
        try (EventStore store = EventStore.open(db, new StoreLimits(10, 20))) {
            NameFlood.load(store, 8, 8, 1, 2);
            try (Connection c = store.reader()) {
                assertThat(scalar(c, "SELECT count(*) FROM secret_keys")).isEqualTo(10);
                assertThat(scalar(c, "SELECT sum(names) FROM rollup_unknown_names"))
                        .isEqualTo(6);
            }
        }
    }
}
