package io.secrettrail.analytics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.snapshot.BatchEntryMatcher.Match;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The caller, client and time are those of the first BatchGetSecretValue of Stratus Red Team's
 * secretsmanager-batch-retrieve-secrets detonation log (Apache-2.0); that trail holds no generated entries, so
 * the entries here are written the way AWS's API reference says they are logged: one GetSecretValue per secret.
 */
class BatchEntryMatcherTest {
    static final String PRINCIPAL = "arn:aws:iam::165109126369:user/christophe";
    static final String IP = "88.223.251.255";
    static final String AGENT = "stratus-red-team_0a05817a-84d2-40d7-afde-8311715b1ee6";
    static final String REQUEST = "d493c657-4004-4105-81f0-8f468ba0c9b3";
    static final Instant AT = Instant.parse("2024-07-31T12:29:17Z");
    static final String A = "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:stratus-a-AbCdEf";
    static final String B = "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:stratus-b-GhIjKl";
    static final String C = "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:stratus-c-MnOpQr";

    final BatchEntryMatcher matcher = BatchEntryMatcher.defaults();

    static ReadCall batch(Set<String> listed, Set<String> failed, String errorCode) {
        return new ReadCall(
                "b-1", "BatchGetSecretValue", AT, REQUEST, PRINCIPAL, null, IP, AGENT, errorCode, listed, failed);
    }

    static ReadCall filterBatch() {
        return batch(Set.of(), Set.of(), null);
    }

    static ReadCall entry(String secret, Instant time, String requestId) {
        return new ReadCall(
                "e-" + secret.hashCode() + time,
                "GetSecretValue",
                time,
                requestId,
                PRINCIPAL,
                null,
                IP,
                AGENT,
                null,
                Set.of(secret),
                Set.of());
    }

    static ReadCall withSession(ReadCall c, String session) {
        return new ReadCall(
                c.eventId(),
                c.eventName(),
                c.time(),
                c.requestId(),
                c.principal(),
                session,
                c.sourceIp(),
                c.userAgent(),
                c.errorCode(),
                c.secrets(),
                c.failedSecrets());
    }

    static ReadCall withIp(ReadCall c, String ip) {
        return new ReadCall(
                c.eventId(),
                c.eventName(),
                c.time(),
                c.requestId(),
                c.principal(),
                c.session(),
                ip,
                c.userAgent(),
                c.errorCode(),
                c.secrets(),
                c.failedSecrets());
    }

    static ReadCall withError(ReadCall c, String errorCode) {
        return new ReadCall(
                c.eventId(),
                c.eventName(),
                c.time(),
                c.requestId(),
                c.principal(),
                c.session(),
                c.sourceIp(),
                c.userAgent(),
                errorCode,
                c.secrets(),
                c.failedSecrets());
    }

    static ReadCall withPrincipal(ReadCall c, String principal) {
        return new ReadCall(
                c.eventId(),
                c.eventName(),
                c.time(),
                c.requestId(),
                principal,
                c.session(),
                c.sourceIp(),
                c.userAgent(),
                c.errorCode(),
                c.secrets(),
                c.failedSecrets());
    }

    // --- generated or direct

    @Test
    void entry_with_the_batchs_request_id_is_generated_whatever_its_time() {
        ReadCall late = withIp(entry(A, AT.plusSeconds(60), REQUEST), "10.0.0.1");
        assertThat(matcher.match(late, batch(Set.of(A, B), Set.of(), null))).isEqualTo(Match.REQUEST_ID);
    }

