package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.core.Money;
import io.secrettrail.core.Times;
import io.secrettrail.core.secret.SecretArn;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every secret known, with what its row shows whatever the range ({@link Base}), and one range's
 * figures per secret ({@link Stats}): what the secrets table and the overview are built from,
 * cached apart so that each distinct filter costs a few arrays, not a list of rows.
 */
final class SecretIndex {
    /**
     * What a secret's row shows whatever the range: its name, inventory tags, the report's rotation, cost and alerts.
     *
     * @param goneAt when an inventory tombstone said it left the listing (null: listed, or never listed)
     * @param exists the report's {@code exists} (null before the first report, or when not confirmed nor covered)
     */
    record Base(
            String arn,
            String name,
            String account,
            String region,
            boolean inInventory,
            String goneAt,
            Boolean exists,
            String lastRotated,
            String rotation,
            String projectedUsd,
            String monthToDateUsd,
            BigDecimal projected,
            MonthCost.Line exact,
            List<String> tags,
            List<String> alerts,
            String team) {}

    /** Every secret known (from events of any day, the inventory and the report), in ARN order. */
    record Bases(long id, List<Base> rows) {
        /** The row of an ARN, by binary search (no index map: the rows are the largest entry of the cache). */
        int indexOf(String arn) {
            int lo = 0;
            int hi = rows.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = rows.get(mid).arn().compareTo(arn);
                if (c == 0) {
                    return mid;
                }
                if (c < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -1;
        }
    }

    /**
     * One range's figures per secret, aligned with {@link Bases#rows}: a few arrays, not a list of
     * rows, so each distinct filter costs little in the cache and a page builds only its own rows.
     */
    record Stats(long[] calls, long[] errors, long[] principals, Instant[] lastRead) {}

    private record BasesKey() implements ResultCache.Key<Bases> {
        @Override
        public Class<Bases> type() {
            return Bases.class;
        }
    }

    private record StatsKey(LocalDate from, LocalDate to, long bases) implements ResultCache.Key<Stats> {
        @Override
        public Class<Stats> type() {
            return Stats.class;
        }
    }

    private final PageContext ctx;
    private final AtomicLong basesBuilt = new AtomicLong();

    SecretIndex(PageContext ctx) {
        this.ctx = ctx;
    }

    Bases bases(Connection c) throws SQLException {
        return ctx.cache().get(new BasesKey(), () -> computeBases(c));
    }

    private Bases computeBases(Connection c) throws SQLException {
        Report r = ctx.report();
        Map<String, Report.SecretSummary> summaries = new HashMap<>();
        Map<String, List<String>> alerts = alertsBySecret(r, summaries);
        Map<String, MonthCost.Line> exact = OpenMonth.lines(r, MonthCost::bySecret);
        Map<String, String[]> inventory = new HashMap<>();
        Set<String> arns = new TreeSet<>(summaries.keySet());
        try (PreparedStatement ps = c.prepareStatement(Rows.sql("inventory-names"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                inventory.put(rs.getString(1), inventoryOf(rs));
                arns.add(rs.getString(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Rows.sql("event-secrets"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                arns.add(rs.getString(1));
            }
        }
        List<Base> rows = new ArrayList<>(arns.size());
        for (String arn : arns) {
            rows.add(base(
                    arn,
                    summaries.get(arn),
                    inventory.get(arn),
                    alerts.getOrDefault(arn, List.of()),
                    exact.get(arn),
                    r));
        }
        return new Bases(basesBuilt.incrementAndGet(), List.copyOf(rows));
    }

    Stats stats(Connection c, Filters f, Bases b) throws SQLException {
        // account and region are applied on the rows; the figures depend on the range, aligned with these rows
        return ctx.cache().get(new StatsKey(f.from(), f.to(), b.id()), () -> {
            int n = b.rows().size();
            Stats st = new Stats(new long[n], new long[n], new long[n], new Instant[n]);
            Map<String, Instant> lastRead = new HashMap<>();
            for (Map.Entry<String, long[]> e : secretStats(c, f, null, lastRead).entrySet()) {
                int i = b.indexOf(e.getKey());
                if (i >= 0) {
                    st.calls()[i] = e.getValue()[0];
                    st.errors()[i] = e.getValue()[1];
                    st.principals()[i] = e.getValue()[2];
                    st.lastRead()[i] = lastRead.get(e.getKey());
                }
            }
            return st;
        });
    }

    /** The rows of every secret, or of one ({@code onlyArn}), with the range's figures and the report's; uncached. */
    List<SecretRow> rows(Connection c, Filters f, String onlyArn) throws SQLException {
        Map<String, Instant> lastRead = new HashMap<>();
        Map<String, long[]> stats = secretStats(c, f, onlyArn, lastRead);
        Map<String, Report.SecretSummary> summaries = new HashMap<>();
        Map<String, List<String>> alerts = alertsBySecret(ctx.report(), summaries);
        Map<String, MonthCost.Line> exact = OpenMonth.lines(ctx.report(), MonthCost::bySecret);
        Map<String, String[]> inventory = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Rows.sql("inventory-name"))) {
            ps.setString(1, onlyArn);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inventory.put(rs.getString(1), inventoryOf(rs));
                }
            }
        }
        Set<String> arns = new TreeSet<>(stats.keySet());
        arns.addAll(inventory.keySet());
        arns.addAll(onlyArn == null ? summaries.keySet() : summaries.containsKey(onlyArn) ? Set.of(onlyArn) : Set.of());
        List<SecretRow> out = new ArrayList<>();
        for (String arn : arns) {
            if (!f.accepts(arn)) {
                continue;
            }
            long[] st = stats.getOrDefault(arn, new long[3]);
            Base x = base(
                    arn,
                    summaries.get(arn),
                    inventory.get(arn),
                    alerts.getOrDefault(arn, List.of()),
                    exact.get(arn),
                    ctx.report());
            if (!f.acceptsTeam(x.team())) {
                continue;
            }
            out.add(row(x, st[0], st[1], st[2], lastRead.get(arn)));
        }
        return out;
    }

