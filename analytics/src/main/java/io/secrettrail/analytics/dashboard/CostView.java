package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.CallsAtPrices;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.Prices;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Cost page from the report's months: the range picks the months (each that overlaps it), the account and
 * region pick the secret lines, and the totals, breakdowns and chart are summed from those lines; a filtered
 * scope's calls and its principals are priced as the report prices them, each call at its region's price. Plain
 * functions of their inputs, so they are tested without a database or a server.
 */
final class CostView {
    private CostView() {}

    /**
     * @param prices the prices the report was built with
     * @param month the month asked for, or null for the open month (the report's last)
     * @param tags each secret's inventory tags ("key=value"), for the tag lines of a filtered scope
     * @param scopedPrincipals per month, principal and region, the API calls made in the filter's account and
     *     region (under a team, naming one of its secrets); read only under a filter
     * @param teamOf each secret's team, for a team filter
     * @throws IllegalArgumentException naming {@code month} when the report has no such month
     */
    static CostPage page(
            CostReport cost,
            Prices prices,
            Filters f,
            YearMonth month,
            Map<String, List<String>> tags,
            Map<String, Map<String, Map<String, Long>>> scopedPrincipals,
            java.util.function.Function<String, String> teamOf) {
        java.util.function.Predicate<String> in = arn -> f.accepts(arn) && f.acceptsTeam(teamOf.apply(arn));
        List<MonthCost> all = cost.months();
        if (all.isEmpty()) {
            throw new IllegalStateException("the report has no months");
        }
        MonthCost asked = month == null ? all.get(all.size() - 1) : find(all, month.toString());
        List<MonthCost> inRange = all.stream().filter(m -> overlaps(m, f)).toList();
        MonthCost shown = asked;
        String note = null;
        if (!inRange.contains(asked)) {
            if (inRange.isEmpty()) {
                note = "No month of the report lies in this range; showing " + asked.month() + ".";
            } else {
                shown = inRange.get(inRange.size() - 1);
                note = asked.month() + " is outside the range; showing " + shown.month() + ".";
            }
        }
        boolean filtered = f.account() != null || f.region() != null || f.team() != null;
        List<CostPage.Bar> bars = new ArrayList<>();
        for (MonthCost m : inRange) {
            Scope s = scope(m, in, filtered, prices);
            bars.add(new CostPage.Bar(
                    m.month(), m.closed(), s.secretsUsd, s.apiCallsUsd, s.kmsUsd, s.totalUsd, s.projectedUsd));
        }
        Scope s = scope(shown, in, filtered, prices);
        MonthCost busy = shown.withoutIdleLines();
        List<MonthCost.Line> secrets =
                busy.bySecret().stream().filter(l -> in.test(l.key())).toList();
        return new CostPage(
                shown.month(),
                shown.closed(),
                List.copyOf(bars),
                note,
                filtered,
                s.secretsUsd,
                s.apiCalls,
                s.apiCallsUsd,
                filtered ? null : shown.unattributedUsd(),
                s.totalUsd,
                s.projectedUsd,
                sorted(secrets),
                filtered ? group(secrets, l -> List.of(account(l.key()))) : busy.byAccount(),
                filtered ? group(secrets, l -> List.of(region(l.key()))) : busy.byRegion(),
                filtered ? group(secrets, l -> tags.getOrDefault(l.key(), List.of())) : busy.byTag(),
                filtered
                        ? principals(scopedPrincipals.getOrDefault(shown.month(), Map.of()), prices)
                        : busy.byPrincipal(),
                filtered,
                cost.savings().stream().filter(v -> in.test(v.resource())).toList());
    }

    /** The months that overlap the range [from, to] (every month when it is open). */
    static boolean overlaps(MonthCost m, Filters f) {
        YearMonth ym = YearMonth.parse(m.month());
        return (f.from() == null || !ym.atEndOfMonth().isBefore(f.from()))
                && (f.to() == null || !ym.atDay(1).isAfter(f.to()));
    }

