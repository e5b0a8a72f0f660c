package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.dashboard.Overview;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.SecretRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15 §1 and §5 on the pages: a gone secret's badge, the live count, and money under $1 to four decimals. */
class SecretsRenderingTest {
    static final String HOSTILE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:<img src=x onerror=alert(1)>";

    /** @param projected the exact figure; the v1 one is it to the cent */
    static SecretRow row(String arn, String name, String goneAt, Boolean exists, String projected) {
        String cents = new java.math.BigDecimal(projected)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .toPlainString();
        return new SecretRow(
                arn,
                name,
                "123456789012",
                "us-east-1",
                true,
                3,
                0,
                1,
                null,
                null,
                "enabled",
                cents,
                cents,
                List.of(),
                List.of(),
                goneAt == null ? "live" : "gone",
                goneAt,
                exists,
                null,
                projected,
                "payments");
    }

    @Test
    void a_gone_secret_has_a_gone_badge_and_a_live_one_none() {
        Page<SecretRow> p = new Page<>(
                List.of(
                        row(HOSTILE, "<img src=x onerror=alert(1)>", "2026-11-11T00:00:00Z", true, "0.1333333333"),
                        row(
                                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3",
                                "prod/db",
                                null,
                                true,
                                "12.5")),
                1,
                50,
                2);
        String html = Pages.secrets(p, AlertsRenderingTest.VIEW);
        assertThat(html)
                .contains("<tr class=\"state-gone\">")
                .contains("<tr class=\"state-live\">")
                .containsOnlyOnce(
                        "<span class=\"badge gone\" title=\"left the listing 2026-11-11T00:00:00Z\">gone</span>")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain("<img src=x")
                .as("the exact figure, not the v1 cents shown to four places")
                .contains("<td>$0.1333</td>")
                .contains("<td>$12.50</td>");
    }

    @Test
    void the_overview_counts_live_secrets_and_shows_the_gone_apart_with_exact_money() {
        Overview o = new Overview(
                2, 1, 10, 0, 1, "0.00", "0.42", "0.0031", null, Map.of(), Map.of(), 0, List.of(), List.of(), List.of(),
                null);
        String html = Pages.overview(o, AlertsRenderingTest.VIEW);
        assertThat(html)
                .contains("<span>live secrets</span><strong>2</strong>")
                .contains("<span>gone (left the listing)</span><strong>1</strong>")
                .contains("<strong>$0.0031</strong>")
                .contains("<strong>$0.4200</strong>");
        Overview none = new Overview(
                2, 0, 10, 0, 1, "3", "4", null, null, Map.of(), Map.of(), 0, List.of(), List.of(), List.of(), null);
        assertThat(Pages.overview(none, AlertsRenderingTest.VIEW))
                .doesNotContain("gone (left the listing)")
                .contains("<strong>$3.00</strong>");
    }
}
