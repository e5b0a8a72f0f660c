package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.core.Money;
import io.secrettrail.core.Times;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The overview page: the range's totals, alerts by severity, calls per day, top secrets and callers. */
final class OverviewQuery {
    private record Key(Filters filters) implements ResultCache.Key<Overview> {
        @Override
        public Class<Overview> type() {
            return Overview.class;
        }
    }

    private final PageContext ctx;
    private final SecretIndex index;

    OverviewQuery(PageContext ctx, SecretIndex index) {
        this.ctx = ctx;
        this.index = index;
    }

    Overview overview(Filters filters) throws SQLException {
        Filters f = ctx.present(filters);
        return ctx.cache().get(new Key(f), () -> compute(f));
    }

    private Overview compute(Filters f) throws SQLException {
        int secretCount;
        int goneCount = 0;
        long errors = 0;
        List<Count> top;
        List<DayCount> perDay = new ArrayList<>();
        List<Count> callers = new ArrayList<>();
        long principals;
        long events;
        String team = ctx.teamArns(f);
        try (Connection c = ctx.store().reader()) {
            SecretIndex.Bases b = index.bases(c);
            SecretIndex.Stats st = index.stats(c, f, b);
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < b.rows().size(); i++) {
                if (SecretIndex.accepts(f, b.rows().get(i))) {
                    kept.add(i);
                    errors += st.errors()[i];
                    if (b.rows().get(i).goneAt() != null) {
                        goneCount++;
                    }
                }
            }
            // a secret that left the listing keeps its calls (top secrets, errors) but is no longer live
            secretCount = kept.size() - goneCount;
            top = kept.stream()
                    .sorted(Comparator.comparingLong((Integer i) -> st.calls()[i])
                            .reversed()
                            .thenComparingInt(i -> i))
                    .limit(10)
                    .map(i -> new Count(b.rows().get(i).arn(), st.calls()[i]))
                    .toList();
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("calls-per-day"))) {
                Rows.bindScope(ps, 1, f, team);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perDay.add(new DayCount(Rows.day(rs, 1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("callers"))) {
                Rows.bindScope(ps, 1, f, team);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        callers.add(new Count(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            principals = callers.size();
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("events-total"))) {
                Rows.bindScope(ps, 1, f, team);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events = rs.getLong(1);
                }
            }
        }
        Report r = ctx.report();
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "medium", "low")) {
            bySeverity.put(s, 0L);
        }
        Map<String, Long> openBySeverity = new LinkedHashMap<>(bySeverity);
        long closed = 0;
        if (r != null) {
            for (var a : r.alerts()) {
                // under a team, only the alerts on its secrets (as the alerts page)
                if ((f.team() != null && !f.acceptsTeam(r.teamOf(a.resource())))
                        || (!f.accepts(a.resource()) && a.principal() == null)) {
                    continue;
                }
                bySeverity.merge(a.severity(), 1L, Long::sum);
                if (a.incident() == null || a.incident().open()) {
                    openBySeverity.merge(a.severity(), 1L, Long::sum);
                } else {
                    closed++;
                }
            }
        }
        CostReport cost = r == null ? null : r.cost();
        MonthCost open = OpenMonth.of(r);
        String monthToDate = cost == null ? null : cost.monthToDateUsd().toPlainString();
        String projected = cost == null ? null : cost.projectedUsd().toPlainString();
        String monthToDateExact = open == null ? null : Money.json(open.totalUsd());
        String projectedExact = open == null || open.projectedUsd() == null ? null : Money.json(open.projectedUsd());
        if (f.team() != null && cost != null && open != null) {
            // the team's own: its secrets' lines of the open month, as the Cost page sums them under a team
            CostPage p = CostView.page(
                    cost, ctx.reports().prices(), Filters.ALL.forTeam(f.team()), null, Map.of(), Map.of(), r::teamOf);
            monthToDate = p.totalUsd().setScale(2, RoundingMode.HALF_UP).toPlainString();
            monthToDateExact = Money.json(p.totalUsd());
            projected = p.projectedUsd() == null
                    ? null
                    : p.projectedUsd().setScale(2, RoundingMode.HALF_UP).toPlainString();
            projectedExact = p.projectedUsd() == null ? null : Money.json(p.projectedUsd());
        }
        return new Overview(
                secretCount,
                goneCount,
                events,
                errors,
                principals,
                monthToDate,
                projected,
                monthToDateExact,
                projectedExact,
                bySeverity,
                openBySeverity,
                closed,
                perDay,
                top,
                callers.stream().limit(10).toList(),
                r == null ? null : Times.format(r.asOf()));
    }
}
