package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.core.billing.UsageKinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's {@code cost.reconciliation}: the stored billing lines ({@link BilledLines}) of the months up to
 * asOf, against the lines the cost model computes for those months, explained from the snapshot.
 */
public final class ReconciliationService {

    /** The computed side: SecretTrail's figures for the given months. */
    @FunctionalInterface
    public interface Computed {
        /**
         * @return the computed lines of the months
         */
        List<ComputedLine> lines(Snapshot snapshot, Set<YearMonth> months) throws SQLException;

        /** The usage kinds these lines cover (others are reported as not computed). */
        default Set<String> kinds() {
            return Set.of(UsageKinds.SECRETS, UsageKinds.API_REQUESTS);
        }
    }

    private final Prices prices;
    private final Computed computed;

    public ReconciliationService(Prices prices, Computed computed) {
        this.prices = prices;
        this.computed = computed;
    }

    /** Null when no billing data is stored for the months up to asOf. */
    public Reconciliation compute(Snapshot snapshot) throws SQLException {
        Connection conn = snapshot.connection();
        Instant asOf = snapshot.asOf();
        List<BilledLine> billed = BilledLines.upTo(conn, YearMonth.from(asOf.atZone(ZoneOffset.UTC)));
        if (billed.isEmpty()) {
            return null;
        }
        Set<YearMonth> months = new java.util.TreeSet<>();
        billed.forEach(b -> months.add(YearMonth.parse(b.month())));
        Map<String, Reconciler.Span> spans = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/trail-spans"))) {
            ps.setTimestamp(1, snapshot.asOfTimestamp());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    spans.put(
                            rs.getString(1) + "/" + rs.getString(2),
                            new Reconciler.Span(instant(rs, 3), instant(rs, 4)));
                }
            }
        }
        Map<String, Boolean> exists = new HashMap<>();
        Set<String> inventoried = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/known-secrets"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                exists.put(rs.getString(1), (Boolean) rs.getObject(2));
                if (rs.getBoolean(3)) {
                    inventoried.add(rs.getString(1));
                }
            }
        }
        Reconciler.Context ctx =
                new Reconciler.Context(asOf, spans, exists, inventoried, computed.kinds(), this::unitPrice);
        return new Reconciler().reconcile(billed, computed.lines(snapshot, months), ctx);
    }

    /** A line's configured unit price: its region's where the region sets one, naming that setting. */
    private Reconciler.UnitPrice unitPrice(String kind, String region) {
        if (UsageKinds.SECRETS.equals(kind)) {
            return new Reconciler.UnitPrice(
                    prices.forRegion(region).secretMonthUsd(), prices.setting(region, "secretMonthUsd"));
        }
        if (UsageKinds.API_REQUESTS.equals(kind)) {
            return new Reconciler.UnitPrice(
                    prices.perCallUsd(region), prices.setting(region, "per10kCallsUsd") + " / 10,000");
        }
        return null;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
