package io.secrettrail.analytics.snapshot;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's batch_entries and read_refs on both shapes of trail: a batch with the GetSecretValue entries
 * it generated, and a batch alone (the Stratus detonation logs are filtered down to the batch call). Issue 14, §3.
 */
class ReadRefsTest extends RuleTestBase {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String A = arn("us-east-1", "app/a");
    static final String B = arn("us-east-1", "app/b");
    static final String C = arn("us-east-1", "app/c");

    private String listing(Instant at, String... arns) throws Exception {
        return fx.call("BatchGetSecretValue", at)
                .params("{\"secretIdList\":" + RuleFixtureJson.array(arns) + "}")
                .json();
    }

    private String entry(String arn, Instant at) throws Exception {
        return fx.call("GetSecretValue", at).secret(arn).json();
    }

    /** read_refs per secret: how many reads, and of which sources. */
    private Map<String, List<String>> reads(Instant asOf, long matchSeconds) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = fx.reader()) {
            Snapshot.at(c, asOf, new BatchEntryMatcher(Duration.ofSeconds(matchSeconds)));
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT arn, source FROM read_refs ORDER BY arn, source, event_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    private Map<String, List<String>> reads() throws Exception {
        return reads(AS_OF, 5);
    }

    private List<Tuple> batchEntries() throws Exception {
        List<Tuple> out = new ArrayList<>();
        try (Connection c = fx.reader()) {
            Snapshot.at(c, AS_OF);
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT entry_id, batch_id, match FROM batch_entries ORDER BY entry_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(tuple(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    @Test
    void a_batch_and_the_entries_it_generated_in_the_same_second_are_one_read_per_secret() throws Exception {
        // different request ids: tied by session, source IP, user agent and time
        fx.events(List.of(listing(T0, A, B, C), entry(A, T0), entry(B, T0), entry(C, T0)));
        assertThat(reads())
                .isEqualTo(Map.of(A, List.of("generated"), B, List.of("generated"), C, List.of("generated")));
        assertThat(batchEntries()).extracting(t -> t.toList().get(2)).containsOnly("fingerprint");
    }

    @Test
    void entries_sharing_the_batch_request_id_are_generated_however_far_apart_they_are_logged() throws Exception {
        fx.events(List.of(
                fx.call("BatchGetSecretValue", T0)
                        .request("req-1")
                        .params("{\"secretIdList\":" + RuleFixtureJson.array(A, B) + "}")
                        .json(),
                fx.call("GetSecretValue", T0.plusSeconds(30))
                        .request("req-1")
                        .secret(A)
                        .json(),
                fx.call("GetSecretValue", T0.plusSeconds(30))
                        .request("req-1")
                        .from("10.9.9.9")
                        .secret(B)
                        .json()));
        assertThat(batchEntries()).extracting(t -> t.toList().get(2)).containsExactly("request_id", "request_id");
        assertThat(reads()).isEqualTo(Map.of(A, List.of("generated"), B, List.of("generated")));
    }

    @Test
    void a_listing_batch_alone_reads_each_listed_secret_once() throws Exception {
        fx.events(List.of(listing(T0, A, B, C)));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("batch"), B, List.of("batch"), C, List.of("batch")));
        assertThat(batchEntries()).isEmpty();
    }

    @Test
    void a_direct_read_by_another_ip_in_the_same_second_stays_a_direct_read() throws Exception {
        fx.events(List.of(
                listing(T0, A, B),
                entry(A, T0),
                entry(B, T0),
                fx.call("GetSecretValue", T0).from("10.7.7.7").secret(A).json()));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("direct", "generated"), B, List.of("generated")));
        assertThat(batchEntries()).hasSize(2);
    }

    @Test
    void an_entry_with_an_error_is_no_read_and_the_batch_does_not_read_that_secret_either() throws Exception {
        fx.events(List.of(
                listing(T0, A, B),
                entry(A, T0),
                fx.call("GetSecretValue", T0)
                        .secret(B)
                        .error("AccessDeniedException", "denied")
                        .json()));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("generated")));
        assertThat(batchEntries()).hasSize(2);
    }

    @Test
    void a_failed_batch_reads_nothing() throws Exception {
        fx.events(List.of(fx.call("BatchGetSecretValue", T0)
                .params("{\"secretIdList\":" + RuleFixtureJson.array(A, B) + "}")
                .error("AccessDeniedException", "denied")
                .json()));
        assertThat(reads()).isEmpty();
    }

    @Test
    void the_match_window_is_inclusive_at_match_seconds_and_excludes_one_second_more() throws Exception {
        fx.events(List.of(listing(T0, A, B), entry(A, T0.plusSeconds(5)), entry(B, T0.plusSeconds(6))));
        // A: its entry 5 s later is the batch's; B: 6 s later is a direct read, and the batch reads B itself
        assertThat(reads()).isEqualTo(Map.of(A, List.of("generated"), B, List.of("batch", "direct")));
        assertThat(reads(AS_OF, 6)).isEqualTo(Map.of(A, List.of("generated"), B, List.of("generated")));
        assertThat(reads(AS_OF, 0)).isEqualTo(Map.of(A, List.of("batch", "direct"), B, List.of("batch", "direct")));
    }

    @Test
    void an_entry_for_a_secret_the_batch_did_not_list_is_a_direct_read() throws Exception {
        fx.events(List.of(listing(T0, A), entry(A, T0), entry(B, T0)));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("generated"), B, List.of("direct")));
    }

    @Test
    void a_filter_batch_reads_through_its_generated_entries_only() throws Exception {
        fx.events(List.of(
                fx.call("BatchGetSecretValue", T0)
                        .params("{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"team\"]}]}")
                        .json(),
                entry(A, T0),
                entry(B, T0.plusSeconds(1))));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("generated"), B, List.of("generated")));
    }

    @Test
    void another_principal_in_the_same_second_is_never_the_batch_entries() throws Exception {
        fx.events(List.of(
                listing(T0, A),
                fx.call("GetSecretValue", T0).by("other").secret(A).json()));
        assertThat(reads()).isEqualTo(Map.of(A, List.of("batch", "direct")));
    }

    @Test
    void events_after_as_of_are_not_in_the_relations() throws Exception {
        fx.events(List.of(listing(T0, A), entry(A, T0)));
        assertThat(reads(T0.minusSeconds(1), 5)).isEmpty();
        assertThat(reads(T0, 5)).isEqualTo(Map.of(A, List.of("generated")));
    }

    /** JSON arrays of strings for requestParameters. */
    static final class RuleFixtureJson {
        static String array(String... values) throws Exception {
            return io.secrettrail.core.Json.mapper().writeValueAsString(values);
        }
    }
}
