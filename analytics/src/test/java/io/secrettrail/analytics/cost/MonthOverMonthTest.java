package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonthOverMonthTest {
    private static MonthCost month(
            String name, boolean closed, String total, String projected, List<MonthCost.Line> secrets) {
        BigDecimal t = new BigDecimal(total);
        BigDecimal p = projected == null ? null : new BigDecimal(projected);
        return new MonthCost(
                name,
                closed,
                0,
                t,
                0,
                BigDecimal.ZERO,
                0,
                BigDecimal.ZERO,
                t,
                p,
                p,
                null,
                null,
                secrets,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null, // no KMS data
                null);
    }

    private static MonthCost.Line line(String key, String usd, String projected) {
        return new MonthCost.Line(
                key, BigDecimal.ZERO, new BigDecimal(usd), projected == null ? null : new BigDecimal(projected));
    }

    @Test
    void one_month_has_no_change() {
        assertThat(MonthOverMonth.of(List.of(month("2026-11", false, "1", "2", List.of()))))
                .isNull();
    }

    @Test
    void the_change_is_in_dollars_and_percent_of_the_earlier_month() {
        MonthOverMonth m = MonthOverMonth.of(List.of(
                month("2026-09", true, "9", null, List.of()),
                month("2026-10", true, "8", null, List.of()),
                month("2026-11", false, "3", "10", List.of())));
        assertThat(m.from()).isEqualTo("2026-10");
        assertThat(m.changeUsd()).isEqualByComparingTo("2");
        assertThat(m.changePct()).isEqualByComparingTo("25");
    }

    @Test
    void no_percent_when_the_earlier_month_cost_nothing() {
        MonthOverMonth m = MonthOverMonth.of(
                List.of(month("2026-10", true, "0", null, List.of()), month("2026-11", true, "4", null, List.of())));
        assertThat(m.changeUsd()).isEqualByComparingTo("4");
        assertThat(m.changePct()).isNull();
        assertThat(m.toBasis()).isEqualTo("totalUsd");
    }

    @Test
    void the_ten_biggest_movers_by_absolute_change_with_both_amounts() {
        List<MonthCost.Line> before = new ArrayList<>();
        List<MonthCost.Line> after = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            before.add(line("s" + i, "1", null));
            // s1..s12 change by +i cents, s12 falls by 5 dollars; the unchanged one never moves
            after.add(line(
                    "s" + i,
                    "0.5",
                    i == 12
                            ? "-4"
                            : new BigDecimal("1")
                                    .add(new BigDecimal(i).movePointLeft(2))
                                    .toPlainString()));
        }
        before.add(line("same", "2", null));
        after.add(line("same", "1", "2"));
        after.add(line("born", "0.1", "3"));
        MonthOverMonth m = MonthOverMonth.of(
                List.of(month("2026-10", true, "1", null, before), month("2026-11", false, "1", "1", after)));
        assertThat(m.secrets()).hasSize(MonthOverMonth.MOVERS);
        assertThat(m.secrets())
                .extracting(MonthOverMonth.Mover::key)
                .startsWith("s12", "born", "s11", "s10")
                .doesNotContain("same", "s1", "s2");
        assertThat(m.secrets().get(0).fromUsd()).isEqualByComparingTo("1");
        assertThat(m.secrets().get(0).toUsd()).isEqualByComparingTo("-4");
        assertThat(m.secrets().get(1).fromUsd()).isEqualByComparingTo("0");
    }
}
