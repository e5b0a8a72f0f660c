package io.secrettrail.analytics.report;

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

import io.secrettrail.analytics.access.AccessService;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.cost.SavingsService;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleRunner;
import io.secrettrail.core.secret.SecretArn;

/**
 * Builds the report from DuckDB. "Now" is the report's {@code asOf}, bound as a parameter; events
 * after it are ignored. References that ingest could not resolve are resolved again here, against
 * the whole inventory and every full ARN in the data, so events that arrived before the inventory
 * or before the CreateSecret that names them still land on the right secret.
 */
public final class ReportService {

    /** Successful events that change a secret (AWS's LastChangedDate counts them). */
    static final String CHANGE_EVENTS = """
            'CreateSecret','UpdateSecret','PutSecretValue','RotateSecret','CancelRotateSecret','DeleteSecret',
            'RestoreSecret','TagResource','UntagResource','PutResourcePolicy','DeleteResourcePolicy',
            'UpdateSecretVersionStage','ReplicateSecretToRegions','RemoveRegionsFromReplication',
            'StopReplicationToReplica','RotationSucceeded'""";

    /**
     * Every secret key events name, resolved to its final ARN: the inventory wins, then the
     * smallest full ARN learned from events for the same (account, region, name); an unresolved
     * key stays itself. {@code keymap} columns: key, arn, resolved; the key '' (events naming no
     * secret) maps to ''. The report, the rules, the dashboard and the policies all resolve so.
     */
    public static final String KEYMAP = """
            WITH known AS (
                SELECT arn AS key, account, region, name, 0 AS prio FROM inventory
                UNION ALL
                SELECT secret_key, account, region, name, 1 FROM secret_keys WHERE resolved
            ),
            best AS (
                -- the inventory wins; among ARNs learned from events, the smallest, so the pick is stable
                SELECT account, region, name, arg_min(key, prio::VARCHAR || key) AS arn
                FROM known GROUP BY account, region, name
            ),
            keymap AS (
                SELECT k.secret_key AS key, CASE WHEN k.resolved THEN k.secret_key ELSE coalesce(b.arn, k.secret_key) END AS arn,
                    k.resolved OR b.arn IS NOT NULL AS resolved
                FROM secret_keys k
                LEFT JOIN best b ON NOT k.resolved AND b.account = k.account AND b.region = k.region AND b.name = k.name
                UNION ALL SELECT '', '', true
            )
            """;

    /**
     * {@link #KEYMAP} plus {@code keymap_all}: also the names the store does not track one by one
     * (never confirmed, past the cap of their account and region) that have since turned out to
     * be a known secret (the inventory, or a full ARN AWS wrote, names it). Any other untracked
     * name maps to nothing: it is counted in {@code unknownNames}, not as a secret.
     */
    public static final String KEYMAP_ALL = KEYMAP + """
            ,
            keymap_all AS (
                SELECT * FROM keymap
                UNION ALL
                SELECT DISTINCT es.secret_key, b.arn, true
                FROM event_secrets es JOIN best b ON b.account = es.account AND b.region = es.region AND b.name = es.name
                WHERE es.secret_key NOT IN (SELECT secret_key FROM secret_keys) AND (NOT es.resolved OR es.secret_key = b.arn)
            )
            """;

    /**
     * Every (event, secret) pair with the secret's final key. Parameter 1: asOf.
     * {@code refs} columns: event_id, arn, resolved.
     */
    public static final String REFS = KEYMAP_ALL + """
            ,
            ev AS (SELECT * FROM events WHERE event_time <= ?),
            refs AS (
                SELECT DISTINCT es.event_id, km.arn, km.resolved
                FROM event_secrets es JOIN keymap_all km ON km.key = es.secret_key
                WHERE es.event_id IN (SELECT event_id FROM ev)
            )
            """;

    private final Connection conn;
    private final ReportSettings settings;

    /** @param conn a reader connection of the process that owns the database */
    public ReportService(Connection conn) {
        this(conn, ReportSettings.defaults());
    }

