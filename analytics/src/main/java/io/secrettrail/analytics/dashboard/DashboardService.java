package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.access.PolicyService;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.store.EventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard and its API show, from the rollups (always current) and the cached report
 * (alerts and cost, rebuilt in the background): one entry point over the page queries, which share
 * a bounded results cache, and the alert-actions writer. Parameterised SQL only; sort keys and
 * filters are checked against allow-lists before they reach a query or a comparator.
 */
public final class DashboardService {
    /** Default bounds of the results cache: entries, and estimated bytes ({@link Footprint}). */
    public static final int CACHE_ENTRIES = ResultCache.ENTRIES;

    public static final long CACHE_BYTES = ResultCache.BYTES;
    public static final Set<String> SECRET_SORTS = SecretsQuery.SORTS;
    public static final Set<String> ALERT_STATES = AlertsQuery.STATES;
    /** How far back the principal page's policy looks. */
    static final Duration POLICY_WINDOW = Duration.ofDays(90);

    private final PageContext ctx;
    private final SecretIndex index;
    private final StatusQuery status;
    private final OverviewQuery overview;
    private final SecretsQuery secrets;
    private final SecretDetailQuery secret;
    private final PrincipalsQuery principals;
    private final AccessQuery access;
    private final AlertsQuery alerts;
    private final GaugesQuery gauges;
    private final AlertActions actions;

    public DashboardService(EventStore store, ReportCache reports) {
        this(store, reports, CACHE_ENTRIES, CACHE_BYTES);
    }

    public DashboardService(EventStore store, ReportCache reports, int cacheEntries, long cacheBytes) {
        this.ctx = PageContext.of(store, reports, cacheEntries, cacheBytes);
        this.index = new SecretIndex(ctx);
        this.status = new StatusQuery(ctx);
        this.overview = new OverviewQuery(ctx, index);
        this.secrets = new SecretsQuery(ctx, index);
        this.access = new AccessQuery(ctx);
        this.secret = new SecretDetailQuery(ctx, index, access);
        this.principals = new PrincipalsQuery(ctx);
        this.alerts = new AlertsQuery(ctx);
        this.gauges = new GaugesQuery(ctx);
        this.actions = new AlertActions(store);
    }

    public Status status() throws SQLException {
        return status.status();
    }

    public Overview overview(Filters filters) throws SQLException {
        return overview.overview(filters);
    }

    /**
     * The secrets table: text (name or ARN, case-insensitive), tag ({@code key} or {@code key=value}),
     * has-alert; sorted by one of {@link #SECRET_SORTS}; one page.
     */
    public Page<SecretRow> secrets(
            Filters f,
            String text,
            String tag,
            Boolean hasAlert,
            String sort,
            boolean descending,
            int page,
            int pageSize)
            throws SQLException {
        return secrets.secrets(f, text, tag, hasAlert, sort, descending, page, pageSize);
    }

    /** One secret in full, or null if nothing is known of it. */
    public SecretDetail secret(String arn, Filters filters) throws SQLException {
        return secret.secret(arn, filters);
    }

    /** Principals with the number of secrets they touched, calls, errors and their share of the month's cost. */
    public Page<PrincipalRow> principals(Filters f, String text, int page, int pageSize) throws SQLException {
        return principals.principals(f, text, page, pageSize);
    }

    /** The access ledger per (secret, principal), optionally of one secret or one principal. */
    public Page<Access> access(Filters f, String secret, String principal, int page, int pageSize) throws SQLException {
        return access.access(f, secret, principal, page, pageSize);
    }

    /** The resource policy a principal needs, from what it used in the last 90 days before {@code now}. */
    public PolicyService.Policy policy(String principal, Instant now) throws SQLException {
        try (Connection c = ctx.store().reader()) {
            return new PolicyService(c).forPrincipal(principal, now, POLICY_WINDOW);
        }
    }

