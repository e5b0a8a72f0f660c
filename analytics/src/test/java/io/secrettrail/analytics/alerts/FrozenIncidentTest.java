package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 (review M4): a closed, notified incident is frozen. Hits that arrive after it froze, even strictly
 * within its bounds, form an incident of their own, notified on its own; the frozen one keeps its payload,
 * hits and severity. From scratch and incrementally alike.
 */
class FrozenIncidentTest {
    static final Map<String, String> SETTINGS = Map.of("bulk.secrets", "5");
    static final Instant NINE = Instant.parse("2026-11-16T09:00:00Z");
    static final Instant TWO_PM = Instant.parse("2026-11-16T14:00:00Z");
    static final Instant EIGHT_PM = Instant.parse("2026-11-16T20:00:00Z");
    /** More than the quiet hours (24) after the last hit: the incident is closed. */
    static final Instant AS_OF = Instant.parse("2026-11-18T12:00:00Z");

    RuleFixture fx;
    WebhookSettings hooks;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
        hooks = WebhookSettings.of(
                Map.of(
                        "webhook.soc.url", "http://127.0.0.1:9/hook",
                        "webhook.soc.format", "generic",
                        "webhook.soc.secret", "a-shared-signing-secret"),
                Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @ParameterizedTest(name = "incrementally: {0}")
    @ValueSource(booleans = {false, true})
    void a_late_burst_inside_a_frozen_incident_is_an_incident_of_its_own(boolean incremental) throws Exception {
        fx.events(reads(NINE, 6));
        fx.events(reads(EIGHT_PM, 6));
        List<Finding> before = evaluate(incremental);
        assertThat(before).singleElement().satisfies(f -> {
            assertThat(f.incident().state()).isEqualTo("closed");
            assertThat(f.incident().firstHit()).isAfter(NINE);
            assertThat(f.incident().lastHit()).isAfter(EIGHT_PM);
            assertThat(f.severity()).isEqualTo("high");
        });
        AlertLedger ledger = new AlertLedger(fx.store(), hooks);
        assertThat(ledger.record(before, AS_OF).enqueued()).as("notified").isEqualTo(1);
        String payload = payload(before.get(0).incident().id());

        // a late file: a burst of five times the threshold at 14:00, between the incident's two hits
        fx.events(reads(TWO_PM, 25));
        List<Finding> after = evaluate(incremental);
        assertThat(after).isEqualTo(incremental ? fx.run("bulk-retrieval", AS_OF, SETTINGS) : after);
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).as("the frozen incident, unchanged").isEqualTo(before.get(0));
        Finding late = after.get(1);
        assertThat(late.incident().id()).isNotEqualTo(before.get(0).incident().id());
        assertThat(late.severity()).isEqualTo("critical");
        assertThat(late.incident().firstHit()).isAfter(TWO_PM).isBefore(EIGHT_PM);
        assertThat(late.incident().hits()).isEqualTo(21);

        AlertLedger.Transitions t = ledger.record(after, AS_OF);
        assertThat(t.opened()).isEqualTo(1);
        assertThat(t.enqueued()).as("the late incident notified on its own").isEqualTo(1);
        assertThat(payload(before.get(0).incident().id())).isEqualTo(payload);
        assertThat(after).as("stable once both are recorded").isEqualTo(evaluate(incremental));
    }

    @ParameterizedTest(name = "incrementally: {0}")
    @ValueSource(booleans = {false, true})
    void hits_that_were_there_before_it_froze_stay_in_it(boolean incremental) throws Exception {
        fx.events(reads(NINE, 6));
        fx.events(reads(TWO_PM, 6));
        fx.events(reads(EIGHT_PM, 6));
        List<Finding> before = evaluate(incremental);
        assertThat(before)
                .singleElement()
                .satisfies(f -> assertThat(f.incident().hits()).isEqualTo(6));
        new AlertLedger(fx.store(), hooks).record(before, AS_OF);
        assertThat(evaluate(incremental)).isEqualTo(before);
    }

    private List<Finding> evaluate(boolean incremental) throws Exception {
        return incremental
                ? fx.incremental("bulk-retrieval", AS_OF, SETTINGS)
                : fx.run("bulk-retrieval", AS_OF, SETTINGS);
    }

    private String payload(String incident) throws Exception {
        try (Connection c = fx.reader();
                PreparedStatement ps = c.prepareStatement("SELECT payload FROM incidents WHERE incident = ?")) {
            ps.setString(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** {@code n} reads of distinct secrets by one role, 2 s apart from {@code at}. */
    private List<String> reads(Instant at, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call("GetSecretValue", at.plusSeconds(2L * i))
                    .by("intruder")
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        return out;
    }
}
