package io.secrettrail.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.billing.BilledLine;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4 (review M4, H3): a re-read replaces per source, account and month, so another account's export of the
 * same month stays; a line whose month is not a real one is never stored, nor read back.
 */
class BilledLinesTest {
    static final Instant AT = Instant.parse("2026-11-03T00:00:00Z");

    static BilledLine line(String account, String month, String quantity) {
        return new BilledLine(
                "cur2",
                account + ".parquet",
                month,
                account,
                "us-east-1",
                "secretsmanager",
                "AWSSecretsManager-Secrets",
                "secrets",
                "Usage",
                "r",
                new BigDecimal(quantity),
                new BigDecimal("0.4"),
                null);
    }

    private static List<String> stored(EventStore store) throws Exception {
        try (Connection c = store.reader()) {
            return BilledLines.upTo(c, YearMonth.of(2026, 12)).stream()
                    .map(l -> l.account() + " " + l.month() + " "
                            + l.quantity().stripTrailingZeros().toPlainString())
                    .toList();
        }
    }

    @Test
    void another_accounts_export_of_the_same_month_stays_and_a_re_read_of_one_replaces_only_its_own() throws Exception {
        try (EventStore store = EventStore.open(null)) {
            store.writeTransaction(w -> BilledLines.replace(w, List.of(line("111111111111", "2026-10", "1")), AT));
            store.writeTransaction(w -> BilledLines.replace(w, List.of(line("222222222222", "2026-10", "2")), AT));
            assertThat(stored(store)).containsExactly("111111111111 2026-10 1", "222222222222 2026-10 2");

            store.writeTransaction(w -> BilledLines.replace(
                    w, List.of(line("111111111111", "2026-10", "5"), line("111111111111", "2026-11", "1")), AT));
            assertThat(stored(store))
                    .containsExactly("111111111111 2026-10 5", "222222222222 2026-10 2", "111111111111 2026-11 1");
        }
    }

    @Test
    void a_line_of_a_month_that_is_not_real_is_not_stored_and_one_stored_earlier_is_not_read_back() throws Exception {
        try (EventStore store = EventStore.open(null)) {
            store.writeTransaction(w -> BilledLines.replace(
                    w,
                    List.of(
                            line("111111111111", "2026-00", "1"),
                            line("111111111111", "9999-99", "1"),
                            line("111111111111", "2026-12", "1")),
                    AT));
            assertThat(stored(store)).containsExactly("111111111111 2026-12 1");
            store.writeTransaction(w -> {
                try (Statement s = w.createStatement()) {
                    return s.executeUpdate("UPDATE billed_lines SET month = '2026-0x'");
                }
            });
            assertThat(stored(store)).isEmpty();
        }
    }

    @Test
    void real_months_are_yyyy_mm_from_january_to_december() {
        assertThat(BilledLines.realMonth("2026-01")).isTrue();
        assertThat(BilledLines.realMonth("2026-12")).isTrue();
        assertThat(BilledLines.realMonth("2026-13")).isFalse();
        assertThat(BilledLines.realMonth("2026-00")).isFalse();
        assertThat(BilledLines.realMonth("2026-1")).isFalse();
        assertThat(BilledLines.realMonth("garbage")).isFalse();
        assertThat(BilledLines.realMonth(null)).isFalse();
    }
}
