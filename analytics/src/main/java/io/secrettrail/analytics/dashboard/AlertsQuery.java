package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.report.EvidenceJson;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The alerts page: the latest report's alerts with their state (open, acknowledged or suppressed
 * until an expiry), from the latest action on the incident, else on the alert. Open incidents come first.
 * Uncached: an action must show at once.
 */
final class AlertsQuery {
    static final Set<String> STATES = Set.of("open", "acknowledged", "suppressed");

    private final PageContext ctx;

    AlertsQuery(PageContext ctx) {
        this.ctx = ctx;
    }

    Page<AlertRow> alerts(Filters f, String rule, String severity, String state, Instant now, int page, int pageSize)
            throws SQLException {
        return Page.of(rows(f, rule, severity, state, now), page, pageSize);
    }

    /** Every alert that passes the filters, open incidents first. */
    List<AlertRow> rows(Filters f, String rule, String severity, String state, Instant now) throws SQLException {
        if (state != null && !STATES.contains(state)) {
            throw new IllegalArgumentException("status: must be one of " + new TreeSet<>(STATES) + ", was " + state);
        }
        Map<String, String[]> actions = new HashMap<>();
        try (Connection c = ctx.store().reader();
                PreparedStatement ps = c.prepareStatement("WITH latest_actions AS (\n"
                        + Sql.text("store/latest-alert-actions") + "\n)\n" + Rows.sql("alert-states"))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String incident = rs.getString(9);
                    actions.put(
                            incident.isEmpty()
                                    ? rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000" + rs.getString(3)
                                    : "incident\u0000" + incident,
                            new String[] {
                                rs.getString(4), rs.getString(5), Rows.time(rs, 6), rs.getString(7), Rows.time(rs, 8)
                            });
                }
            }
        }
        List<AlertRow> out = new ArrayList<>();
        Report r = ctx.report();
        if (r != null) {
            for (Finding a : r.alerts()) {
                if ((rule != null && !rule.equals(a.rule())) || (severity != null && !severity.equals(a.severity()))) {
                    continue;
                }
                if ((f.account() != null && !f.account().equals(a.account()))
                        || (f.region() != null && !f.region().equals(a.region()))
                        || !f.acceptsTeam(r.teamOf(a.resource()))) {
                    continue;
                }
                String[] act = a.incident() == null
                        ? null
                        : actions.get("incident\u0000" + a.incident().id());
                if (act == null) {
                    act = actions.get(a.rule() + "\u0000" + a.resource() + "\u0000"
                            + (a.principal() == null ? "" : a.principal()));
                }
                String st = "open";
                if (act != null && (act[2] == null || Instant.parse(act[2]).isAfter(now))) {
                    st = act[0].equals("suppress") ? "suppressed" : "acknowledged";
                }
                if (state != null && !state.equals(st)) {
                    continue;
                }
                boolean live = !st.equals("open");
                out.add(new AlertRow(
                        a.rule(),
                        a.severity(),
                        a.resource(),
                        a.principal(),
                        a.status(),
                        a.reason(),
                        a.account(),
                        a.region(),
                        Times.format(a.firstSeen()),
                        Times.format(a.lastSeen()),
                        st,
                        live ? act[1] : null,
                        live ? act[2] : null,
                        live ? act[3] : null,
                        live ? act[4] : null,
                        EvidenceJson.of(a.evidence()),
                        a.incident() == null ? null : EvidenceJson.incident(a.incident()),
                        r.teamOf(a.resource())));
            }
        }
        out.sort(Comparator.comparing(a -> !a.open()));
        return out;
    }
}
