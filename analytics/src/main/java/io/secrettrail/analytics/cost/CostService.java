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
 * The cost model, month by month (issue 15): every UTC calendar month from the month of the earliest stored
 * event up to asOf's is computed by the one {@code month} method — a closed month over [start, end), the open
 * month over [start, asOf] with its projection — and the v1 figures are the open month's, rounded to the cent.
 * Storage: every secret and replica known to exist, billed from max(month start, creation
 * — for a secret outside the inventory without a CreateSecret, the first event that confirms it) until
 * the earlier of asOf (month to date) or month end (projection) and the moment it was scheduled for
 * deletion or left the listing. Calls: every unique AwsApiCall Secrets Manager event in the month, failed
 * calls included, service events excluded; a call naming n existing secrets is attributed 1/n to each, a
 * call naming none (only names not known to exist) is unattributed.
 * Prices: a secret's storage and attributed calls at its region's prices ({@code price.region.<region>.*}, else the
 * global ones); unattributed calls and each principal's calls at the price of the region each call was made in, so
 * that a month's principals add up to its {@code apiCallsUsd}, and its secrets plus its unattributed calls to its
 * Secrets Manager total.
 * Projection: calls to date plus the rate over [max(month start, asOf - 7 days), asOf) times the
 * hours left. It reads the secrets and their references from the {@link Snapshot} it is given.
 *
 * <p>KMS (issue 15): each month's KMS cost is {@link KmsCost} over the same period (keys as of asOf: the key a
 * secret's latest KMS request names, or its inventory's, is taken for every month), set beside the Secrets Manager
 * figures — each line's {@code kmsUsd} apart from its {@code usd}, the month's {@code totalUsd} and
 * {@code projectedUsd} with it. The KMS projection: requests to date plus the same recent-rate method as calls,
 * key fees prorated to the month's end. Without any KMS request in the data the months carry no KMS figures
 * (unknown, not zero). The v1 figures stay Secrets Manager's only.
 *
 * <p>AWS does not document whether the {@code GetSecretValue} entries a {@code BatchGetSecretValue} generates
 * are billed: with {@code price.batchEntriesBilled} false (the default) the batch is billed once, split over
 * the secrets it names, and its entries (the snapshot's {@code batch_entries}) are not calls; with true each
 * entry is a call as well. The report states which ({@link CostReport.Assumptions}).
 */
public final class CostService {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    private static final int TOP_PRINCIPALS = 10;
    /** What a scoped report's figures are ({@code cost.assumptions.scope}). */
    private static final String SCOPE = "These figures are the listed teams' secrets' alone: their storage, the calls"
            + " attributed to them (a call naming n existing secrets counts 1/n for each), each principal's share of"
            + " those calls and their KMS lines. Calls naming no existing secret are no team's; the KMS free tier is an"
            + " account's and is not split among teams, so KMS figures are before it; AWS's billing data is per account"
            + " and is not compared here.";

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

    /** A secret's billed lifetime: from (null: each month's start), until (null: not gone), exists. */
    private record SecretRow(
            String arn,
            String account,
            String region,
            Map<String, String> tags,
            Instant from,
            Instant until,
            boolean exists) {}

    /**
     * The cost of every month the snapshot's trail spans (from the month of its earliest event up to asOf's),
     * and the v1 figures of asOf's month: one computation, the v1 figures being the open month's rounded.
     */
    public CostReport compute(Snapshot snapshot) throws SQLException {
        return compute(snapshot, KmsKeys.of(snapshot));
    }

    /** As {@link #compute(Snapshot)}, with the KMS keys at the snapshot's asOf read already (the report reads them once). */
    public CostReport compute(Snapshot snapshot, KmsKeys keys) throws SQLException {
        return compute(snapshot, keys, null);
    }

    /**
     * The cost of some secrets alone (a team's, {@code analyze --team}), computed as the whole data's is: their storage,
     * the calls attributed to them (a call naming n existing secrets counts 1/n for each), each principal's share of
     * those calls, their KMS lines and projections; accounts, regions and tags are theirs, the month over month is
     * between their months. No call is unattributed (a call naming no existing secret is no one's), and the KMS free
     * tier, an account's, is not split: a scope's KMS figures are before it, as its secrets' lines are, so the teams'
     * figures add up to the secrets' ({@code teams[]}). The months span the whole trail's.
     *
     * @param scope the ARNs of the secrets costed, or null for all
     */
    public CostReport compute(Snapshot snapshot, KmsKeys keys, java.util.Set<String> scope) throws SQLException {
        Connection conn = snapshot.connection();
        Instant asOf = snapshot.asOf();
        Month open = Month.of(asOf);
        Instant windowStart = Month.max(open.start(), asOf.minus(Duration.ofDays(7)));
        List<SecretRow> secrets = secrets(conn);
        if (scope != null) {
            secrets = secrets.stream().filter(r -> scope.contains(r.arn())).toList();
        }
        CallTally calls = CallTally.read(conn, asOf, windowStart, batchEntriesBilled, scope);
        KmsCost kmsCost = new KmsCost(prices);
        List<MonthCost> months = new ArrayList<>();
        MonthCost current = null;
        KmsMonth openKms = null;
        for (Month m : Month.span(calls.firstMonth(), asOf)) {
            boolean closed = m.closedAt(asOf);
            openKms = scoped(
                    closed
                            ? kmsCost.of(conn, keys, m.start(), m.end(), m)
                            : kmsCost.through(conn, keys, m.start(), asOf, m),
                    scope);
            Kms kms = null;
            if (keys.anyRequests()) {
                kms = closed
                        ? Kms.closed(openKms)
                        : Kms.open(
                                openKms,
                                scoped(kmsCost.of(conn, keys, windowStart, asOf, m), scope),
                                m,
                                windowStart,
                                asOf);
            }
            current = month(m, asOf, windowStart, secrets, calls, kms);
            months.add(current.withoutIdleLines());
        }
        return v1(current, secrets, months, snapshot, openKms, calls, scope);
    }

    private static KmsMonth scoped(KmsMonth m, java.util.Set<String> scope) {
        return scope == null ? m : m.forSecrets(scope::contains);
    }

    /**
     * A month's KMS figures: the month's {@link KmsMonth}, and per secret its projected KMS cost (null when closed).
     * A secret's projection: its requests' cost to date plus the same recent-rate method as calls, and its share of
     * its key's fee prorated to the month's end (fee to date times the month's hours over the hours to date).
     */
    private record Kms(KmsMonth month, Map<String, BigDecimal> projectedBySecret, BigDecimal projectedUsd) {
        static Kms closed(KmsMonth m) {
            return new Kms(m, Map.of(), null);
        }

        static Kms open(KmsMonth toDate, KmsMonth window, Month m, Instant windowStart, Instant asOf) {
            BigDecimal windowHours = hours(windowStart, asOf);
            BigDecimal hoursLeft = hours(asOf, m.end());
            BigDecimal elapsed = hours(m.start(), asOf);
            Map<String, BigDecimal> proj = new TreeMap<>();
            BigDecimal total = BigDecimal.ZERO;
            for (Map.Entry<String, KmsMonth.Secret> e : toDate.bySecret().entrySet()) {
                KmsMonth.Secret s = e.getValue();
                KmsMonth.Secret w = window.bySecret().get(e.getKey());
                BigDecimal inWindow = w == null ? BigDecimal.ZERO : w.usd().subtract(w.keyFeeUsd());
                BigDecimal requests = project(s.usd().subtract(s.keyFeeUsd()), inWindow, windowHours, hoursLeft);
                BigDecimal fee = elapsed.signum() == 0
                        ? s.keyFeeUsd()
                        : s.keyFeeUsd()
                                .multiply(elapsed.add(hoursLeft), Prices.MC)
                                .divide(elapsed, Prices.MC);
                BigDecimal p = requests.add(fee);
                proj.put(e.getKey(), p);
                total = total.add(p);
            }
            return new Kms(toDate, proj, total);
        }

        Long requests(String secret) {
            KmsMonth.Secret s = month.bySecret().get(secret);
            return s == null ? 0L : s.requests();
        }

        BigDecimal usd(String secret) {
            KmsMonth.Secret s = month.bySecret().get(secret);
            return s == null ? BigDecimal.ZERO : s.usd();
        }

        BigDecimal projected(String secret, boolean closed) {
            return closed ? null : projectedBySecret.getOrDefault(secret, BigDecimal.ZERO);
        }
    }

    /**
     * One month: storage of every existing secret over [max(month start, creation), min(month end, asOf,
     * deletion)), calls in the month up to asOf; for the open month, the projection to the month's end.
     */
    private MonthCost month(
            Month m, Instant asOf, Instant windowStart, List<SecretRow> secrets, CallTally tally, Kms kms) {
        boolean closed = m.closedAt(asOf);
        Instant to = closed ? m.end() : asOf;
        BigDecimal windowHours = closed ? BigDecimal.ZERO : hours(windowStart, asOf);
        BigDecimal hoursLeft = closed ? BigDecimal.ZERO : hours(asOf, m.end());
        Map<String, BigDecimal[]> callsBySecret = tally.bySecret(m.key());
        BigDecimal storage = BigDecimal.ZERO;
        BigDecimal storageProj = BigDecimal.ZERO;
        Map<String, Acc> byAccount = new TreeMap<>();
        Map<String, Acc> byRegion = new TreeMap<>();
        Map<String, Acc> byTag = new TreeMap<>();
        List<MonthCost.Line> bySecret = new ArrayList<>();
        RegionalCalls callsToDate = new RegionalCalls(prices);
        RegionalCalls callsProjected = new RegionalCalls(prices);
        for (SecretRow r : secrets) {
            Instant from = r.from() == null ? m.start() : Month.max(m.start(), r.from());
            Instant end = r.until() == null ? to : Month.min(to, r.until());
            Instant projEnd = r.until() == null ? m.end() : Month.min(m.end(), r.until());
            // a name not known to exist bears no storage, and its calls are unattributed (none in calls)
            BigDecimal s = r.exists() ? prices.forRegion(r.region()).storageUsd(from, end, m) : BigDecimal.ZERO;
            BigDecimal sp = r.exists() ? prices.forRegion(r.region()).storageUsd(from, projEnd, m) : BigDecimal.ZERO;
            BigDecimal[] c = callsBySecret.getOrDefault(r.arn(), NO_CALLS);
            BigDecimal usd = s.add(callsToDate.add(r.region(), c[0]));
            BigDecimal proj =
                    closed ? null : sp.add(callsProjected.add(r.region(), project(c[0], c[1], windowHours, hoursLeft)));
            storage = storage.add(s);
            storageProj = storageProj.add(sp);
            MonthCost.Line line = kms == null
                    ? new MonthCost.Line(r.arn(), c[0], usd, proj)
                    : new MonthCost.Line(
                            r.arn(),
                            c[0],
                            usd,
                            proj,
                            kms.requests(r.arn()),
                            kms.usd(r.arn()),
                            kms.projected(r.arn(), closed));
            bySecret.add(line);
            byAccount.computeIfAbsent(r.account(), k -> new Acc()).add(line);
            byRegion.computeIfAbsent(r.region(), k -> new Acc()).add(line);
            r.tags()
                    .forEach((k, v) ->
                            byTag.computeIfAbsent(k + "=" + v, x -> new Acc()).add(line));
        }
        // calls that name no existing secret, each at the price of the region it was made in
        for (Map.Entry<String, long[]> u : tally.unattributed(m.key()).entrySet()) {
            BigDecimal n = BigDecimal.valueOf(u.getValue()[0]);
            callsToDate.unattributed(u.getKey(), n);
            if (!closed) {
                callsProjected.unattributed(
                        u.getKey(), project(n, BigDecimal.valueOf(u.getValue()[1]), windowHours, hoursLeft));
            }
        }
        BigDecimal[] totals = tally.totals(m.key());
        BigDecimal callsUsd = callsToDate.totalUsd(totals[0]);
        BigDecimal callsProj = closed ? null : project(totals[0], totals[2], windowHours, hoursLeft);
        BigDecimal callsProjUsd = closed ? null : callsProjected.totalUsd(callsProj);
        List<MonthCost.Line> byPrincipal = new ArrayList<>();
        tally.principals(m.key()).forEach((p, regions) -> {
            // a principal's calls span regions: each region's at its own price
            CallsAtPrices c = CallsAtPrices.ofCalls(prices, regions);
            byPrincipal.add(new MonthCost.Line(p, c.calls(), c.usd(), null));
        });
        byPrincipal.sort(Comparator.comparing(MonthCost.Line::calls).reversed().thenComparing(MonthCost.Line::key));
        BigDecimal kmsUsd = kms == null
                ? BigDecimal.ZERO
                : kms.month().requestsUsd().add(kms.month().keyFeesUsd());
        BigDecimal kmsProj = kms == null || closed ? BigDecimal.ZERO : kms.projectedUsd();
        return new MonthCost(
                m.key(),
                closed,
                tally.events(m.key()),
                storage,
                whole(totals[0]),
                callsUsd,
                whole(totals[1]),
                callsToDate.unattributedUsd(),
                storage.add(callsUsd).add(kmsUsd),
                closed ? null : storageProj.add(callsProjUsd).add(kmsProj),
                closed ? null : storageProj,
                callsProj,
                callsProjUsd,
                List.copyOf(bySecret),
                lines(byAccount),
                lines(byRegion),
                lines(byTag),
                List.copyOf(byPrincipal),
                kms == null ? null : kms.month(),
                kms == null || closed ? null : kms.projectedUsd());
    }

    /** The v1 figures: the open month's, rounded to the cent per line as v1 has always shown them. */
    private CostReport v1(
            MonthCost open,
            List<SecretRow> secrets,
            List<MonthCost> months,
            Snapshot snapshot,
            KmsMonth kms,
            CallTally tally,
            java.util.Set<String> scope) {
        Map<String, MonthCost.Line> lines = new HashMap<>();
        open.bySecret().forEach(l -> lines.put(l.key(), l));
        Map<String, CostReport.Line> bySecret = new LinkedHashMap<>();
        for (SecretRow r : secrets) {
            MonthCost.Line l = lines.get(r.arn());
            bySecret.put(
                    r.arn(),
                    new CostReport.Line(
                            r.arn(), Prices.cents(l.usd()), Prices.cents(l.projectedUsd()), whole(l.calls())));
        }
        List<MonthCost.Line> principals = open.byPrincipal();
        List<CostReport.Line> top = new ArrayList<>();
        CallsAtPrices otherCalls = new CallsAtPrices(prices);
        Map<String, Map<String, BigDecimal>> byRegion = tally.principals(open.month());
        for (int i = 0; i < principals.size(); i++) {
            MonthCost.Line p = principals.get(i);
            if (i < TOP_PRINCIPALS) {
                top.add(new CostReport.Line(p.key(), Prices.cents(p.usd()), null, whole(p.calls())));
            } else {
                otherCalls.add(CallsAtPrices.ofCalls(prices, byRegion.getOrDefault(p.key(), Map.of())));
            }
        }
        CostReport.Others others = new CostReport.Others(
                Math.max(0, principals.size() - TOP_PRINCIPALS), whole(otherCalls.calls()), otherCalls.usd());
        return new CostReport(
                open.month(),
                "USD",
                Prices.cents(open.secretsManagerUsd()),
                Prices.cents(open.secretsManagerProjectedUsd()),
                Prices.cents(open.secretsUsd()),
                Prices.cents(open.secretsProjectedUsd()),
                open.apiCalls(),
                whole(open.apiCallsProjected()),
                Prices.cents(open.apiCallsUsd()),
                Prices.cents(open.apiCallsProjectedUsd()),
                Prices.cents(open.unattributedUsd()),
                v1Lines(open.byAccount()),
                v1Lines(open.byRegion()),
                v1Lines(open.byTag()),
                top,
                bySecret,
                List.of(),
                new CostReport.Assumptions(
                        batchEntriesBilled,
                        snapshot.matcher().matchSeconds(),
                        KmsCost.assumptions(),
                        scope == null ? null : SCOPE),
                List.copyOf(months),
                MonthOverMonth.of(months),
                others,
                null, // the reconciliation is set beside it (ReportService)
                kms); // the open month's, as in its months[] entry (there only with KMS data)
    }

    private static long whole(BigDecimal calls) {
        return calls.setScale(0, RoundingMode.HALF_UP).longValue();
    }

    private static final BigDecimal[] NO_CALLS = {BigDecimal.ZERO, BigDecimal.ZERO};

    private static List<SecretRow> secrets(Connection conn) throws SQLException {
        List<SecretRow> rows = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("cost/secrets"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new SecretRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        tags(rs.getString(6)),
                        instant(rs, 4),
                        instant(rs, 5),
                        rs.getBoolean(7)));
            }
        }
        return rows;
    }

    /** Calls to date plus the recent rate times the hours left; no rate without a window. */
    static BigDecimal project(BigDecimal toDate, BigDecimal inWindow, BigDecimal windowHours, BigDecimal hoursLeft) {
        if (windowHours.signum() == 0) {
            return toDate;
        }
        return toDate.add(inWindow.multiply(hoursLeft, Prices.MC).divide(windowHours, Prices.MC));
    }

    /** Sums in full precision; rounded once, per line. */
    private static final class Acc {
        BigDecimal usd = BigDecimal.ZERO;
        BigDecimal proj; // null in a closed month
        BigDecimal calls = BigDecimal.ZERO;
        Long kmsRequests; // null without KMS data
        BigDecimal kmsUsd;
        BigDecimal kmsProj;

        void add(MonthCost.Line l) {
            usd = usd.add(l.usd());
            proj = l.projectedUsd() == null ? null : (proj == null ? l.projectedUsd() : proj.add(l.projectedUsd()));
            calls = calls.add(l.calls());
            if (l.kmsRequests() != null) {
                kmsRequests = (kmsRequests == null ? 0L : kmsRequests) + l.kmsRequests();
            }
            kmsUsd = sum(kmsUsd, l.kmsUsd());
            kmsProj = sum(kmsProj, l.kmsProjectedUsd());
        }

        private static BigDecimal sum(BigDecimal a, BigDecimal b) {
            return b == null ? a : (a == null ? b : a.add(b));
        }
    }

    /** A month's lines, the largest end-of-month figure first. */
    private static List<MonthCost.Line> lines(Map<String, Acc> accs) {
        List<MonthCost.Line> out = new ArrayList<>();
        accs.forEach(
                (k, a) -> out.add(new MonthCost.Line(k, a.calls, a.usd, a.proj, a.kmsRequests, a.kmsUsd, a.kmsProj)));
        out.sort(Comparator.comparing(MonthCost.Line::endUsd).reversed().thenComparing(MonthCost.Line::key));
        return List.copyOf(out);
    }

    /** v1 lines: rounded per line, then ordered as v1 orders them (by the rounded projection). */
    private static List<CostReport.Line> v1Lines(List<MonthCost.Line> lines) {
        List<CostReport.Line> out = new ArrayList<>();
        lines.forEach(l -> out.add(
                new CostReport.Line(l.key(), Prices.cents(l.usd()), Prices.cents(l.projectedUsd()), whole(l.calls()))));
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

    static Timestamp ts(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
