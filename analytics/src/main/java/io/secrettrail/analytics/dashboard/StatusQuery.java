package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.core.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The footer and /api/v1/status: what is stored, the latest event, events from the future, the report's build. */
final class StatusQuery {
    private record Key(Instant minute) implements ResultCache.Key<Status> {
        @Override
        public Class<Status> type() {
            return Status.class;
        }
    }

    private final PageContext ctx;

    StatusQuery(PageContext ctx) {
        this.ctx = ctx;
    }

    Status status() throws SQLException {
        Instant cutoff = ctx.futureCutoff();
        return ctx.cache().get(new Key(cutoff.truncatedTo(ChronoUnit.MINUTES)), () -> compute(cutoff));
    }

    private Status compute(Instant cutoff) throws SQLException {
        LocalDateTime at = LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        try (Connection c = ctx.store().reader();
                PreparedStatement ps = c.prepareStatement(Rows.sql("status"))) {
            ps.setObject(1, at);
            ps.setObject(2, at.toLocalDate());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Report r = ctx.report();
                var reports = ctx.reports();
                return new Status(
                        ctx.store().version(),
                        rs.getLong(1),
                        rs.getLong(2),
                        Rows.time(rs, 3),
                        reports.builtVersion(),
                        Times.format(reports.builtAt()),
                        reports.lastBuild().toMillis() / 1000.0,
                        r == null ? null : Times.format(r.asOf()),
                        new UnknownNames(rs.getLong(6), rs.getLong(7)),
                        rs.getLong(4),
                        Rows.time(rs, 5));
            }
        }
    }
}