    @Test
    void entry_with_the_same_client_in_the_same_second_is_generated_though_its_request_id_differs() {
        ReadCall e = entry(A, AT, "another-request-id");
        assertThat(matcher.match(e, batch(Set.of(A, B), Set.of(), null))).isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void entry_without_a_request_id_matches_by_fingerprint() {
        assertThat(matcher.match(entry(A, AT, null), filterBatch())).isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void fingerprint_matches_at_4_99_seconds() {
        assertThat(matcher.match(entry(A, AT.plusMillis(4_990), null), filterBatch()))
                .isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void fingerprint_matches_at_exactly_5_seconds_both_ends_inclusive() {
        assertThat(matcher.match(entry(A, AT.plusSeconds(5), null), filterBatch()))
                .isEqualTo(Match.FINGERPRINT);
        assertThat(matcher.match(entry(A, AT.minusSeconds(5), null), filterBatch()))
                .isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void fingerprint_does_not_match_at_5_01_seconds() {
        assertThat(matcher.match(entry(A, AT.plusMillis(5_010), null), filterBatch()))
                .isEqualTo(Match.NONE);
        assertThat(matcher.match(entry(A, AT.minusMillis(5_010), null), filterBatch()))
                .isEqualTo(Match.NONE);
    }

    @Test
    void entry_in_another_session_is_a_direct_call() {
        ReadCall b = withSession(filterBatch(), "arn:aws:sts::165109126369:assumed-role/app/session-1");
        ReadCall e = withSession(entry(A, AT, null), "arn:aws:sts::165109126369:assumed-role/app/session-2");
        assertThat(matcher.match(e, b)).isEqualTo(Match.NONE);
        assertThat(matcher.match(withSession(e, null), b)).isEqualTo(Match.NONE);
    }

    @Test
    void entry_from_another_ip_is_a_direct_call() {
        assertThat(matcher.match(withIp(entry(A, AT, null), "88.223.251.254"), filterBatch()))
                .isEqualTo(Match.NONE);
    }

    @Test
    void entry_from_another_user_agent_is_a_direct_call() {
        ReadCall e = entry(A, AT, null);
        ReadCall other = new ReadCall(
                e.eventId(),
                e.eventName(),
                e.time(),
                null,
                e.principal(),
                null,
                IP,
                "aws-cli/2.15.0",
                null,
                e.secrets(),
                Set.of());
        assertThat(matcher.match(other, filterBatch())).isEqualTo(Match.NONE);
    }

    @Test
    void entry_of_another_principal_is_a_direct_call_even_with_the_same_request_id() {
        ReadCall e = withPrincipal(entry(A, AT, REQUEST), "arn:aws:iam::165109126369:user/someone-else");
        assertThat(matcher.match(e, batch(Set.of(A), Set.of(), null))).isEqualTo(Match.NONE);
    }

    @Test
    void entry_for_a_secret_the_batch_did_not_list_is_a_direct_call() {
        assertThat(matcher.match(entry(C, AT, null), batch(Set.of(A, B), Set.of(), null)))
                .isEqualTo(Match.NONE);
    }

    @Test
    void filter_batch_may_have_generated_an_entry_for_any_secret() {
        assertThat(matcher.match(entry(C, AT, null), filterBatch())).isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void entry_with_an_error_is_still_generated_so_it_is_neither_a_direct_call_nor_billed() {
        ReadCall denied = withError(entry(A, AT, null), "AccessDeniedException");
        assertThat(matcher.match(denied, batch(Set.of(A), Set.of(A), null))).isEqualTo(Match.FINGERPRINT);
    }

    @Test
    void only_a_get_secret_value_is_an_entry_and_only_a_batch_generates_one() {
        ReadCall e = entry(A, AT, REQUEST);
        assertThat(matcher.match(e, e)).isEqualTo(Match.NONE);
        assertThat(matcher.match(batch(Set.of(A), Set.of(), null), batch(Set.of(A), Set.of(), null)))
                .isEqualTo(Match.NONE);
    }

    @Test
    void generated_looks_through_every_batch() {
        ReadCall e = entry(A, AT.plusSeconds(1), null);
        ReadCall elsewhere = withIp(filterBatch(), "10.0.0.1");
        assertThat(matcher.generated(e, List.of(elsewhere))).isFalse();
        assertThat(matcher.generated(e, List.of(elsewhere, filterBatch()))).isTrue();
    }

    // --- the batch's own reads, for trails without the generated entries

    @Test
    void batch_alone_in_the_trail_reads_every_listed_secret() {
        assertThat(matcher.fallbackReads(batch(Set.of(A, B), Set.of(), null), List.of()))
                .containsExactlyInAnyOrder(A, B);
    }

    @Test
    void batch_adds_no_read_for_a_secret_whose_entry_is_in_the_trail() {
        ReadCall b = batch(Set.of(A, B), Set.of(), null);
        assertThat(matcher.fallbackReads(b, List.of(entry(A, AT.plusSeconds(1), null))))
                .containsExactly(B);
    }

    @Test
    void a_failed_entry_also_covers_its_secret_so_the_batch_does_not_count_it_read() {
        ReadCall b = batch(Set.of(A, B), Set.of(), null);
        ReadCall denied = withError(entry(A, AT, null), "AccessDeniedException");
        assertThat(matcher.fallbackReads(b, List.of(denied))).containsExactly(B);
    }

    @Test
    void entry_5_01_seconds_away_does_not_cover_the_secret_but_5_seconds_does() {
        ReadCall b = batch(Set.of(A), Set.of(), null);
        assertThat(matcher.fallbackReads(b, List.of(entry(A, AT.plusMillis(5_010), null))))
                .containsExactly(A);
        assertThat(matcher.fallbackReads(b, List.of(entry(A, AT.plusSeconds(5), null))))
                .isEmpty();
    }

    @Test
    void entry_with_the_batch_request_id_covers_the_secret_however_far_apart() {
        ReadCall b = batch(Set.of(A, B), Set.of(), null);
        assertThat(matcher.fallbackReads(b, List.of(entry(A, AT.plusSeconds(60), REQUEST))))
                .containsExactly(B);
    }

    @Test
    void entry_of_another_principal_does_not_cover_the_secret() {
        ReadCall b = batch(Set.of(A), Set.of(), null);
        ReadCall other = withPrincipal(entry(A, AT, null), "arn:aws:iam::165109126369:user/someone-else");
        assertThat(matcher.fallbackReads(b, List.of(other))).containsExactly(A);
    }

    @Test
    void ids_the_batch_reports_as_errors_are_not_reads() {
        assertThat(matcher.fallbackReads(batch(Set.of(A, B, C), Set.of(B), null), List.of()))
                .containsExactlyInAnyOrder(A, C);
    }

    @Test
    void failed_batch_and_filter_batch_add_no_reads_of_their_own() {
        assertThat(matcher.fallbackReads(batch(Set.of(A), Set.of(), "AccessDeniedException"), List.of()))
                .isEmpty();
        assertThat(matcher.fallbackReads(filterBatch(), List.of())).isEmpty();
    }

    @Test
    void match_seconds_must_not_be_negative() {
        assertThatThrownBy(() -> new BatchEntryMatcher(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch.matchSeconds");
    }

    @Test
    void match_seconds_zero_is_the_same_second_only() {
        BatchEntryMatcher strict = new BatchEntryMatcher(Duration.ZERO);
        assertThat(strict.match(entry(A, AT, null), filterBatch())).isEqualTo(Match.FINGERPRINT);
        assertThat(strict.match(entry(A, AT.plusSeconds(1), null), filterBatch()))
                .isEqualTo(Match.NONE);
    }
}
