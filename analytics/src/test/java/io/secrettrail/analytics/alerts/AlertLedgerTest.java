package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.RuleFixture;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review M3: the ledger read every incident ever recorded, payload and all, on every report; the table
 * keeps all history (and any identity could grow it). It reads the open incidents and those the current
 * findings name; what it notifies is unchanged: one alarm per incident, a clear when one closes or no
 * longer shows, nothing twice.
 */
class AlertLedgerTest {
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");
    static final int HISTORY = 300;

    RuleFixture fx;
    AlertLedger ledger;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
        WebhookSettings hooks = WebhookSettings.of(
                Map.of(
                        "webhook.soc.url", "http://127.0.0.1:9/hook",
                        "webhook.soc.format", "generic",
                        "webhook.soc.notifyClear", "true",
                        "webhook.soc.secret", "a-shared-signing-secret"),
                Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
        ledger = new AlertLedger(fx.store(), hooks);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    /** {@code HISTORY} incidents of long ago, closed and notified, and one still open that no longer shows. */
    private void history() throws Exception {
        fx.store().writeTransaction(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO incidents VALUES (?, 'bulk-retrieval', ?, ?, '', ?, ?, 'high'," + " ?, ?, ?, ?)")) {
                for (int i = 0; i <= HISTORY; i++) {
                    boolean open = i == HISTORY;
                    LocalDateTime hit = LocalDateTime.ofInstant(T0.minus(Duration.ofDays(400 - i)), ZoneOffset.UTC);
                    String resource = RuleFixture.role("old" + i);
                    ps.setString(1, "00000000-0000-3000-8000-" + String.format("%012d", i));
                    ps.setString(2, resource);
                    ps.setString(3, resource);
                    ps.setObject(4, hit);
                    ps.setObject(5, hit);
                    ps.setString(6, open ? "open" : "closed");
                    ps.setObject(7, hit);
                    ps.setObject(8, open ? null : hit);
                    ps.setString(
                            9,
                            "{\"incident\":\"x" + i + "\",\"rule\":\"bulk-retrieval\",\"resource\":\"" + resource
                                    + "\",\"lastHit\":\"" + hit.toInstant(ZoneOffset.UTC)
                                    + "\",\"transition\":\"alarm\"}");
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    private List<String> outbox() throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = fx.reader();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT kind, resource FROM webhook_outbox ORDER BY created_at, kind")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    private AlertLedger.Transitions evaluate(Instant now) throws Exception {
        List<Finding> alarms = fx.run("bulk-retrieval", now, Map.of());
        return ledger.record(alarms, now);
    }

    @Test
    void a_comparison_reads_the_open_incidents_and_those_named_never_the_closed_history() throws Exception {
        history();
        fx.burst("intruder", T0.minusSeconds(60));
        evaluate(T0);
        // the open one of the history (cleared now: it no longer shows); the new incident was not recorded yet
        assertThat(ledger.lastLoaded()).isEqualTo(1);
        assertThat(outbox())
                .containsExactlyInAnyOrder(
                        "alarm " + RuleFixture.role("intruder"), "clear " + RuleFixture.role("old" + HISTORY));

        evaluate(T0.plus(Duration.ofMinutes(5)));
        assertThat(ledger.lastLoaded()).as("the new incident, open and named").isEqualTo(1);
        assertThat(outbox()).as("nothing twice").hasSize(2);

        Instant closed = T0.plus(Duration.ofHours(30));
        evaluate(closed);
        assertThat(outbox()).as("its clear").hasSize(3).last().isEqualTo("clear " + RuleFixture.role("intruder"));
        // closed and notified, still named by the findings: read, so that it is never notified again
        evaluate(closed.plus(Duration.ofHours(1)));
        assertThat(ledger.lastLoaded()).isEqualTo(1);
        assertThat(outbox()).hasSize(3);
    }

    @Test
    void with_nothing_open_and_nothing_found_a_comparison_reads_no_incident() throws Exception {
        history();
        evaluate(T0);
        assertThat(outbox()).containsExactly("clear " + RuleFixture.role("old" + HISTORY));
        evaluate(T0.plus(Duration.ofMinutes(5)));
        assertThat(ledger.lastLoaded()).isZero();
        assertThat(outbox()).hasSize(1);
    }
}
