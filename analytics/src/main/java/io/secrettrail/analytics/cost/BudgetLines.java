package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.store.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Hands the cost model's months to the budget rule: the relation {@code budget_lines} on the report's
 * connection, the open month's projection per line (all accounts, each account, each tag) beside the last
 * closed month's total. The rule reads the figures the report shows instead of computing a cost of its own.
 */
public final class BudgetLines {
    private BudgetLines() {}

    /** Replaces {@code budget_lines} with the lines of the last two of {@code months} (empty when none is open). */
    public static void publish(Connection conn, List<MonthCost> months) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(Sql.text("cost/budget-lines-create"));
        }
        if (months.isEmpty() || months.get(months.size() - 1).closed()) {
            return;
        }
        MonthCost open = months.get(months.size() - 1);
        MonthCost last = months.size() < 2 ? null : months.get(months.size() - 2);
        Map<String, BigDecimal[]> lines = new LinkedHashMap<>();
        lines.put("total\tall", new BigDecimal[] {open.projectedUsd(), last == null ? null : last.totalUsd()});
        for (String d : List.of("account", "tag")) {
            open.lines(d)
                    .forEach(l -> lines.put(d + "\t" + l.key(), new BigDecimal[] {l.projectedUsd(), zeroIfNone(last)}));
            if (last != null) {
                last.lines(d)
                        .forEach(l -> lines.computeIfAbsent(
                                                d + "\t" + l.key(), k -> new BigDecimal[] {BigDecimal.ZERO, null})[1] =
                                l.usd());
            }
        }
        // The Appender: a JDBC batch runs one statement per line, and every tag is a line.
        LocalDateTime start =
                LocalDateTime.ofInstant(Month.of(YearMonth.parse(open.month())).start(), ZoneOffset.UTC);
        try (DuckDBAppender put = conn.unwrap(DuckDBConnection.class).createAppender("temp", "main", "budget_lines")) {
            for (Map.Entry<String, BigDecimal[]> e : lines.entrySet()) {
                String[] dk = e.getKey().split("\t", 2);
                put.beginRow().append(dk[0]).append(dk[1]).append(open.month()).append(start);
                put.append(scaled(e.getValue()[0]));
                if (last == null) {
                    put.appendNull();
                } else {
                    put.append(last.month());
                }
                if (e.getValue()[1] == null) {
                    put.appendNull();
                } else {
                    put.append(scaled(e.getValue()[1]));
                }
                put.endRow();
            }
        }
    }

    /** A line the last month does not list cost nothing then (there is a last month); null without one. */
    private static BigDecimal zeroIfNone(MonthCost last) {
        return last == null ? null : BigDecimal.ZERO;
    }

    private static BigDecimal scaled(BigDecimal v) {
        return v.setScale(10, RoundingMode.HALF_EVEN);
    }
}