    /** Alerts of the latest report with their state (open, acknowledged or suppressed until an expiry). */
    public Page<AlertRow> alerts(
            Filters f, String rule, String severity, String state, Instant now, int page, int pageSize)
            throws SQLException {
        return alerts.alerts(f, rule, severity, state, now, page, pageSize);
    }

    /** The alert of one incident of the latest report, with its state; empty when no alert has that incident id. */
    public java.util.Optional<AlertRow> incident(String id, Instant now) throws SQLException {
        return alerts.rows(Filters.ALL, null, null, null, now).stream()
                .filter(a -> id.equals(a.incidentId()))
                .findFirst();
    }

    /** Records an acknowledgement or suppression; see {@link AlertActions#act}. */
    public void act(
            String action,
            String rule,
            String resource,
            String principal,
            String incident,
            String reason,
            Instant expires,
            String actor,
            Instant now)
            throws SQLException {
        actions.act(action, rule, resource, principal, incident, reason, expires, actor, now);
    }

    public Gauges gauges() throws SQLException {
        return gauges.gauges();
    }

    public CacheStats cacheStats() {
        return ctx.cache().stats();
    }

    /** The cached report's cost, or null before the first build. */
    public CostReport cost() {
        Report r = ctx.report();
        return r == null ? null : r.cost();
    }

    /**
     * The Cost page: {@code month} (null: the open month) of the cached report in detail and the months of the
     * filter's range, narrowed to its account, region and team (under a team, a principal's line is its calls naming
     * the team's secrets); null before the first build.
     *
     * @throws IllegalArgumentException naming {@code month} when the report has no such month
     */
    public CostPage costPage(Filters f, YearMonth month) throws SQLException {
        Report r = ctx.report();
        if (r == null || r.cost() == null) {
            return null;
        }
        if (f.account() == null && f.region() == null && f.team() == null) {
            return CostView.page(r.cost(), ctx.reports().prices(), f, month, Map.of(), Map.of(), r::teamOf);
        }
        Map<String, List<String>> tags = new HashMap<>();
        Map<String, Map<String, Map<String, Long>>> principals = new HashMap<>();
        try (Connection c = ctx.store().reader()) {
            index.bases(c).rows().forEach(b -> tags.put(b.arn(), b.tags()));
            try (PreparedStatement ps = c.prepareStatement(Rows.sql("cost-principals"))) {
                ps.setTimestamp(1, java.sql.Timestamp.valueOf(LocalDateTime.ofInstant(r.asOf(), ZoneOffset.UTC)));
                ps.setString(2, f.account());
                ps.setString(3, f.region());
                ps.setString(4, ctx.teamArns(f));
                io.secrettrail.analytics.store.OwnCalls own = ctx.store().ownCalls();
                ps.setString(5, io.secrettrail.core.Json.array(own.principals()));
                ps.setString(6, io.secrettrail.core.Json.array(own.actions()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String principal = rs.getString(2);
                        if (own.marked(rs.getString(5))) {
                            // SecretTrail's own calls: billed to its line, as the report does; they name no secret,
                            // so no team's
                            if (f.team() != null) {
                                continue;
                            }
                            principal = io.secrettrail.analytics.snapshot.SelfCalls.kind();
                        }
                        principals
                                .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .computeIfAbsent(principal, k -> new HashMap<>())
                                .merge(rs.getString(3), rs.getLong(4), Long::sum);
                    }
                }
            }
        }
        return CostView.page(r.cost(), ctx.reports().prices(), f, month, tags, principals, r::teamOf);
    }

    /** The Reconciliation page in the filters' account and region; null before the first build or without billing data. */
    public ReconciliationPage reconciliation(Filters f) {
        Report r = ctx.report();
        return r == null || r.cost() == null
                ? null
                : ReconciliationPage.of(r.cost().reconciliation(), f);
    }

    public Report report() {
        return ctx.report();
    }
}
