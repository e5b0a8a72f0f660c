package io.secrettrail.analytics.report;

import io.secrettrail.analytics.access.AccessService;
import io.secrettrail.analytics.cost.BudgetLines;
import io.secrettrail.analytics.cost.ComputedLines;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.cost.KmsCost;
import io.secrettrail.analytics.cost.KmsKeys;
import io.secrettrail.analytics.cost.Reconciliation;
import io.secrettrail.analytics.cost.ReconciliationService;
import io.secrettrail.analytics.cost.SavingsService;
import io.secrettrail.analytics.cost.UnusedSecret;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.IncrementalRunner;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleRunner;
import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.analytics.snapshot.SecretOwners;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import io.secrettrail.analytics.store.Watermarks;
import io.secrettrail.core.secret.SecretArn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the report from DuckDB. "Now" is the report's {@code asOf}, bound as a parameter; events
 * after it are ignored. One {@link Snapshot} at asOf is taken per report and handed to the cost model,
 * the rules, the savings and the access ledger. References that ingest could not resolve are resolved
 * again (the {@code keymap_all} view), against the whole inventory and every full ARN in the data, so
 * events that arrived before the inventory or before the CreateSecret that names them still land on the
 * right secret.
 */
public final class ReportService {

    private final Connection conn;
    private final ReportSettings settings;
    /** Whether detections are evaluated incrementally and their incidents stored (see {@link #owning}). */
    private final boolean incremental;

    /** @param conn a reader connection of the process that owns the database */
    public ReportService(Connection conn) {
        this(conn, ReportSettings.defaults());
    }

    /** Evaluates every rule from scratch and writes nothing: for any reader of the data. */
    public ReportService(Connection conn, ReportSettings settings) {
        this(conn, settings, false);
    }

    private ReportService(Connection conn, ReportSettings settings, boolean incremental) {
        this.conn = conn;
        this.settings = settings;
        this.incremental = incremental;
    }

    /**
     * The reports of the process that owns the database (the live report cache, analyze): detections are
     * evaluated incrementally in arrival order ({@link IncrementalRunner}), their incidents and watermarks
     * stored. One such build at a time per database: the caller serialises them. On a connection that cannot
     * write (opened read-only) every rule runs from scratch instead.
     */
    public static ReportService owning(Connection conn, ReportSettings settings) throws SQLException {
        return new ReportService(conn, settings, !conn.isReadOnly());
    }

    /**
     * @param files files read by ingest in this run
     * @param records records read by ingest in this run
     * @param rejected records ingest rejected in this run
     */
    public Report build(Instant asOf, long files, long records, long rejected) throws SQLException {
        return build(asOf, files, records, rejected, true);
    }

    /**
     * @param withAccess whether to include the access ledger (the dashboard reads it from the
     *                   rollups instead, so its background report leaves it out: null)
     */
    public Report build(Instant asOf, long files, long records, long rejected, boolean withAccess) throws SQLException {
        return build(asOf, files, records, rejected, withAccess, java.util.Set.of());
    }

