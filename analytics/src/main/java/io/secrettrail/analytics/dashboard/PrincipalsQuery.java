package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.core.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The principals page: each principal with the secrets it touched, calls, errors and its share of the month's cost. */
final class PrincipalsQuery {
    /** The whole list, as one cache entry (a type of its own, so the cache can check it). */
    private record Listed(List<PrincipalRow> rows) {}

    private record Key(Filters filters, String text) implements ResultCache.Key<Listed> {
        @Override
        public Class<Listed> type() {
            return Listed.class;
        }
    }

    private final PageContext ctx;

    PrincipalsQuery(PageContext ctx) {
        this.ctx = ctx;
    }

    Page<PrincipalRow> principals(Filters f, String text, int page, int pageSize) throws SQLException {
        return Page.of(ctx.cache().get(new Key(f, text), () -> compute(f, text)).rows(), page, pageSize);
    }

    private Listed compute(Filters f, String text) throws SQLException {
        Map<String, BigDecimal> share = new HashMap<>();
        Report r = ctx.report();
        // a principal's share of the month's cost is its calls to every secret, no one team's: none under a team
        if (r != null && r.cost() != null && f.team() == null) {
            r.cost().topPrincipals().forEach(l -> share.put(l.key(), l.monthToDateUsd()));
        }
        Map<String, MonthCost.Line> exact = f.team() == null ? OpenMonth.lines(r, MonthCost::byPrincipal) : Map.of();
        List<PrincipalRow> out = new ArrayList<>();
        try (Connection c = ctx.store().reader();
                PreparedStatement ps = c.prepareStatement(Rows.sql("principals"))) {
            ps.setString(1, text);
            Rows.bindScope(ps, 2, f, ctx.teamArns(f));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal s = share.get(rs.getString(1));
                    MonthCost.Line e = exact.get(rs.getString(1));
                    out.add(new PrincipalRow(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            Rows.time(rs, 5),
                            Rows.time(rs, 6),
                            s == null ? null : s.toPlainString(),
                            e == null ? null : Money.json(e.usd())));
                }
            }
        }
        return new Listed(List.copyOf(out));
    }
}
