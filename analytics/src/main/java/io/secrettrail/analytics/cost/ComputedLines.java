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
 * the monthly price — both at the secret's region's prices, unattributed calls at their region's call price. KMS,
 * from each month's {@link KmsMonth} (when the data holds KMS requests): per month, billed account and region the
 * requests made for secrets, at that region's request price and after the free tier, as AWS bills them; per customer
 * managed key, on its owner's account, its key-months and fee (the fee over the region's monthly key price).
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
    public Set<String> kinds() {
        // KMS only when the data holds KMS requests: else its billed lines are explained, not computed as zero
        return months.stream().anyMatch(m -> m.kms() != null)
                ? Set.of(UsageKinds.SECRETS, UsageKinds.API_REQUESTS, UsageKinds.KMS_REQUESTS, UsageKinds.KMS_KEYS)
                : Set.of(UsageKinds.SECRETS, UsageKinds.API_REQUESTS);
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
                // the line priced its calls and storage in the secret's region, as the cost model does
                BigDecimal callsUsd = prices.callsUsd(arn.region(), l.calls());
                BigDecimal storage = l.usd().subtract(callsUsd);
                BigDecimal secretMonths = prices.secretMonths(arn.region(), storage);
                out.add(new ComputedLine(
                        m.month(), arn.account(), arn.region(), UsageKinds.SECRETS, l.key(), secretMonths, storage));
                out.add(new ComputedLine(
                        m.month(), arn.account(), arn.region(), UsageKinds.API_REQUESTS, l.key(), l.calls(), callsUsd));
            }
            if (m.kms() != null) {
                kms(m.month(), m.kms(), out);
            }
        }
        try (PreparedStatement ps = snapshot.connection().prepareStatement(Sql.text("cost/unattributed-by-region"))) {
            ps.setTimestamp(1, snapshot.asOfTimestamp());
            ps.setTimestamp(2, snapshot.asOfTimestamp()); // no rate window: calls to asOf only
            ps.setBoolean(3, batchEntriesBilled);
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
                            prices.callsUsd(rs.getString(3), n)));
                }
            }
        }
        return out;
    }

    /**
     * A month's KMS lines: requests per billed account and region after the free tier (what AWS bills: the
     * account's first free requests at $0), fees per customer managed key on the account that owns the key.
     */
    private void kms(String month, KmsMonth k, List<ComputedLine> out) {
        for (KmsMonth.Requests r : k.byAccountRegion()) {
            out.add(new ComputedLine(
                    month,
                    r.account(),
                    r.region(),
                    UsageKinds.KMS_REQUESTS,
                    null,
                    BigDecimal.valueOf(r.requests()),
                    r.billedUsd()));
        }
        java.util.Map<String, BigDecimal[]> keys = new java.util.TreeMap<>(); // key\taccount\tregion
        k.bySecret().forEach((secret, s) -> {
            SecretArn arn = SecretArn.parse(secret).orElse(null);
            if (arn == null || s.keyFeeUsd().signum() == 0) {
                return;
            }
            String region = KmsCost.kmsRegion(s.key(), arn.region());
            String account = KmsCost.keyAccount(s.key(), arn.account());
            keys.merge(s.key() + "\t" + account + "\t" + region, new BigDecimal[] {s.keyFeeUsd()}, (a, b) ->
                    new BigDecimal[] {a[0].add(b[0])});
        });
        keys.forEach((kar, v) -> {
            String[] p = kar.split("\t");
            BigDecimal monthly = prices.forRegion(p[2]).kmsKeyMonthUsd();
            BigDecimal keyMonths = monthly.signum() == 0 ? BigDecimal.ZERO : v[0].divide(monthly, Prices.MC);
            out.add(new ComputedLine(month, p[1], p[2], UsageKinds.KMS_KEYS, p[0], keyMonths, v[0]));
        });
    }
}