    /**
     * The report narrowed to the secrets of {@code teams} ({@code analyze --team}; empty: every secret): as
     * {@link Report#forTeams}, with a cost section computed over their secrets alone ({@link CostService#compute(
     * Snapshot, KmsKeys, java.util.Set)}), so that its totals, accounts, regions, tags, principals and months are
     * theirs. The budget lines and incidents are the whole data's either way.
     */
    public Report build(
            Instant asOf, long files, long records, long rejected, boolean withAccess, java.util.Set<String> teams)
            throws SQLException {
        // Read before the snapshot: an incremental evaluation looks at no event past it (one arriving while the
        // snapshot is built is evaluated again by the next report).
        long arrived = incremental ? Watermarks.latest(conn) : Long.MAX_VALUE;
        // Built once: the secrets below, the cost model, the rules and the access ledger all read it.
        Snapshot snapshot =
                Snapshot.at(conn, asOf, settings.batchMatcher(), settings.self(), settings.judgesRotationSchedules());
        if (!settings.ownership().equals(Ownership.DEFAULTS)) {
            // the snapshot's secret_owners is by the defaults: the rules, teams and filters read the configured one
            SecretOwners.build(conn, settings.ownership());
        }
        Timestamp at = snapshot.asOfTimestamp();
        long smEvents = scalar("report/events-to", at);
        long duplicates = scalar("report/counter", "duplicates");
        long conflicts = scalar("report/counter", "conflicts");
        long future = scalar(
                "report/events-after",
                Timestamp.valueOf(LocalDateTime.ofInstant(asOf.plus(Report.FUTURE_SLACK), ZoneOffset.UTC)));
        long unattributed = scalar("report/unattributed", at);
        Map<String, Map<String, Long>> byEvent = callsByEvent(at);
        List<Report.SecretSummary> secrets = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("report/secrets"))) {
            ps.setTimestamp(1, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String arn = rs.getString(1);
                    boolean resolved = rs.getBoolean(3);
                    SecretArn parsed = SecretArn.parse(arn).orElse(null);
                    String name = rs.getString(4);
                    if (name == null) {
                        name = parsed == null
                                ? arn
                                : resolved && parsed.hasSuffixShape() ? SecretArn.nameOfFull(arn) : parsed.resource();
                    }
                    String region = parsed == null ? null : parsed.region();
                    String primary = rs.getString(5);
                    Object rotation = rs.getObject(6);
                    secrets.add(new Report.SecretSummary(
                            arn,
                            name,
                            parsed == null ? null : parsed.account(),
                            region,
                            primary != null ? primary : region,
                            resolved,
                            rs.getLong(7),
                            byEvent.getOrDefault(arn, Map.of()),
                            rs.getLong(8),
                            rs.getLong(9),
                            instant(rs, 10),
                            instant(rs, 11),
                            instant(rs, 12),
                            rotation == null ? null : (Boolean) rotation,
                            instant(rs, 13),
                            instant(rs, 14),
                            null,
                            rs.getLong(15),
                            (Boolean) rs.getObject(16),
                            null));
                }
            }
        }
        KmsKeys kms = KmsKeys.of(snapshot);
        CostService costs = new CostService(settings.prices(), settings.batchEntriesBilled());
        CostReport cost = costs.compute(snapshot, kms);
        // the budget rule judges the months just computed
        BudgetLines.publish(snapshot.connection(), cost.months());
        List<Finding> alerts = alerts(snapshot, arrived);
        List<UnusedSecret> unused = alerts.stream()
                .filter(f -> f.rule().equals("unused-secret"))
                .map(f -> new UnusedSecret(f.resource(), f.reason()))
                .toList();
        KmsCost kmsCost = new KmsCost(settings.prices());
        List<io.secrettrail.analytics.cost.Saving> savings = new ArrayList<>(
                new SavingsService(settings.prices(), settings.cacheMaxReadsPerHour(), settings.cacheTtl())
                        .compute(snapshot, unused));
        // the open month's KMS cost, computed with the months (CostService)
        savings.addAll(kmsCost.defaultKeyInformation(cost.kms(), kms, cost.bySecret()));
        cost = cost.withSavings(savings);
        Reconciliation reconciliation = new ReconciliationService(
                        settings.prices(),
                        new ComputedLines(cost.months(), settings.prices(), settings.batchEntriesBilled()))
                .compute(snapshot);
        if (reconciliation != null) {
            cost = cost.withReconciliation(reconciliation);
        }
        List<Report.SecretSummary> withCost = new ArrayList<>(secrets.size());
        for (Report.SecretSummary s : secrets) {
            withCost.add(s.withCost(cost.bySecret().get(s.arn()))
                    .withKms(new Report.SecretSummary.Kms(
                            kms.requests(s.arn(), s.account(), s.region()), kms.key(s.arn()))));
        }
        Map<String, SecretOwners.Owner> owners = SecretOwners.read(conn);
        Report whole = new Report(
                Report.SCHEMA_VERSION,
                asOf,
                new Report.IngestCounts(files, records, smEvents, duplicates, rejected, conflicts, future),
                withCost,
                unattributed,
                alerts,
                cost,
                withAccess ? new AccessService(settings.limits().topClients()).ledger(snapshot) : null,
                unknownNames(at),
                owners,
                Teams.of(withCost, owners, alerts, cost, settings.rules()));
        if (teams.isEmpty()) {
            return whole;
        }
        java.util.Set<String> scope = new java.util.HashSet<>();
        owners.forEach((arn, o) -> {
            if (teams.contains(o.team())) {
                scope.add(arn);
            }
        });
        CostReport teamCost = costs.compute(snapshot, kms, scope)
                .withSavings(cost.savings().stream()
                        .filter(sv -> scope.contains(sv.resource()))
                        .toList());
        return whole.forTeams(teams, teamCost);
    }

    /** Per account and region, the calls to names not tracked one by one (see the keymap_all view), and how many names. */
    private List<Report.UnknownNames> unknownNames(Timestamp at) throws SQLException {
        List<Report.UnknownNames> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("report/unknown-names"))) {
            ps.setTimestamp(1, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Report.UnknownNames(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * Every rule's alarms (only alarms), in rule order then by resource; evaluated incrementally up to arrival
     * {@code arrived} when this service owns the database, else from scratch.
     */
    private List<Finding> alerts(Snapshot snapshot, long arrived) throws SQLException {
        RuleRunner scratch = new RuleRunner(snapshot, settings.ignore());
        IncrementalRunner incr = incremental ? new IncrementalRunner(snapshot, settings.ignore(), arrived) : null;
        List<Finding> out = new ArrayList<>();
        for (Rule rule : settings.rules().all()) {
            (incr != null ? incr.run(rule, settings.ruleValues()) : scratch.run(rule, settings.ruleValues()))
                    .stream().filter(Finding::alarm).forEach(out::add);
        }
        return out;
    }

    private Map<String, Map<String, Long>> callsByEvent(Timestamp at) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("report/calls-by-event"))) {
            ps.setTimestamp(1, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        return out;
    }

    private long scalar(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text(sql))) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
