package io.secrettrail.analytics.cost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The change between the last two months of the report. Each month is taken at its end-of-month figure
 * ({@link MonthCost#endUsd}): a closed month by its {@code totalUsd}, the open month by its
 * {@code projectedUsd}, so that a month half gone is not compared as if it were over.
 *
 * @param changePct the change in percent of the earlier month; null when the earlier month cost nothing
 * @param secrets the secrets whose cost changed most (absolute change), at most {@link #MOVERS}
 * @param accounts the accounts whose cost changed most, at most {@link #MOVERS}
 */
public record MonthOverMonth(
        String from,
        String to,
        String fromBasis,
        String toBasis,
        BigDecimal fromUsd,
        BigDecimal toUsd,
        BigDecimal changeUsd,
        BigDecimal changePct,
        List<Mover> secrets,
        List<Mover> accounts) {
    public static final int MOVERS = 10;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** A line's end-of-month cost in each month and the change. */
    public record Mover(String key, BigDecimal fromUsd, BigDecimal toUsd, BigDecimal changeUsd) {}

    /** The change from {@code earlier} to {@code later}; null when there are not two months. */
    public static MonthOverMonth of(List<MonthCost> months) {
        if (months.size() < 2) {
            return null;
        }
        MonthCost a = months.get(months.size() - 2);
        MonthCost b = months.get(months.size() - 1);
        BigDecimal change = b.endUsd().subtract(a.endUsd());
        return new MonthOverMonth(
                a.month(),
                b.month(),
                basis(a),
                basis(b),
                a.endUsd(),
                b.endUsd(),
                change,
                a.endUsd().signum() == 0
                        ? null
                        : change.multiply(HUNDRED).divide(a.endUsd(), Prices.MC).stripTrailingZeros(),
                movers(a.bySecret(), b.bySecret()),
                movers(a.byAccount(), b.byAccount()));
    }

    private static String basis(MonthCost m) {
        return m.closed() ? "totalUsd" : "projectedUsd";
    }

    /** The lines whose end-of-month cost changed, largest change first, at most {@link #MOVERS}. */
    public static List<Mover> movers(List<MonthCost.Line> earlier, List<MonthCost.Line> later) {
        Map<String, BigDecimal[]> both = new TreeMap<>();
        Function<String, BigDecimal[]> zero = k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO};
        earlier.forEach(l -> both.computeIfAbsent(l.key(), zero)[0] = l.endUsd());
        later.forEach(l -> both.computeIfAbsent(l.key(), zero)[1] = l.endUsd());
        List<Mover> out = new ArrayList<>();
        both.forEach((k, v) -> {
            BigDecimal change = v[1].subtract(v[0]);
            if (change.signum() != 0) {
                out.add(new Mover(k, v[0], v[1], change));
            }
        });
        out.sort(Comparator.comparing((Mover m) -> m.changeUsd().abs())
                .reversed()
                .thenComparing(Mover::key));
        return out.size() > MOVERS ? List.copyOf(out.subList(0, MOVERS)) : List.copyOf(out);
    }
}
