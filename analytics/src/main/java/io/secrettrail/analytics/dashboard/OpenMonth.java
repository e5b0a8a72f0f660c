package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.Report;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The report's open month (asOf's, the last of {@code cost.months}) in exact decimals: what the pages show
 * beside the v1 figures, which are rounded to the cent (a principal's $0.0031 is not $0.00).
 */
final class OpenMonth {
    private OpenMonth() {}

    /** The open month, or null before the first report (or for a report without months). */
    static MonthCost of(Report r) {
        if (r == null
                || r.cost() == null
                || r.cost().months() == null
                || r.cost().months().isEmpty()) {
            return null;
        }
        return r.cost().months().get(r.cost().months().size() - 1);
    }

    /** The open month's lines of one kind ({@code MonthCost::bySecret}, ...) by key; empty without a report. */
    static Map<String, MonthCost.Line> lines(Report r, Function<MonthCost, List<MonthCost.Line>> kind) {
        MonthCost m = of(r);
        Map<String, MonthCost.Line> out = new HashMap<>();
        if (m != null) {
            kind.apply(m).forEach(l -> out.put(l.key(), l));
        }
        return out;
    }
}
