package io.secrettrail.analytics.report;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, end to end through the report: a trail with SecretTrail's own inventory calls (a listing, describes of
 * prod/db, and describes its role was refused on), an application's reads, and a hostile caller sending
 * SecretTrail's user agent. With {@code self.principals} naming SecretTrail's role, its own calls leave the
 * per-secret counts, the cost attribution and the detections, stay stored and billed, and show as its own.
 */
class SelfCallsReportTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(3));
    static final String OURS = "aws-sdk-java/2.57.8 ua/2.1 os/Linux#6.1 lang/java#17.0.13 secrettrail/0.1.0";
    static final String SELF = role("secrettrail-reader");
    static final Map<String, String> WITH_SELF = Map.of("self.principals", SELF);

    @BeforeEach
    void trail() throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by("app")
                    .secret(DB)
                    .json());
        }
        out.add(fx.call("ListSecrets", T0.plusSeconds(10))
                .by("secrettrail-reader")
                .agent(OURS)
                .json());
        for (int i = 0; i < 5; i++) {
            out.add(fx.call("DescribeSecret", T0.plusSeconds(20 + i))
                    .by("secrettrail-reader")
                    .agent(OURS)
                    .secret(DB)
                    .json());
        }
        for (int i = 0; i < 25; i++) {
            out.add(fx.call("DescribeSecret", T0.plusSeconds(40 + i))
                    .by("secrettrail-reader")
                    .agent(OURS)
                    .secret(arn("us-east-1", "locked/s" + i))
                    .error("AccessDeniedException", "not authorized to perform: secretsmanager:DescribeSecret")
                    .json());
        }
        // the hostile caller: SecretTrail's user agent, another principal
        out.add(fx.call("DescribeSecret", T0.plusSeconds(100))
                .by("intruder")
                .agent(OURS)
                .secret(DB)
                .json());
        fx.events(out);
    }

    private Report report(Map<String, String> settings) throws Exception {
        try (Connection c = fx.reader()) {
            return new ReportService(c, ReportSettings.of(settings)).build(AS_OF, 0, 0, 0, true);
        }
    }

    private static Report.SecretSummary db(Report r) {
        return r.secrets().stream().filter(s -> s.arn().equals(DB)).findFirst().orElseThrow();
    }

    private static MonthCost month(Report r) {
        return r.cost().months().get(r.cost().months().size() - 1);
    }

    private static BigDecimal principalCalls(Report r, String key) {
        return month(r).byPrincipal().stream()
                .filter(l -> l.key().equals(key))
                .map(MonthCost.Line::calls)
                .findFirst()
                .orElse(null);
    }

    @Test
    void without_self_principals_our_calls_count_like_anyone_elses() throws Exception {
        Report r = report(Map.of());
        assertThat(db(r).calls()).isEqualTo(3 + 5 + 1);
        assertThat(db(r).principals()).isEqualTo(3);
        assertThat(r.alerts()).extracting(Finding::rule).contains("access-denied-burst");
        assertThat(principalCalls(r, SELF)).isEqualByComparingTo("31");
        assertThat(principalCalls(r, "secrettrail")).isNull();
    }

    @Test
    void our_own_calls_leave_the_secrets_counts_but_stay_stored() throws Exception {
        Report plain = report(Map.of());
        Report r = report(WITH_SELF);
        assertThat(r.ingest().secretsManagerEvents())
                .isEqualTo(plain.ingest().secretsManagerEvents())
                .isEqualTo(3 + 1 + 5 + 25 + 1);
        assertThat(db(r).calls()).isEqualTo(3 + 1); // the app's reads and the intruder's describe
        assertThat(db(r).principals()).isEqualTo(2);
        assertThat(db(r).callsByEvent())
                .containsExactlyInAnyOrderEntriesOf(Map.of("GetSecretValue", 3L, "DescribeSecret", 1L));
        assertThat(db(r).reads()).isEqualTo(3);
    }

    @Test
    void our_own_calls_are_billed_to_secrettrail_not_to_its_role_nor_to_the_secrets() throws Exception {
        Report plain = report(Map.of());
        Report r = report(WITH_SELF);
        MonthCost m = month(r);
        // the bill is AWS's: every call is still in it
        assertThat(m.apiCalls()).isEqualTo(month(plain).apiCalls()).isEqualTo(35);
        assertThat(m.apiCallsUsd()).isEqualByComparingTo(month(plain).apiCallsUsd());
        assertThat(principalCalls(r, "secrettrail")).isEqualByComparingTo("31");
        assertThat(principalCalls(r, SELF)).isNull();
        assertThat(principalCalls(r, role("intruder"))).isEqualByComparingTo("1");
        assertThat(m.byPrincipal().stream().map(MonthCost.Line::calls).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(BigDecimal.valueOf(m.apiCalls()));
        // prod/db's five describes by SecretTrail are attributed to no secret
        assertThat(m.unattributedCalls()).isEqualTo(month(plain).unattributedCalls() + 5);
        assertThat(r.unattributedCalls()).isEqualTo(plain.unattributedCalls() + 5);
    }

    @Test
    void our_refused_describes_raise_no_detection_and_the_intruder_stays_labelled() throws Exception {
        Report r = report(WITH_SELF);
        assertThat(r.alerts()).extracting(Finding::rule).doesNotContain("access-denied-burst");
        // still visible as SecretTrail's own in the access ledger
        assertThat(r.access())
                .filteredOn(a -> a.principal().equals(SELF) && a.secret().equals(DB))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.calls()).isEqualTo(5);
                    assertThat(a.callerKinds()).containsExactly("secrettrail");
                });
        assertThat(r.access())
                .filteredOn(a -> a.principal().equals(role("intruder")))
                .extracting(AccessEntry::callerKinds)
                .containsExactly(List.of("secrettrail"));
    }
}
