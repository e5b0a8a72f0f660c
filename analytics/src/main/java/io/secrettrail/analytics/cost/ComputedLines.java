package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.billing.UsageKinds;
import io.secrettrail.core.secret.SecretArn;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The computed side of the reconciliation, from the cost model's months ({@code cost.months}): per month and
 * secret, its storage in secret-months and dollars and its calls; per month, account and region, the calls that
 * name no existing secret. A secret's storage is its line's cost less its calls' cost; in secret-months, that over
 * the monthly price. KMS is not here yet: its lines are reported as not computed.
 */
public final class ComputedLines implements ReconciliationService.Computed {
    private final List<MonthCost> months;
    private final Prices prices;
    private final boolean batchEntriesBilled;

    public ComputedLines(List<MonthCost> months, Prices prices, boolean batchEntriesBilled) {
        this.months = months == null ? List.of() : months;
        this.prices = prices;
        this.batchEntriesBilled = batchEntriesBilled;
    }

    @Override
    public List<ComputedLine> lines(Snapshot snapshot, Set<YearMonth> wanted) throws SQLException {
        List<ComputedLine> out = new ArrayList<>();
        for (MonthCost m : months) {
            if (!wanted.contains(YearMonth.parse(m.month()))) {
                continue;
            }
            for (MonthCost.Line l : m.bySecret()) {
                SecretArn arn = SecretArn.parse(l.key()).orElse(null);
                if (arn == null) {
                    continue;
                }
                BigDecimal callsUsd = prices.callsUsd(l.calls());
                BigDecimal storage = l.usd().subtract(callsUsd);
                BigDecimal secretMonths = prices.secretMonthUsd().signum() == 0
                        ? BigDecimal.ZERO
                        : storage.divide(prices.secretMonthUsd(), Prices.MC);
                out.add(new ComputedLine(
                        m.month(), arn.account(), arn.region(), UsageKinds.SECRETS, l.key(), secretMonths, storage));
                out.add(new ComputedLine(
                        m.month(), arn.account(), arn.region(), UsageKinds.API_REQUESTS, l.key(), l.calls(), callsUsd));
            }
        }
        try (PreparedStatement ps =
                snapshot.connection().prepareStatement(Sql.text("billing/unattributed-by-region"))) {
            ps.setTimestamp(1, snapshot.asOfTimestamp());
            ps.setBoolean(2, batchEntriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!wanted.contains(YearMonth.parse(rs.getString(1)))) {
                        continue;
                    }
                    BigDecimal n = BigDecimal.valueOf(rs.getLong(4));
                    out.add(new ComputedLine(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            UsageKinds.API_REQUESTS,
                            null,
                            n,
                            prices.callsUsd(n)));
                }
            }
        }
        return out;
    }
}
