package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.dashboard.CostPage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §3 and §5, the Cost page: the month picker links keep the filters, the month-over-month chart has a
 * bar per month, amounts under $1 show four decimals, long tables end in an others line, and secret names,
 * tags and principals (attacker-controlled) are written as text.
 */
class CostRenderingTest {
    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:team/<script>alert(1)</script>-Ab12Cd";
    static final String TAG = "owner=\"><img src=x onerror=alert(2)>";
    static final String PRINCIPAL = "arn:aws:iam::123456789012:role/<svg onload=alert(3)>";

    static MonthCost.Line line(String key, String calls, String usd, String projected) {
        return new MonthCost.Line(
                key, new BigDecimal(calls), new BigDecimal(usd), projected == null ? null : new BigDecimal(projected));
    }

    static CostPage page(boolean closed, boolean filtered, List<MonthCost.Line> principals) {
        String p = closed ? null : "0.40";
        return new CostPage(
                closed ? "2026-10" : "2026-11",
                closed,
                List.of(
                        new CostPage.Bar(
                                "2026-10",
                                true,
                                new BigDecimal("0.80"),
                                new BigDecimal("0.00003"),
                                null,
                                new BigDecimal("0.80003"),
                                null),
                        new CostPage.Bar(
                                "2026-11",
                                false,
                                new BigDecimal("0.5466666667"),
                                new BigDecimal("0.000010"),
                                null,
                                new BigDecimal("0.5466766667"),
                                new BigDecimal("0.80001"))),
                null,
                filtered,
                new BigDecimal("0.0031"),
                new BigDecimal("2.5"),
                new BigDecimal("0.0000125"),
                filtered ? null : new BigDecimal("0.000005"),
                new BigDecimal("0.0031125"),
                closed ? null : new BigDecimal("12.5"),
                List.of(line(SECRET, "2.5", "0.0031125", p)),
                List.of(line("123456789012", "2.5", "0.0031125", p)),
                List.of(line("us-east-1", "2.5", "0.0031125", p)),
                List.of(line(TAG, "2.5", "0.0031125", p)),
                principals,
                filtered,
                List.of());
    }

    /** The query as a request gives it: in its order (a Map.of would shuffle the links' parameters). */
    static final Pages.View FILTERED = new Pages.View(
            query("account", "123456789012", "month", "2026-11"), "csrf", LedgerRenderingTest.STATUS, null, List.of());

    static Map<String, String> query(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void the_month_picker_links_every_month_with_the_filters_and_marks_the_one_shown() {
        String html = Pages.cost(page(false, true, List.of(line(PRINCIPAL, "3", "0.000015", null))), FILTERED);
        assertThat(html)
                .contains("<a href=\"/cost?account=123456789012&amp;month=2026-10\">2026-10</a>")
                .contains(
                        "<a class=\"current\" aria-current=\"page\" href=\"/cost?account=123456789012&amp;month=2026-11\">"
                                + "2026-11</a>")
                .contains("id=\"month-over-month\"")
                .contains("<title>2026-10 secrets: $0.8000</title>")
                .contains("<title>2026-11 (to date) API calls: $0.0000</title>")
                .contains("id=\"cost-scope\"")
                .doesNotContain("<span>unattributed</span>");
        assertThat(html.split("<g class=\"month", -1)).as("a bar per month").hasSize(3);
    }

    @Test
    void money_under_a_dollar_shows_four_decimals_and_a_closed_month_has_no_projection() {
        String open = Pages.cost(page(false, false, List.of()), AlertsRenderingTest.VIEW);
        assertThat(open)
                .contains("<span>month to date</span><strong>$0.0031</strong>")
                .contains("<span>projected</span><strong>$12.50</strong>")
                .contains("<span>API calls</span><strong>3 · $0.0000</strong>")
                .contains("<span>unattributed</span><strong>$0.0000</strong>")
                .contains("id=\"mtd-vs-projected\"");
        String closed = Pages.cost(page(true, false, List.of()), AlertsRenderingTest.VIEW);
        assertThat(closed)
                .contains("<span>month</span><strong>2026-10 (closed)</strong>")
                .contains("<span>total</span><strong>$0.0031</strong>")
                .doesNotContain("<span>projected</span>")
                .doesNotContain("id=\"mtd-vs-projected\"")
                .doesNotContain("<th>projected</th>");
    }

    @Test
    void hostile_secret_names_tags_and_principals_are_text() {
        String html = Pages.cost(page(false, false, List.of(line(PRINCIPAL, "3", "0.000015", null))), FILTERED);
        assertThat(html)
                .doesNotContain("<script>alert(1)")
                .doesNotContain("<img src=x")
                .doesNotContain("<svg onload")
                .contains("team/&lt;script&gt;alert(1)&lt;/script&gt;-Ab12Cd")
                .contains("owner=&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("role/&lt;svg onload=alert(3)&gt;")
                .contains(
                        "href=\"/secret?arn=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A123456789012%3Asecret%3Ateam%2F%3Cscript%3E");
    }

    @Test
    void a_long_table_lists_fifty_lines_and_sums_the_rest_as_others() {
        List<MonthCost.Line> many = new ArrayList<>();
        for (int i = 0; i < Pages.COST_ROWS + 3; i++) {
            many.add(line("arn:aws:iam::123456789012:role/r" + (100 + i), "1", "0.000005", null));
        }
        String html = Pages.cost(page(false, false, many), AlertsRenderingTest.VIEW);
        String table = html.substring(html.indexOf("id=\"cost-principal\""));
        table = table.substring(0, table.indexOf("</table>"));
        assertThat(table.split("<tr>", -1)).as("header and fifty lines").hasSize(1 + 1 + Pages.COST_ROWS);
        assertThat(table)
                .contains("role/r149<")
                .doesNotContain("role/r150<")
                .contains("<tr class=\"others\"><td>3 others</td><td>3</td><td>$0.0000</td><td></td></tr>");
    }
}
