package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.Reconciliation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Reconciliation page: AWS's billed figures beside SecretTrail's computed ones ({@code cost.reconciliation}),
 * per month, then every line with the largest dollar difference first; narrowed to an account and region like
 * every page. Non-usage lines (credits, refunds, tax, discounts) are listed apart, never mixed in.
 *
 * @param months per month, the sums of its usage lines (per account, region and usage kind; not per resource,
 *     which would count them twice)
 * @param lines every line in scope, the largest |billed − computed| first (lines SecretTrail does not compute
 *     yet, by their billed dollars)
 */
public record ReconciliationPage(
        String basis,
        List<String> sources,
        List<MonthRow> months,
        List<Reconciliation.Line> lines,
        List<Reconciliation.NonUsage> nonUsage) {

    /**
     * One month's totals.
     *
     * @param computedUsd the sum over the lines SecretTrail computes (those it does not are in billed only)
     * @param reconciled every line of the month agrees to the cent
     */
    public record MonthRow(
            String month, BigDecimal billedUsd, BigDecimal computedUsd, BigDecimal deltaUsd, boolean reconciled) {}

    /** The page from a report's reconciliation; null when the report has none (no billing data given). */
    static ReconciliationPage of(Reconciliation r, Filters f) {
        if (r == null) {
            return null;
        }
        List<Reconciliation.Line> lines = r.lines().stream()
                .filter(l -> inScope(f, l.account(), l.region()))
                .sorted(Comparator.comparing(ReconciliationPage::gap)
                        .reversed()
                        .thenComparing(Reconciliation.Line::month)
                        .thenComparing(Reconciliation.Line::account, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Reconciliation.Line::region, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Reconciliation.Line::usageKind)
                        .thenComparing(Reconciliation.Line::resource, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        Map<String, Boolean> agree = new TreeMap<>();
        for (Reconciliation.Line l : lines) {
            if (l.resource() != null) {
                continue;
            }
            BigDecimal[] s = sums.computeIfAbsent(l.month(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            s[0] = s[0].add(l.billedUsd() == null ? BigDecimal.ZERO : l.billedUsd());
            s[1] = s[1].add(l.computedUsd() == null ? BigDecimal.ZERO : l.computedUsd());
            agree.merge(l.month(), l.reconciled(), Boolean::logicalAnd);
        }
        List<MonthRow> months = new ArrayList<>();
        sums.forEach((m, s) -> months.add(new MonthRow(m, s[0], s[1], s[0].subtract(s[1]), agree.get(m))));
        return new ReconciliationPage(
                r.basis(),
                r.sources(),
                List.copyOf(months),
                lines,
                r.nonUsage().stream()
                        .filter(n -> inScope(f, n.account(), n.region()))
                        .toList());
    }

    /** How far a line is off: |delta|, or its billed dollars when SecretTrail does not compute it. */
    private static BigDecimal gap(Reconciliation.Line l) {
        BigDecimal d = l.deltaUsd() != null ? l.deltaUsd() : l.billedUsd();
        return d == null ? BigDecimal.ZERO : d.abs();
    }

    private static boolean inScope(Filters f, String account, String region) {
        return (f.account() == null || f.account().equals(account))
                && (f.region() == null || f.region().equals(region));
    }
}
