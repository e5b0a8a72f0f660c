package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Fills the snapshot's {@code rotation_schedules} from the inventory's rotation rules (see {@link RotationSchedule}). */
final class RotationSchedules {
    private RotationSchedules() {}

    /** @param walk false: the table is left empty (no rule judges the schedules) */
    static void build(Connection c, Timestamp asOf, boolean walk) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("snapshot/rotation-schedules-create"));
        }
        if (!walk) {
            return;
        }
        record Rules(String arn, String expression, Integer afterDays) {}
        // read them all before appending: the Appender writes on the same connection
        List<Rules> rules = new ArrayList<>();
        try (PreparedStatement read = c.prepareStatement(Sql.text("snapshot/rotation-rules"));
                ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                rules.add(new Rules(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3)));
            }
        }
        LocalDate from = asOf.toLocalDateTime().toLocalDate();
        // a cron is walked over 400 years: once per distinct day part, a bounded number of them per report
        RotationSchedule.Walks walks = new RotationSchedule.Walks(from);
        try (DuckDBAppender put =
                c.unwrap(DuckDBConnection.class).createAppender("temp", "main", "rotation_schedules")) {
            for (Rules r : rules) {
                String schedule = r.expression() != null && !r.expression().isBlank()
                        ? r.expression().trim()
                        : "AutomaticallyAfterDays=" + r.afterDays();
                RotationSchedule.Gap g = walks.of(r.expression(), r.afterDays());
                if (g == null) {
                    continue;
                }
                put.beginRow().append(r.arn()).append(schedule);
                if (g.minutes() == null) {
                    put.appendNull().appendNull();
                } else {
                    put.append(g.minutes().longValue()).append(RotationSchedule.text(g.minutes()));
                }
                if (g.lastFiring() == null) {
                    put.appendNull();
                } else {
                    put.append(g.lastFiring());
                }
                if (g.problem() == null) {
                    put.appendNull();
                } else {
                    put.append(g.problem());
                }
                put.endRow();
            }
        }
    }
}