    private static MonthCost find(List<MonthCost> all, String month) {
        return all.stream()
                .filter(m -> m.month().equals(month))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("month: the report has no month " + month
                        + " (it spans " + all.get(0).month() + " to "
                        + all.get(all.size() - 1).month() + ")"));
    }

    /** A month's totals in the scope: the month's own unfiltered, else the sums of its secret lines in scope. */
    private record Scope(
            BigDecimal secretsUsd,
            BigDecimal apiCalls,
            BigDecimal apiCallsUsd,
            BigDecimal totalUsd,
            BigDecimal projectedUsd,
            BigDecimal kmsUsd) {}

    private static Scope scope(MonthCost m, java.util.function.Predicate<String> in, boolean filtered, Prices prices) {
        if (!filtered) {
            return new Scope(
                    m.secretsUsd(),
                    BigDecimal.valueOf(m.apiCalls()),
                    m.apiCallsUsd(),
                    m.totalUsd(),
                    m.projectedUsd(),
                    m.kmsUsd());
        }
        CallsAtPrices calls = new CallsAtPrices(prices);
        BigDecimal usd = BigDecimal.ZERO;
        BigDecimal proj = BigDecimal.ZERO;
        BigDecimal kms = m.kmsUsd() == null ? null : BigDecimal.ZERO;
        for (MonthCost.Line l : m.bySecret()) {
            if (in.test(l.key())) {
                calls.add(region(l.key()), l.calls());
                usd = usd.add(l.usd());
                proj = proj.add(l.endUsd()); // KMS included
                kms = kms == null || l.kmsUsd() == null ? kms : kms.add(l.kmsUsd());
            }
        }
        // a secret line is its storage plus its calls at its region's call price
        BigDecimal callsUsd = calls.usd();
        BigDecimal total = kms == null ? usd : usd.add(kms);
        return new Scope(usd.subtract(callsUsd), calls.calls(), callsUsd, total, m.closed() ? null : proj, kms);
    }

    private static List<MonthCost.Line> group(
            List<MonthCost.Line> secrets, java.util.function.Function<MonthCost.Line, List<String>> keys) {
        Map<String, BigDecimal[]> acc = new TreeMap<>();
        for (MonthCost.Line l : secrets) {
            for (String k : keys.apply(l)) {
                BigDecimal[] a = acc.computeIfAbsent(
                        k, x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, null, null, null});
                a[0] = a[0].add(l.calls());
                a[1] = a[1].add(l.usd());
                a[2] = sum(a[2], l.projectedUsd());
                a[3] = sum(a[3], l.kmsUsd());
                a[4] = sum(a[4], l.kmsProjectedUsd());
            }
        }
        List<MonthCost.Line> out = new ArrayList<>();
        acc.forEach((k, a) -> out.add(new MonthCost.Line(k, a[0], a[1], a[2], null, a[3], a[4])));
        return sorted(out);
    }

    private static BigDecimal sum(BigDecimal a, BigDecimal b) {
        return b == null ? a : (a == null ? b : a.add(b));
    }

    private static List<MonthCost.Line> principals(Map<String, Map<String, Long>> calls, Prices prices) {
        List<MonthCost.Line> out = new ArrayList<>();
        calls.forEach((p, byRegion) -> {
            CallsAtPrices c = CallsAtPrices.of(prices, byRegion);
            out.add(new MonthCost.Line(p, c.calls(), c.usd(), null));
        });
        out.sort(Comparator.comparing(MonthCost.Line::calls).reversed().thenComparing(MonthCost.Line::key));
        return List.copyOf(out);
    }

    /** Most costly first (at the month's end), then by key. */
    private static List<MonthCost.Line> sorted(List<MonthCost.Line> lines) {
        List<MonthCost.Line> out = new ArrayList<>(lines);
        out.sort(Comparator.comparing(MonthCost.Line::endUsd).reversed().thenComparing(MonthCost.Line::key));
        return List.copyOf(out);
    }

    private static String account(String arn) {
        return io.secrettrail.core.secret.SecretArn.parse(arn)
                .map(a -> a.account())
                .orElse("");
    }

    private static String region(String arn) {
        return io.secrettrail.core.secret.SecretArn.parse(arn)
                .map(a -> a.region())
                .orElse("");
    }
}
