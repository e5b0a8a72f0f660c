package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.billing.BilledLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code billed_lines} table (V012): AWS's billing lines for Secrets Manager and KMS, whatever their source.
 * A read replaces, per source and account, the months it brings: CUR exports of an open month are rewritten in place,
 * so a second read of the same export must not add to the first; another account's export of the same month (another
 * payer, or a member account's own) stays. A line whose month is not a real one (YYYY-MM) is never stored, and one
 * stored before that check is not read back, so that a report never fails on it.
 */
public final class BilledLines {
    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-[0-9]{2}");

    private BilledLines() {}

    /**
     * Stores the lines of one read on the writer connection (the caller commits), replacing what an earlier read
     * of the same source stored for the same accounts and months. Lines whose month is not a real one are left out
     * (the readers name and skip them first).
     *
     * @return the lines stored
     */
    public static int replace(Connection writer, List<BilledLine> all, Instant readAt) throws SQLException {
        List<BilledLine> lines = all.stream().filter(l -> realMonth(l.month())).toList();
        Set<List<String>> months = new LinkedHashSet<>();
        lines.forEach(l -> months.add(Arrays.asList(l.source(), l.account(), l.month())));
        try (PreparedStatement del = writer.prepareStatement(Sql.text("billing/delete-months"))) {
            for (List<String> sam : months) {
                del.setString(1, sam.get(0));
                del.setString(2, sam.get(1));
                del.setString(3, sam.get(2));
                del.executeUpdate();
            }
        }
        Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(readAt, ZoneOffset.UTC));
        try (PreparedStatement ins = writer.prepareStatement(Sql.text("billing/insert"))) {
            for (BilledLine l : lines) {
                ins.setString(1, l.source());
                ins.setString(2, l.file());
                ins.setString(3, l.month());
                ins.setString(4, l.account());
                ins.setString(5, l.region());
                ins.setString(6, l.service());
                ins.setString(7, l.usageType());
                ins.setString(8, l.usageKind());
                ins.setString(9, l.lineItemType());
                ins.setString(10, l.resourceId());
                ins.setBigDecimal(11, l.quantity());
                ins.setBigDecimal(12, l.unblendedUsd());
                ins.setBigDecimal(13, l.netUsd());
                ins.setTimestamp(14, at);
                ins.addBatch();
            }
            ins.executeBatch();
        }
        return lines.size();
    }

    /** Every stored line of the months up to {@code last}. */
    public static List<BilledLine> upTo(Connection conn, YearMonth last) throws SQLException {
        List<BilledLine> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/lines"))) {
            ps.setString(1, last.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!realMonth(rs.getString(3))) {
                        continue;
                    }
                    out.add(new BilledLine(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10),
                            rs.getBigDecimal(11),
                            rs.getBigDecimal(12),
                            rs.getBigDecimal(13)));
                }
            }
        }
        return out;
    }

    /** True for a real month written YYYY-MM (2026-00, 9999-99 and garbage are not). */
    public static boolean realMonth(String month) {
        if (month == null || !MONTH.matcher(month).matches()) {
            return false;
        }
        try {
            YearMonth.parse(month);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
