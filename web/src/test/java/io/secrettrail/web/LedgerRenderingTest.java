package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.dashboard.Access;
import io.secrettrail.analytics.dashboard.Status;
import io.secrettrail.analytics.dashboard.UnknownNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12 items 5 and 8: the others row of a bounded ledger and the unknown-names line render. */
class LedgerRenderingTest {
    static final Status STATUS = new Status(
            3,
            250_000,
            1_000,
            "2026-11-21T11:00:00Z",
            3,
            "2026-11-21T12:00:00Z",
            1.5,
            "2026-11-21T12:00:00Z",
            new UnknownNames(249_000, 248_990),
            0,
            null);

    @Test
    void the_principal_page_shows_the_others_row_and_the_footer_the_unknown_names() {
        Access a = new Access(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3",
                "arn:aws:iam::123456789012:role/app",
                50_990,
                0,
                "2026-11-20T12:00:00Z",
                "2026-11-20T13:00:00Z",
                List.of("10.0.0.1"),
                List.of("heavy-0", "<b>x</b>"),
                49_980,
                49_980);
        String html = Pages.principal(
                "arn:aws:iam::123456789012:role/app",
                List.of(a),
                "{}",
                false,
                new Pages.View(Map.of(), "csrf", STATUS, null, List.of()));
        assertThat(html)
                .contains("<div class=\"others\">49980 other clients (49980 calls)</div>")
                .contains("&lt;b&gt;x&lt;/b&gt;")
                .contains(
                        "<span id=\"unknown-names\">249000 calls to 248990 unknown names (not listed as secrets).</span>");
    }

    @Test
    void the_ledger_shows_the_kinds_of_a_principals_listed_clients() {
        Access a = new Access(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3",
                "arn:aws:iam::123456789012:role/app",
                3,
                0,
                "2026-11-20T12:00:00Z",
                "2026-11-20T13:00:00Z",
                List.of("10.0.0.1"),
                List.of(
                        "aws-sdk-rust/1.3.3 os/linux lang/rust/1.82.0 aws-secrets-manager-agent/2.0.0",
                        "aws-cli/2.9.1 Python/3.9.11",
                        "curl/8.5.0"),
                0,
                0);
        assertThat(a.callerKinds()).containsExactly("caching", "cli", "unknown");
        String html = Pages.principal(
                "arn:aws:iam::123456789012:role/app",
                List.of(a),
                "{}",
                false,
                new Pages.View(Map.of(), "csrf", STATUS, null, List.of()));
        assertThat(html).contains("<th>caller kinds</th>").contains("<td>caching, cli, unknown</td>");
    }
}