    public ReportService(Connection conn, ReportSettings settings) {
        this.conn = conn;
        this.settings = settings;
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
        Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(asOf, ZoneOffset.UTC));
        long smEvents = scalar("SELECT count(*) FROM events WHERE event_time <= ?", at);
        long duplicates = scalar("SELECT coalesce(max(value), 0) FROM counters WHERE name = 'duplicates'");
        long conflicts = scalar("SELECT coalesce(max(value), 0) FROM counters WHERE name = 'conflicts'");
        long future = scalar("SELECT count(*) FROM events WHERE event_time > ?",
                Timestamp.valueOf(LocalDateTime.ofInstant(asOf.plus(Report.FUTURE_SLACK), ZoneOffset.UTC)));
        long unattributed = scalar("SELECT count(*) FROM events WHERE event_time <= ? AND NOT names_secret AND event_type = 'AwsApiCall'", at);
        Map<String, Map<String, Long>> byEvent = callsByEvent(at);
        List<Report.SecretSummary> secrets = new ArrayList<>();
        String sql = REFS + """
                , stats AS (
                    SELECT r.arn, bool_or(r.resolved) AS resolved,
                        count(*) AS calls,
                        count(*) FILTER (WHERE e.error_code IS NOT NULL) AS errors,
                        count(DISTINCT e.principal) FILTER (WHERE e.event_type = 'AwsApiCall') AS principals,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name IN ('GetSecretValue', 'BatchGetSecretValue')) AS last_accessed,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RotationSucceeded') AS ev_rotated,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name IN (%s)) AS ev_changed,
                        min(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'CreateSecret') AS ev_created,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'DeleteSecret') AS ev_deleted,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RestoreSecret') AS ev_restored
                    FROM refs r JOIN ev e USING (event_id)
                    GROUP BY r.arn
                ),
                everything AS (SELECT arn FROM inventory UNION SELECT arn FROM stats)
                SELECT a.arn, i.arn IS NOT NULL AS in_inventory, coalesce(s.resolved, true) AS resolved,
                    i.name, i.primary_region, i.rotation_enabled,
                    coalesce(s.calls, 0), coalesce(s.errors, 0), coalesce(s.principals, 0), s.last_accessed,
                    greatest(i.last_rotated_date, s.ev_rotated),
                    greatest(i.last_changed_date, s.ev_changed),
                    coalesce(i.created_date, s.ev_created),
                    coalesce(i.deleted_date,
                        CASE WHEN s.ev_deleted IS NOT NULL AND (s.ev_restored IS NULL OR s.ev_restored < s.ev_deleted)
                             THEN s.ev_deleted END)
                FROM everything a
                LEFT JOIN inventory i ON i.arn = a.arn
                LEFT JOIN stats s ON s.arn = a.arn
                ORDER BY a.arn
                """.formatted(CHANGE_EVENTS);
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setTimestamp(1, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String arn = rs.getString(1);
                    boolean resolved = rs.getBoolean(3);
                    SecretArn parsed = SecretArn.parse(arn).orElse(null);
                    String name = rs.getString(4);
                    if (name == null) {
                        name = parsed == null ? arn : resolved && parsed.hasSuffixShape() ? SecretArn.nameOfFull(arn) : parsed.resource();
                    }
                    String region = parsed == null ? null : parsed.region();
                    String primary = rs.getString(5);
                    Object rotation = rs.getObject(6);
                    secrets.add(new Report.SecretSummary(arn, name, parsed == null ? null : parsed.account(), region,
                            primary != null ? primary : region, resolved,
                            rs.getLong(7), byEvent.getOrDefault(arn, Map.of()), rs.getLong(8), rs.getLong(9),
                            instant(rs, 10), instant(rs, 11), instant(rs, 12),
                            rotation == null ? null : (Boolean) rotation, instant(rs, 13), instant(rs, 14), null));
                }
            }
        }
        // CostService builds secret_facts for asOf; the rules and savings below read the same table.
        CostReport cost = new CostService(conn, settings.prices()).compute(asOf);
        List<Finding> alerts = alerts(asOf);
        List<Finding> unused = alerts.stream().filter(f -> f.rule().equals("unused-secret")).toList();
        cost = cost.withSavings(new SavingsService(conn, settings.prices(), settings.cacheMaxReadsPerHour(), settings.cacheTtl())
                .compute(asOf, unused));
        List<Report.SecretSummary> withCost = new ArrayList<>(secrets.size());
        for (Report.SecretSummary s : secrets) {
            withCost.add(new Report.SecretSummary(s.arn(), s.name(), s.account(), s.region(), s.primaryRegion(), s.resolved(),
                    s.calls(), s.callsByEvent(), s.errors(), s.principals(), s.lastAccessed(), s.lastRotated(), s.lastChanged(),
                    s.rotationEnabled(), s.createdDate(), s.deletedDate(), cost.bySecret().get(s.arn())));
        }
        return new Report(Report.SCHEMA_VERSION, asOf,
                new Report.IngestCounts(files, records, smEvents, duplicates, rejected, conflicts, future), withCost, unattributed,
                alerts, cost, withAccess ? new AccessService(conn, settings.limits().topClients()).ledger(asOf) : null,
                unknownNames(at));
    }

    /** Per account and region, the calls to names not tracked one by one (see KEYMAP_ALL), and how many names. */
    private List<Report.UnknownNames> unknownNames(Timestamp at) throws SQLException {
        List<Report.UnknownNames> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(REFS + """
                SELECT coalesce(es.account, ''), coalesce(es.region, ''), count(DISTINCT es.event_id), count(DISTINCT es.secret_key)
                FROM event_secrets es
                WHERE es.event_time <= ? AND es.secret_key NOT IN (SELECT key FROM keymap_all)
                GROUP BY ALL ORDER BY 1, 2""")) {
            ps.setTimestamp(1, at);
            ps.setTimestamp(2, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Report.UnknownNames(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Every rule's alarms (only alarms), in rule order then by resource; secret_facts must be built. */
    private List<Finding> alerts(Instant asOf) throws SQLException {
        RuleRunner runner = new RuleRunner(conn);
        List<Finding> out = new ArrayList<>();
        for (Rule rule : settings.rules().all()) {
            runner.run(rule, asOf, settings.ruleValues()).stream().filter(Finding::alarm).forEach(out::add);
        }
        return out;
    }

    private Map<String, Map<String, Long>> callsByEvent(Timestamp at) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(REFS
                + "SELECT r.arn, e.event_name, count(*) FROM refs r JOIN ev e USING (event_id) GROUP BY ALL")) {
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
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
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
