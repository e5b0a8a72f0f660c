package io.secrettrail.analytics.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.Times;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The dashboard's statements ({@code /sql/dashboard/*.sql}) and the reading of their columns. */
final class Rows {
    private static final ObjectMapper TAGS = io.secrettrail.core.Json.mapper();

    private Rows() {}

    /** {@code /sql/dashboard/<name>.sql}. */
    static String sql(String name) {
        return Sql.text("dashboard/" + name);
    }

    /** Binds account and region, then the range's first and last day, from {@code i}; returns the next index. */
    static int bindScope(PreparedStatement ps, int i, Filters f) throws SQLException {
        ps.setString(i++, f.account());
        ps.setString(i++, f.region());
        return bindRange(ps, i, f);
    }

    /**
     * Binds account and region, the range's first and last day, then the team's ARNs ({@link PageContext#teamArns},
     * null for any team) from {@code i}; returns the next index.
     */
    static int bindScope(PreparedStatement ps, int i, Filters f, String teamArns) throws SQLException {
        i = bindScope(ps, i, f);
        ps.setString(i++, teamArns);
        return i;
    }

    /** Binds the range's first and last day (null for open) from {@code i}; returns the next index. */
    static int bindRange(PreparedStatement ps, int i, Filters f) throws SQLException {
        ps.setObject(i++, f.from());
        ps.setObject(i++, f.to());
        return i;
    }

    static String time(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : Times.format(t.toInstant(ZoneOffset.UTC));
    }

    static String day(ResultSet rs, int col) throws SQLException {
        return rs.getObject(col, LocalDate.class).toString();
    }

    static List<String> strings(ResultSet rs, int col) throws SQLException {
        java.sql.Array a = rs.getArray(col);
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                if (o != null) {
                    out.add(o.toString());
                }
            }
        }
        return out;
    }

    /** Inventory tags ({@code {"k":"v"}}) as {@code k=v}. */
    static List<String> tags(String json) {
        List<String> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            var node = TAGS.readTree(json);
            node.fields()
                    .forEachRemaining(
                            e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        } catch (IOException e) {
            // tags are written by us as JSON; an unreadable value shows no tags
        }
        return out;
    }
}
