package io.secrettrail.analytics.snapshot;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's batch_entries and read_refs (SQL) equal what {@link BatchEntryMatcher} (the specification)
 * computes over the same rows: on the generator's trail, the Stratus Red Team detonation logs, and a trail
 * mixing batches, their entries, direct reads and errors.
 */
class ReadRefsParityTest extends RuleTestBase {
    static final Path CORE_SAMPLES = Path.of("..", "core", "src", "test", "resources", "cloudtrail");
    static final Path GOLDEN_TRAIL = Path.of("..", "app", "src", "test", "resources", "golden", "trail");
    static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void the_generated_trail_and_the_stratus_logs_agree_with_the_matcher() throws Exception {
        try (Stream<Path> files = Files.list(GOLDEN_TRAIL)) {
            for (Path f : files.sorted().toList()) {
                assertThat(fx.load(f)).isEmpty();
            }
        }
        fx.load(CORE_SAMPLES.resolve("stratus-red-team/events.ndjson"));
        fx.load(CORE_SAMPLES.resolve("stratus-red-team/all_other_events.ndjson"));
        assertParity(5);
        assertParity(0);
    }

    @Test
    void a_mixed_trail_agrees_with_the_matcher_at_every_window() throws Exception {
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        String a = arn("us-east-1", "app/a");
        String b = arn("us-east-1", "app/b");
        String c = arn("us-east-1", "app/c");
        String list = "{\"secretIdList\":[\"" + a + "\",\"" + b + "\",\"" + c + "\"]}";
        fx.events(List.of(
                fx.call("BatchGetSecretValue", t0).params(list).json(),
                fx.call("GetSecretValue", t0).secret(a).json(),
                fx.call("GetSecretValue", t0.plusSeconds(2))
                        .secret(b)
                        .error("AccessDeniedException", "no")
                        .json(),
                fx.call("GetSecretValue", t0).from("10.1.1.1").secret(c).json(),
                // a second batch 3 s later: the entry at t0 + 3 could be either's
                fx.call("BatchGetSecretValue", t0.plusSeconds(3)).params(list).json(),
                fx.call("GetSecretValue", t0.plusSeconds(3)).secret(a).json(),
                fx.call("BatchGetSecretValue", t0.plusSeconds(60))
                        .request("shared")
                        .params("{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"x\"]}]}")
                        .json(),
                fx.call("GetSecretValue", t0.plusSeconds(90))
                        .request("shared")
                        .secret(c)
                        .json(),
                fx.call("GetSecretValue", t0.plusSeconds(61))
                        .session("other")
                        .secret(b)
                        .json(),
                fx.call("BatchGetSecretValue", t0.plusSeconds(120))
                        .params(list)
                        .error("AccessDeniedException", "no")
                        .json(),
                fx.call("GetSecretValue", t0.plusSeconds(120)).secret(a).json()));
        for (long w : new long[] {0, 1, 3, 5, 60}) {
            assertParity(w);
        }
    }

    private void assertParity(long matchSeconds) throws Exception {
        BatchEntryMatcher matcher = new BatchEntryMatcher(Duration.ofSeconds(matchSeconds));
        try (Connection c = fx.reader()) {
            Snapshot.at(c, END, matcher);
            List<ReadCall> calls = calls(c);
            List<ReadCall> entries = calls.stream().filter(ReadCall::isEntry).toList();
            List<ReadCall> batches = calls.stream().filter(ReadCall::isBatch).toList();

            Set<String> expectedEntries = new TreeSet<>();
            for (ReadCall e : entries) {
                if (e.secret() == null) {
                    continue;
                }
                batches.stream()
                        .filter(b -> matcher.match(e, b) != BatchEntryMatcher.Match.NONE)
                        .min(Comparator.comparing((ReadCall b) ->
                                        matcher.match(e, b) == BatchEntryMatcher.Match.REQUEST_ID ? 0 : 1)
                                .thenComparing(ReadCall::time)
                                .thenComparing(ReadCall::eventId))
                        .ifPresent(b -> expectedEntries.add(e.eventId() + " " + b.eventId() + " "
                                + (matcher.match(e, b) == BatchEntryMatcher.Match.REQUEST_ID
                                        ? "request_id"
                                        : "fingerprint")));
            }
            assertThat(rows(c, "SELECT entry_id || ' ' || batch_id || ' ' || match FROM batch_entries"))
                    .as("batch_entries at matchSeconds %d", matchSeconds)
                    .containsExactlyElementsOf(expectedEntries);

            Set<String> generated = new TreeSet<>();
            expectedEntries.forEach(r -> generated.add(r.substring(0, r.indexOf(' '))));
            List<String> expectedReads = new ArrayList<>();
            for (ReadCall e : entries) {
                if (e.succeeded()) {
                    for (String arn : e.secrets()) {
                        expectedReads.add(e.eventId() + " " + arn + " "
                                + (generated.contains(e.eventId()) ? "generated" : "direct"));
                    }
                }
            }
            for (ReadCall b : batches) {
                matcher.fallbackReads(b, entries).forEach(arn -> expectedReads.add(b.eventId() + " " + arn + " batch"));
            }
            assertThat(rows(c, "SELECT event_id || ' ' || arn || ' ' || source FROM read_refs"))
                    .as("read_refs at matchSeconds %d", matchSeconds)
                    .containsExactlyElementsOf(new TreeSet<>(expectedReads));
            assertThat(expectedReads).as("the trail has reads to compare").isNotEmpty();
        }
    }

    /** Every GetSecretValue and BatchGetSecretValue up to the end, as the matcher sees them. */
    private static List<ReadCall> calls(Connection c) throws SQLException {
        Map<String, ReadCall> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                        SELECT e.event_id, e.event_name, e.event_time, e.request_id, e.principal, e.session_arn,
                            e.source_ip, e.user_agent, e.error_code, list(r.arn ORDER BY r.arn) FILTER (WHERE r.arn IS NOT NULL)
                        FROM events e LEFT JOIN event_refs r USING (event_id)
                        WHERE e.event_name IN ('GetSecretValue', 'BatchGetSecretValue') AND e.event_time <= ?
                        GROUP BY ALL ORDER BY e.event_id""")) {
            ps.setObject(1, LocalDateTime.ofInstant(END, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] arns = rs.getArray(10) == null
                            ? new Object[0]
                            : (Object[]) rs.getArray(10).getArray();
                    Set<String> secrets = new TreeSet<>();
                    for (Object o : arns) {
                        secrets.add((String) o);
                    }
                    out.put(
                            rs.getString(1),
                            new ReadCall(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    secrets,
                                    Set.of()));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static Set<String> rows(Connection c, String sql) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                assertThat(out.add(rs.getString(1)))
                        .as("no duplicate row %s", rs.getString(1))
                        .isTrue();
            }
        }
        return out;
    }
}
