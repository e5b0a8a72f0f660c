package io.secrettrail.analytics.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost model. Storage: every secret and replica known to exist, billed from max(month start, creation
 * — for a secret outside the inventory without a CreateSecret, the first event that confirms it) until
 * the earlier of asOf (month to date) or month end (projection) and the moment it was scheduled for
 * deletion or left the listing. Calls: every unique AwsApiCall Secrets Manager event in the month, failed
 * calls included, service events excluded; a call naming n existing secrets is attributed 1/n to each, a
 * call naming none (only names not known to exist) is unattributed.
 * Projection: calls to date plus the rate over [max(month start, asOf - 7 days), asOf) times the
 * hours left. It reads the secrets and their references from the {@link Snapshot} it is given.
 *
 * <p>AWS does not document whether the {@code GetSecretValue} entries a {@code BatchGetSecretValue} generates
 * are billed: with {@code price.batchEntriesBilled} false (the default) the batch is billed once, split over
 * the secrets it names, and its entries (the snapshot's {@code batch_entries}) are not calls; with true each
 * entry is a call as well. The report states which ({@link CostReport.Assumptions}).
 */
public final class CostService {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    private static final int TOP_PRINCIPALS = 10;

    private final Prices prices;
    private final boolean batchEntriesBilled;

    /** With {@code price.batchEntriesBilled} false. */
    public CostService(Prices prices) {
        this(prices, false);
    }

    /** @param batchEntriesBilled {@code price.batchEntriesBilled}: whether a batch's generated entries are billed */
    public CostService(Prices prices, boolean batchEntriesBilled) {
        this.prices = prices;
        this.batchEntriesBilled = batchEntriesBilled;
    }

    private record SecretRow(
            String arn,
            String account,
            String region,
            Map<String, String> tags,
            BigDecimal storageMtd,
            BigDecimal storageProj,
            BigDecimal callsMtd,
            BigDecimal callsWindow) {}

    /** The cost of the month of the snapshot's asOf, to date and projected. */
    public CostReport compute(Snapshot snapshot) throws SQLException {
        Connection conn = snapshot.connection();
        Instant asOf = snapshot.asOf();
        Month m = Month.of(asOf);
        Instant windowStart = Month.max(m.start(), asOf.minus(Duration.ofDays(7)));
        BigDecimal windowHours = hours(windowStart, asOf);
        BigDecimal hoursLeft = hours(asOf, m.end());

        Map<String, BigDecimal[]> calls = callsBySecret(conn, asOf, m.start(), windowStart, batchEntriesBilled);
        List<SecretRow> rows = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/secrets"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant created = instant(rs, 4);
                Instant deleted = instant(rs, 5);
                boolean exists = rs.getBoolean(7);
                Instant from = created == null ? m.start() : Month.max(m.start(), created);
                Instant mtdEnd = deleted == null ? asOf : Month.min(asOf, deleted);
                Instant projEnd = deleted == null ? m.end() : Month.min(m.end(), deleted);
                // a name not known to exist bears no storage, and its calls are unattributed (none in calls)
                BigDecimal[] c =
                        calls.getOrDefault(rs.getString(1), new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                Prices here = prices.forRegion(rs.getString(3));
                rows.add(new SecretRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        tags(rs.getString(6)),
                        exists ? here.storageUsd(from, mtdEnd, m) : BigDecimal.ZERO,
                        exists ? here.storageUsd(from, projEnd, m) : BigDecimal.ZERO,
                        c[0],
                        c[1]));
            }
        }

        long callsMtd = count(conn, "cost/calls-between", m.start(), asOf, batchEntriesBilled);
        long callsWindow = count(conn, "cost/calls-in-window", windowStart, asOf, batchEntriesBilled);
        long unattributed = count(conn, "cost/unattributed-between", m.start(), asOf, batchEntriesBilled);
        BigDecimal callsProj =
                project(BigDecimal.valueOf(callsMtd), BigDecimal.valueOf(callsWindow), windowHours, hoursLeft);

        BigDecimal storageMtd = BigDecimal.ZERO;
        BigDecimal storageProj = BigDecimal.ZERO;
        Map<String, Acc> byAccount = new TreeMap<>();
        Map<String, Acc> byRegion = new TreeMap<>();
        Map<String, Acc> byTag = new TreeMap<>();
        Map<String, CostReport.Line> bySecret = new LinkedHashMap<>();
        RegionalCalls callsToDate = new RegionalCalls(prices);
        RegionalCalls callsProjected = new RegionalCalls(prices);
        for (SecretRow r : rows) {
            storageMtd = storageMtd.add(r.storageMtd());
            storageProj = storageProj.add(r.storageProj());
            BigDecimal mtd = r.storageMtd().add(callsToDate.add(r.region(), r.callsMtd()));
            BigDecimal proj = r.storageProj()
                    .add(callsProjected.add(
                            r.region(), project(r.callsMtd(), r.callsWindow(), windowHours, hoursLeft)));
            long n = r.callsMtd().setScale(0, RoundingMode.HALF_UP).longValue();
            bySecret.put(r.arn(), new CostReport.Line(r.arn(), Prices.cents(mtd), Prices.cents(proj), n));
            byAccount.computeIfAbsent(r.account(), k -> new Acc()).add(mtd, proj, r.callsMtd());
            byRegion.computeIfAbsent(r.region(), k -> new Acc()).add(mtd, proj, r.callsMtd());
            r.tags()
                    .forEach((k, v) ->
                            byTag.computeIfAbsent(k + "=" + v, x -> new Acc()).add(mtd, proj, r.callsMtd()));
        }
        BigDecimal callsMtdUsd = callsToDate.totalUsd(BigDecimal.valueOf(callsMtd));
        BigDecimal callsProjUsd = callsProjected.totalUsd(callsProj);
        return new CostReport(
                m.month().toString(),
                "USD",
                Prices.cents(storageMtd.add(callsMtdUsd)),
                Prices.cents(storageProj.add(callsProjUsd)),
                Prices.cents(storageMtd),
                Prices.cents(storageProj),
                callsMtd,
                callsProj.setScale(0, RoundingMode.HALF_UP).longValue(),
                Prices.cents(callsMtdUsd),
                Prices.cents(callsProjUsd),
                Prices.cents(prices.callsUsd(BigDecimal.valueOf(unattributed))),
                lines(byAccount),
                lines(byRegion),
                lines(byTag),
                topPrincipals(conn, asOf, m.start()),
                bySecret,
                List.of(),
                new CostReport.Assumptions(
                        batchEntriesBilled, snapshot.matcher().matchSeconds()),
                null); // KMS apart: KmsCost
    }

    /** Calls to date plus the recent rate times the hours left; no rate without a window. */
    static BigDecimal project(BigDecimal toDate, BigDecimal inWindow, BigDecimal windowHours, BigDecimal hoursLeft) {
        if (windowHours.signum() == 0) {
            return toDate;
        }
        return toDate.add(inWindow.multiply(hoursLeft, Prices.MC).divide(windowHours, Prices.MC));
    }

    /**
     * Per secret: [calls this month to asOf, calls in the rate window], a call naming n secrets
     * counting 1/n. Counted per n in SQL and divided here in exact decimals, so that sums do not
     * depend on the order of floating-point additions.
     */
    private static Map<String, BigDecimal[]> callsBySecret(
            Connection conn, Instant asOf, Instant monthStart, Instant windowStart, boolean entriesBilled)
            throws SQLException {
        Map<String, BigDecimal[]> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/calls-by-secret"))) {
            ps.setTimestamp(1, ts(asOf));
            ps.setTimestamp(2, ts(monthStart));
            ps.setTimestamp(3, ts(windowStart));
            ps.setBoolean(4, entriesBilled);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal n = BigDecimal.valueOf(rs.getLong(2));
                    BigDecimal[] acc = out.computeIfAbsent(
                            rs.getString(1), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    acc[0] = acc[0].add(BigDecimal.valueOf(rs.getLong(3)).divide(n, Prices.MC));
                    acc[1] = acc[1].add(BigDecimal.valueOf(rs.getLong(4)).divide(n, Prices.MC));
                }
            }
        }
        return out;
    }

    private List<CostReport.Line> topPrincipals(Connection conn, Instant asOf, Instant monthStart) throws SQLException {
        List<CostReport.Line> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/top-principals"))) {
            ps.setTimestamp(1, ts(monthStart));
            ps.setTimestamp(2, ts(asOf));
            ps.setBoolean(3, batchEntriesBilled);
            ps.setInt(4, TOP_PRINCIPALS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long calls = rs.getLong(2);
                    BigDecimal usd = Prices.cents(prices.callsUsd(BigDecimal.valueOf(calls)));
                    out.add(new CostReport.Line(rs.getString(1), usd, null, calls));
                }
            }
        }
        return out;
    }

    private static long count(Connection conn, String sql, Instant from, Instant to, Object... more)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text(sql))) {
            ps.setTimestamp(1, ts(from));
            ps.setTimestamp(2, ts(to));
            for (int i = 0; i < more.length; i++) {
                ps.setObject(i + 3, more[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Sums in full precision; rounded once, per line. */
    private static final class Acc {
        BigDecimal mtd = BigDecimal.ZERO;
        BigDecimal proj = BigDecimal.ZERO;
        BigDecimal calls = BigDecimal.ZERO;

        void add(BigDecimal m, BigDecimal p, BigDecimal c) {
            mtd = mtd.add(m);
            proj = proj.add(p);
            calls = calls.add(c);
        }
    }

    private static List<CostReport.Line> lines(Map<String, Acc> accs) {
        List<CostReport.Line> out = new ArrayList<>();
        accs.forEach((k, a) -> out.add(new CostReport.Line(
                k,
                Prices.cents(a.mtd),
                Prices.cents(a.proj),
                a.calls.setScale(0, RoundingMode.HALF_UP).longValue())));
        out.sort(Comparator.comparing(CostReport.Line::projectedUsd).reversed().thenComparing(CostReport.Line::key));
        return out;
    }

    private static Map<String, String> tags(String json) {
        Map<String, String> out = new TreeMap<>();
        if (json == null) {
            return out;
        }
        try {
            JsonNode n = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("inventory tags are not JSON: " + json, e);
        }
        return out;
    }

    private static BigDecimal hours(Instant from, Instant to) {
        long s = Duration.between(from, to).toSeconds();
        return s <= 0 ? BigDecimal.ZERO : BigDecimal.valueOf(s).divide(BigDecimal.valueOf(3600), Prices.MC);
    }

    private static Timestamp ts(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
