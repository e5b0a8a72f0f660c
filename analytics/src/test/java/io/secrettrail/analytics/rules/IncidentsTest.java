package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Detections raise incidents (issue 14): consecutive hits of one subject less than the rule's quiet hours
 * apart form one incident, the next hit after that opens another; ids are stable; a closed incident that was
 * notified is never reopened. Told on bulk-retrieval, whose hits are windows of 20 distinct secrets.
 */
class IncidentsTest extends RuleTestBase {
    static final Instant WEEKS_AGO = AS_OF.minus(Duration.ofDays(21)).minus(Duration.ofHours(2));

    /** A burst of 20 reads of distinct secrets by {@code role} within 19 s from {@code at}: one hit at its end. */
    private List<String> burst(String role, Instant at, int secrets) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < secrets; i++) {
            out.add(fx.call("GetSecretValue", at.plusSeconds(i * 19L / Math.max(1, secrets - 1)))
                    .by(role)
                    .session("deploy-" + (i % 2))
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        return out;
    }

    private List<Finding> bulk(Instant asOf) throws Exception {
        return fx.run("bulk-retrieval", asOf, Map.of());
    }

    @Test
    void two_bursts_by_one_role_three_weeks_apart_are_two_incidents() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofDays(21)), 20));
        List<Finding> found = bulk(AS_OF);
        assertThat(found).hasSize(2);
        assertThat(found).extracting(f -> f.incident().state()).containsExactly("closed", "open");
        assertThat(found)
                .extracting(f -> f.incident().firstHit())
                .containsExactly(
                        WEEKS_AGO.plusSeconds(19),
                        WEEKS_AGO.plus(Duration.ofDays(21)).plusSeconds(19));
        assertThat(found.get(0).incident().id())
                .isNotEqualTo(found.get(1).incident().id());
        assertThat(found)
                .extracting(Finding::firstSeen)
                .containsExactly(WEEKS_AGO, WEEKS_AGO.plus(Duration.ofDays(21)));
        Incident i = found.get(0).incident();
        assertThat(i.subject()).isEqualTo(role("intruder"));
        assertThat(i.mitreId()).isEqualTo("T1555.006");
        assertThat(i.runbook()).startsWith("Find whose credentials");
        assertThat(found.get(0).evidence().sessions())
                .extracting(Session::sessionName)
                .containsExactly("deploy-0", "deploy-1");
    }

    @Test
    void one_burst_is_one_incident() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        assertThat(bulk(AS_OF))
                .singleElement()
                .satisfies(f -> assertThat(f.incident().hits()).isEqualTo(1));
    }

    @Test
    void hits_23h59m_apart_are_one_incident_24h_apart_are_two() throws Exception {
        fx.events(burst("close", WEEKS_AGO, 20));
        fx.events(burst("close", WEEKS_AGO.plus(Duration.ofHours(24).minusMinutes(1)), 20));
        fx.events(burst("apart", WEEKS_AGO, 20));
        fx.events(burst("apart", WEEKS_AGO.plus(Duration.ofHours(24)), 20));
        List<Finding> found = bulk(AS_OF);
        assertThat(found.stream().filter(f -> f.resource().equals(role("close"))))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.incident().hits()).isEqualTo(2);
                    assertThat(f.lastSeen())
                            .isEqualTo(WEEKS_AGO
                                    .plus(Duration.ofHours(24).minusMinutes(1))
                                    .plusSeconds(19));
                });
        assertThat(found.stream().filter(f -> f.resource().equals(role("apart"))))
                .hasSize(2);
    }

    @Test
    void an_incident_closes_when_as_of_minus_its_last_hit_reaches_the_quiet_hours() throws Exception {
        Instant hit = WEEKS_AGO.plusSeconds(19);
        fx.events(burst("intruder", WEEKS_AGO, 20));
        assertThat(bulk(hit.plus(Duration.ofHours(24)).minusSeconds(1))
                        .get(0)
                        .incident()
                        .state())
                .isEqualTo("open");
        assertThat(bulk(hit.plus(Duration.ofHours(24))).get(0).incident().state())
                .isEqualTo("closed");
    }

    @Test
    void the_quiet_hours_are_a_setting_of_each_rule_and_a_bad_value_is_refused() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(30)), 20));
        assertThat(bulk(AS_OF)).hasSize(2);
        assertThat(fx.run("bulk-retrieval", AS_OF, Map.of("bulk.quietHours", "31")))
                .hasSize(1);
        assertThatThrownBy(() -> RuleCatalog.load().values(Map.of("bulk.quietHours", "0")))
                .hasMessage("bulk.quietHours: must be 1..8760, was 0");
        assertThat(RuleCatalog.load().values(Map.of())).containsEntry("denied.quietHours", 24);
    }

    @Test
    void five_times_the_threshold_is_critical_in_the_same_incident() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        Finding high = bulk(AS_OF).get(0);
        assertThat(high.severity()).isEqualTo("high");
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(1)), 100));
        Finding critical = bulk(AS_OF).get(0);
        assertThat(bulk(AS_OF)).hasSize(1);
        assertThat(critical.severity()).isEqualTo("critical");
        assertThat(critical.incident().id()).isEqualTo(high.incident().id());
        assertThat(critical.evidence().counts()).containsEntry("secrets", 100);
        assertThat(critical.firstSeen()).isEqualTo(WEEKS_AGO);
    }

    @Test
    void ninety_nine_secrets_stay_high() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 99));
        assertThat(bulk(AS_OF)).extracting(Finding::severity).containsExactly("high");
    }

    @Test
    void ids_are_the_same_on_every_run_and_at_a_later_as_of() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofDays(21)), 20));
        List<String> first = bulk(AS_OF).stream().map(f -> f.incident().id()).toList();
        try (RuleFixture other = new RuleFixture()) {
            other.events(burst("intruder", WEEKS_AGO.plus(Duration.ofDays(21)), 20));
            other.events(burst("intruder", WEEKS_AGO, 20));
            assertThat(other.run("bulk-retrieval", AS_OF.plus(Duration.ofDays(3)), Map.of()).stream()
                            .map(f -> f.incident().id()))
                    .containsExactlyElementsOf(first);
        }
        assertThat(first.get(0)).isEqualTo(Incident.id("bulk-retrieval", role("intruder"), WEEKS_AGO.plusSeconds(19)));
    }

    @Test
    void a_late_file_inside_an_open_incident_joins_it_and_updates_its_worst_window() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(3)), 20));
        Finding before = bulk(WEEKS_AGO.plus(Duration.ofHours(4))).get(0);
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(1)), 40));
        List<Finding> after = bulk(WEEKS_AGO.plus(Duration.ofHours(4)));
        assertThat(after).singleElement().satisfies(f -> {
            assertThat(f.incident().id()).isEqualTo(before.incident().id());
            assertThat(f.incident().hits()).isGreaterThan(before.incident().hits());
            assertThat(f.evidence().counts()).containsEntry("secrets", 40);
            assertThat(f.evidence().windowStart()).isEqualTo(WEEKS_AGO.plus(Duration.ofHours(1)));
        });
    }

    @Test
    void a_late_file_within_the_quiet_hours_of_a_closed_notified_incident_is_a_new_incident() throws Exception {
        fx.events(burst("intruder", WEEKS_AGO, 20));
        Instant closedAt = WEEKS_AGO.plus(Duration.ofDays(2));
        Finding notified = bulk(closedAt).get(0);
        assertThat(notified.incident().state()).isEqualTo("closed");
        record(notified, closedAt);
        // a file delivered late: a burst 10 hours after the incident's last hit
        fx.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(10)), 20));
        List<Finding> found = bulk(closedAt);
        assertThat(found).hasSize(2);
        assertThat(found.get(0).incident().id()).isEqualTo(notified.incident().id());
        assertThat(found.get(0).incident().lastHit())
                .isEqualTo(notified.incident().lastHit());
        assertThat(found.get(1).incident().firstHit())
                .isEqualTo(WEEKS_AGO.plus(Duration.ofHours(10)).plusSeconds(19));
        // without the record (never notified) the same hits are one incident
        try (RuleFixture other = new RuleFixture()) {
            other.events(burst("intruder", WEEKS_AGO, 20));
            other.events(burst("intruder", WEEKS_AGO.plus(Duration.ofHours(10)), 20));
            assertThat(other.run("bulk-retrieval", closedAt, Map.of())).hasSize(1);
        }
    }

    /** What the alerts record of a notified, closed incident (see AlertLedger). */
    private void record(Finding f, Instant at) throws Exception {
        Incident i = f.incident();
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'closed', ?, ?, '{}')")) {
            ps.setString(1, i.id());
            ps.setString(2, f.rule());
            ps.setString(3, i.subject());
            ps.setString(4, f.resource());
            ps.setString(5, f.principal());
            ps.setObject(6, i.firstHit().atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setObject(7, i.lastHit().atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setString(8, f.severity());
            ps.setObject(9, at.atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.setObject(10, at.atOffset(ZoneOffset.UTC).toLocalDateTime());
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
