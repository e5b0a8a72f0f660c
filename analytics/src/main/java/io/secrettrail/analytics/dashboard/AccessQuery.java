package io.secrettrail.analytics.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The access ledger from rollup_clients: per (secret, principal), optionally one secret or one
 * principal (the principal page); the top {@code ledger.topClients} clients by calls are listed,
 * the rest (and the others rows of compaction) counted. Uncached: it is read for one secret or one
 * principal at a time.
 */
final class AccessQuery {
    private final PageContext ctx;

    AccessQuery(PageContext ctx) {
        this.ctx = ctx;
    }

    Page<Access> access(Filters f, String secret, String principal, int page, int pageSize) throws SQLException {
        List<Access> out = new ArrayList<>();
        try (Connection c = ctx.store().reader();
                PreparedStatement ps = c.prepareStatement(Rows.sql("access"))) {
            ps.setString(1, secret);
            ps.setString(2, principal);
            int i = Rows.bindScope(ps, 3, f, ctx.teamArns(f));
            ps.setInt(i, ctx.store().limits().topClients());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Access(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            Rows.time(rs, 5),
                            Rows.time(rs, 6),
                            Rows.strings(rs, 7),
                            Rows.strings(rs, 8),
                            rs.getLong(9),
                            rs.getLong(10)));
                }
            }
        }
        return Page.of(out, page, pageSize);
    }
}