    static SecretRow row(Base x, long calls, long errors, long principals, Instant lastRead) {
        return new SecretRow(
                x.arn(),
                x.name(),
                x.account(),
                x.region(),
                x.inInventory(),
                calls,
                errors,
                principals,
                Times.format(lastRead),
                x.lastRotated(),
                x.rotation(),
                x.projectedUsd(),
                x.monthToDateUsd(),
                x.tags(),
                x.alerts(),
                x.goneAt() == null ? SecretRow.LIVE : SecretRow.GONE,
                x.goneAt(),
                x.exists(),
                x.exact() == null ? null : Money.json(x.exact().usd()),
                x.exact() == null || x.exact().projectedUsd() == null
                        ? null
                        : Money.json(x.exact().projectedUsd()),
                x.team());
    }

    /** Name, tags and gone time of an inventory row (inventory-name / inventory-names). */
    private static String[] inventoryOf(ResultSet rs) throws SQLException {
        return new String[] {rs.getString(2), rs.getString(3), Rows.time(rs, 4)};
    }

    static boolean accepts(Filters f, Base x) {
        return (f.account() == null || f.account().equals(x.account()))
                && (f.region() == null || f.region().equals(x.region()))
                && f.acceptsTeam(x.team());
    }

    /** The report's summaries into {@code summaries}; its alerts' rules by resource. */
    private static Map<String, List<String>> alertsBySecret(Report r, Map<String, Report.SecretSummary> summaries) {
        Map<String, List<String>> alerts = new HashMap<>();
        if (r != null) {
            r.secrets().forEach(s -> summaries.put(s.arn(), s));
            for (Finding a : r.alerts()) {
                alerts.computeIfAbsent(a.resource(), k -> new ArrayList<>()).add(a.rule());
            }
        }
        return alerts;
    }

    /** Per secret (resolved ARN), the range's calls, errors, principals and last read, from rollup_daily. */
    private static Map<String, long[]> secretStats(
            Connection c, Filters f, String onlyArn, Map<String, Instant> lastRead) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Rows.sql("secret-stats"))) {
            ps.setString(1, onlyArn);
            Rows.bindRange(ps, 2, f);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                    LocalDateTime t = rs.getObject(5, LocalDateTime.class);
                    if (t != null) {
                        lastRead.put(rs.getString(1), t.toInstant(ZoneOffset.UTC));
                    }
                }
            }
        }
        return out;
    }

    /** @param r the report the team comes from (null before the first: no team) */
    private static Base base(
            String arn,
            Report.SecretSummary s,
            String[] inv,
            List<String> secretAlerts,
            MonthCost.Line exact,
            Report r) {
        var parsed = SecretArn.parse(arn);
        String name = inv != null ? inv[0] : s != null ? s.name() : arn;
        String rotation =
                s == null || s.rotationEnabled() == null ? "unknown" : s.rotationEnabled() ? "enabled" : "disabled";
        if (secretAlerts.contains("rotation-failed")) {
            rotation = "failing";
        } else if (secretAlerts.contains("stale-rotation") || secretAlerts.contains("rotation-overdue")) {
            rotation = rotation.equals("enabled") ? "overdue" : "stale";
        }
        return new Base(
                arn,
                name,
                parsed.map(SecretArn::account).orElse(null),
                parsed.map(SecretArn::region).orElse(null),
                inv != null,
                inv == null ? null : inv[2],
                s == null ? null : s.exists(),
                s == null ? null : Times.format(s.lastRotated()),
                rotation,
                s == null || s.cost() == null ? null : s.cost().projectedUsd().toPlainString(),
                s == null || s.cost() == null ? null : s.cost().monthToDateUsd().toPlainString(),
                s == null || s.cost() == null ? BigDecimal.ZERO : s.cost().projectedUsd(),
                exact,
                inv == null ? List.of() : Rows.tags(inv[1]),
                List.copyOf(new TreeSet<>(secretAlerts)),
                r == null ? null : r.teamOf(arn));
    }
}
