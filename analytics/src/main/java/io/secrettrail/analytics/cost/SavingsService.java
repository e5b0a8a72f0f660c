package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Savings with a dollar figure each: deleting unused secrets with their replicas, and caching for
 * hot readers. A (principal, secret) pair is hot when it reads more than {@code maxReadsPerHour}
 * on average over the month so far; cached for {@code ttl}, each caller instance (principal,
 * source IP, user agent) would read once per ttl, as AWS's caching clients do. A caller whose user agent
 * says it already caches (caller kind {@code caching}) is never told to add a cache.
 */
public final class SavingsService {
    private final Prices prices;
    private final int maxReadsPerHour;
    private final Duration ttl;

    public SavingsService(Prices prices, int maxReadsPerHour, Duration ttl) {
        if (maxReadsPerHour < 1) {
            throw new IllegalArgumentException("cache.maxReadsPerHour: must be at least 1, was " + maxReadsPerHour);
        }
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("cache.ttl: must be positive, was " + ttl);
        }
        this.prices = prices;
        this.maxReadsPerHour = maxReadsPerHour;
        this.ttl = ttl;
    }

    /** @param unused the unused-secret alarms of the same report, from the same snapshot */
    public List<Saving> compute(Snapshot snapshot, List<UnusedSecret> unused) throws SQLException {
        List<Saving> out = new ArrayList<>();
        for (UnusedSecret f : unused) {
            // the secret and each replica at the price of its own region (price.region.<region>.secretMonthUsd)
            List<String> replicaRegions = replicaRegions(snapshot.connection(), f.arn());
            long replicas = replicaRegions.size();
            BigDecimal monthly = regional(f.arn()).secretMonthUsd();
            for (String r : replicaRegions) {
                monthly = monthly.add(prices.forRegion(r).secretMonthUsd());
            }
            out.add(new Saving(
                    "delete-unused",
                    f.arn(),
                    null,
                    Prices.cents(monthly),
                    "delete the unused secret"
                            + (replicas == 0
                                    ? ""
                                    : replicas == 1 ? " and its replica" : " and its " + replicas + " replicas")
                            + ": " + f.reason()));
        }
        out.addAll(caching(snapshot.connection(), snapshot.asOf()));
        out.sort(Comparator.comparing(Saving::monthlyUsd)
                .reversed()
                .thenComparing(Saving::resource)
                .thenComparing(Saving::principal, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    private static List<String> replicaRegions(Connection conn, String primaryArn) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/replicas"))) {
            ps.setString(1, primaryArn);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The prices of the secret's region (its ARN's); the global ones when the ARN has none. */
    private Prices regional(String arn) {
        return io.secrettrail.core.secret.SecretArn.parse(arn)
                .map(a -> prices.forRegion(a.region()))
                .orElse(prices);
    }

    private List<Saving> caching(Connection conn, Instant asOf) throws SQLException {
        Month m = Month.of(asOf);
        double hours = Duration.between(m.start(), asOf).toSeconds() / 3600.0;
        List<Saving> out = new ArrayList<>();
        if (hours <= 0) {
            return out;
        }
        double ttlHours = ttl.toSeconds() / 3600.0;
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/hot-readers"))) {
            ps.setTimestamp(1, ts(asOf));
            ps.setTimestamp(2, ts(m.start()));
            ps.setInt(3, maxReadsPerHour);
            ps.setDouble(4, hours);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long reads = rs.getLong(3);
                    long instances = rs.getLong(4);
                    double cachedReads = instances * Math.ceil(hours / ttlHours);
                    double savedSoFar = Math.max(0, reads - cachedReads);
                    BigDecimal monthly =
                            regional(rs.getString(1)).callsUsd(BigDecimal.valueOf(savedSoFar / hours * m.hours()));
                    out.add(new Saving(
                            "cache",
                            rs.getString(1),
                            rs.getString(2),
                            Prices.cents(monthly),
                            String.format(
                                    Locale.ROOT,
                                    "%s reads it %.0f times an hour on average from %d caller instance%s (the threshold is %d); caching for %s "
                                            + "would save %,.0f calls a month",
                                    rs.getString(2),
                                    reads / hours,
                                    instances,
                                    instances == 1 ? "" : "s",
                                    maxReadsPerHour,
                                    ttl.toMinutes() % 60 == 0 ? ttl.toHours() + " h" : ttl.toMinutes() + " min",
                                    savedSoFar / hours * m.hours())));
                }
            }
        }
        return out;
    }

    private static Timestamp ts(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
}
