package io.secrettrail.analytics.dashboard;

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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Times;
import io.secrettrail.core.secret.SecretArn;

/**
 * What the dashboard and its API show, from the rollups (always current) and the cached report
 * (alerts and cost, rebuilt in the background). Parameterised SQL only; sort keys and filters
 * are checked against allow-lists before they reach a query or a comparator.
 */
public final class DashboardService {
    /** Secret keys resolved to final ARNs, as the report does. */
    public static final String KEYMAP = io.secrettrail.analytics.report.ReportService.KEYMAP;
    /** The latest acknowledgement or suppression of each alert (rule, resource, principal). */
    public static final String LATEST_ACTIONS = """
            SELECT * FROM (
                SELECT *, row_number() OVER (PARTITION BY rule, resource, principal ORDER BY acted_at DESC, rowid DESC) AS latest
                FROM alert_actions)
            WHERE latest = 1""";
    public static final Set<String> SECRET_SORTS = Set.of("name", "account", "region", "calls", "principals", "lastAccessed",
            "lastRotated", "projectedUsd", "alerts");
    static final Set<String> ROTATION_EVENTS = Set.of("RotateSecret", "RotationStarted", "RotationSucceeded", "RotationFailed",
            "TestRotationFailed", "RotationAbandoned", "CancelRotateSecret", "PutSecretValue", "UpdateSecret");

    private final EventStore store;
    private final ReportCache reports;
    /** Default bounds of the results cache: entries, and estimated bytes ({@link Footprint}). */
    public static final int CACHE_ENTRIES = 256;
    public static final long CACHE_BYTES = 128L << 20;
    /**
     * Results by (what, filters, data version, report version): computed once per change of the
     * data, shared by every request until the next commit. Bounded in entries and bytes, least
     * recently used out: each distinct filter is an entry, and anyone can send many.
     */
    private final BoundedCache cache;

    @FunctionalInterface
    private interface Query<T> {
        T get() throws SQLException;
    }

    /**
     * At most this many results are computed at once (the rest wait, then usually find the result
     * cached): what one computation holds, in the heap and in DuckDB's memory limit, is bounded, so
     * many requests with distinct filters cannot add up to an out-of-memory.
     */
    public static final int CONCURRENT_COMPUTATIONS = 2;
    private final java.util.concurrent.Semaphore computing = new java.util.concurrent.Semaphore(CONCURRENT_COMPUTATIONS, true);
    /** Whether this thread holds a permit already (a result computed inside another's computation). */
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);

    @SuppressWarnings("unchecked")
    private <T> T cached(String what, Object key, Query<T> compute) throws SQLException {
        String k = what + "|" + key + "|" + store.version() + "|" + reports.builtVersion();
        Object hit = cache.get(k);
        if (hit != null) {
            return (T) hit;
        }
        boolean outer = !holding.get();
        if (outer) {
            try {
                computing.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting to compute " + what, e);
            }
            holding.set(true);
        }
        try {
            hit = cache.get(k);
            if (hit != null) {
                return (T) hit;
            }
            T v = compute.get();
            cache.put(k, v, k.length() * 2L + Footprint.of(v));
            return v;
        } finally {
            if (outer) {
                holding.set(false);
                computing.release();
            }
        }
    }

    /** The results cache's entries and estimated bytes, with its bounds (for /metrics and tests). */
    public record CacheStats(int entries, long bytes, int maxEntries, long maxBytes) {}

    public CacheStats cacheStats() {
        return new CacheStats(cache.size(), cache.bytes(), cache.maxEntries(), cache.maxBytes());
    }

    public DashboardService(EventStore store, ReportCache reports) {
        this(store, reports, CACHE_ENTRIES, CACHE_BYTES);
    }

    public DashboardService(EventStore store, ReportCache reports, int cacheEntries, long cacheBytes) {
        this.store = store;
        this.reports = reports;
        this.cache = new BoundedCache(cacheEntries, cacheBytes);
    }

    /** Filters every page takes: a range of UTC days (inclusive; null for open) and an account and region. */
    public record Filters(LocalDate from, LocalDate to, String account, String region) {
        public static final Filters ALL = new Filters(null, null, null, null);

        String sql(String day) {
            return " AND (?::DATE IS NULL OR " + day + " >= ?::DATE) AND (?::DATE IS NULL OR " + day + " <= ?::DATE)";
        }

        int bind(PreparedStatement ps, int i) throws SQLException {
            ps.setObject(i++, from);
            ps.setObject(i++, from);
            ps.setObject(i++, to);
            ps.setObject(i++, to);
            return i;
        }

        boolean accepts(String arn) {
            if (account == null && region == null) {
                return true;
            }
            var a = SecretArn.parse(arn);
            return a.isPresent() && (account == null || account.equals(a.get().account()))
                    && (region == null || region.equals(a.get().region()));
        }
    }

    public record Page<T>(List<T> items, int page, int pageSize, int total) {}

    /**
     * @param lastEventTime the latest event not dated in the future
     * @param futureEvents events dated more than a day after "now" (accepted, flagged, kept out of the last event and the charts)
     * @param latestFutureEvent the latest of those, or null
     */
    public record Status(long version, long events, long secrets, String lastEventTime, long reportVersion, String reportBuiltAt,
                         double reportBuildSeconds, String reportAsOf, UnknownNames unknownNames, long futureEvents,
                         String latestFutureEvent) {}

    /** Calls to names never confirmed to exist, past the cap per account and region: not listed as secrets. */
    public record UnknownNames(long calls, long names) {}

    public record SecretRow(String arn, String name, String account, String region, boolean inInventory, long calls, long errors,
                            long principals, String lastAccessed, String lastRotated, String rotation, String projectedUsd,
                            String monthToDateUsd, List<String> tags, List<String> alerts) {}

    public record Count(String key, long calls) {}

    public record DayCount(String day, String eventName, long calls) {}

    public record Overview(long secrets, long calls, long errors, long principals, String monthToDateUsd, String projectedUsd,
                           Map<String, Long> alertsBySeverity, List<DayCount> callsPerDay, List<Count> topSecrets,
                           List<Count> topCallers, String reportAsOf) {}

    /**
     * @param sourceIps, userAgents those of the top clients (source IP, user agent) by calls
     * @param otherClients clients beyond them, folded into one "others" row; {@code otherCalls} their calls
     */
    public record Access(String secret, String principal, long calls, long errors, String firstSeen, String lastSeen,
                         List<String> sourceIps, List<String> userAgents, long otherClients, long otherCalls) {}

    public record SecretDetail(SecretRow secret, List<DayCount> callsOverTime, String granularity, List<Access> principals,
                               List<DayCount> rotationHistory, Map<String, Object> inventory, List<Map<String, Object>> alerts,
                               Map<String, List<String>> rolesThatNeedIt) {}

    public record PrincipalRow(String principal, long secrets, long calls, long errors, String firstSeen, String lastSeen,
                               String costShareUsd) {}

    public record AlertRow(String rule, String severity, String resource, String principal, String status, String reason,
                           String account, String region, String firstSeen, String lastSeen, String state, String stateReason,
                           String stateExpires, String stateBy, String stateAt, Map<String, Object> evidence) {}

    public Status status() throws SQLException {
        Instant cutoff = futureCutoff();
        return cached("status", cutoff.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), () -> computeStatus(cutoff));
    }

    /** Events dated after this are from the future: more than {@link Report#FUTURE_SLACK} past "now". */
    private Instant futureCutoff() {
        return reports.now().plus(Report.FUTURE_SLACK);
    }

    /** The filters with an open end closed at the cutoff's day: events from the future are flagged, not charted. */
    private Filters present(Filters f) {
        if (f.to() != null) {
            return f;
        }
        return new Filters(f.from(), LocalDate.ofInstant(futureCutoff(), ZoneOffset.UTC), f.account(), f.region());
    }

    private Status computeStatus(Instant cutoff) throws SQLException {
        LocalDateTime at = LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        try (Connection c = store.reader();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (SELECT coalesce(sum(events), 0) FROM rollup_daily), (SELECT count(*) FROM secret_keys),
                         greatest((SELECT max(last_seen) FROM rollup_daily WHERE last_seen <= ?),
                             -- a rollup row of the cutoff's day may mix events before and after it
                             (SELECT max(event_time) FROM events WHERE event_time <= ? AND event_time >= ?::DATE)),
                         (SELECT count(*) FROM events WHERE event_time > ?), (SELECT max(event_time) FROM events WHERE event_time > ?),
                         (SELECT coalesce(sum(calls), 0) FROM rollup_unknown_names), (SELECT coalesce(sum(names), 0) FROM rollup_unknown_names)""")) {
            ps.setObject(1, at);
            ps.setObject(2, at);
            ps.setObject(3, at.toLocalDate());
            ps.setObject(4, at);
            ps.setObject(5, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Report r = reports.report();
                return new Status(store.version(), rs.getLong(1), rs.getLong(2), time(rs, 3), reports.builtVersion(),
                        Times.format(reports.builtAt()), reports.lastBuild().toMillis() / 1000.0, r == null ? null : Times.format(r.asOf()),
                        new UnknownNames(rs.getLong(6), rs.getLong(7)), rs.getLong(4), time(rs, 5));
            }
        }
    }

    /** Per secret (resolved ARN), the range's calls, errors, principals and last read, from rollup_daily. */
    private Map<String, long[]> secretStats(Connection c, Filters f, String onlyArn, Map<String, Instant> lastRead) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(KEYMAP + """
                SELECT km.arn, sum(r.calls), sum(r.errors), count(DISTINCT r.principal) FILTER (WHERE r.api_call AND r.principal <> ''),
                    max(r.last_seen) FILTER (WHERE r.event_name IN ('GetSecretValue', 'BatchGetSecretValue') AND r.calls > r.errors)
                FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
                WHERE r.secret_key <> '' AND (?::VARCHAR IS NULL OR km.arn = ?)""" + f.sql("r.day") + " GROUP BY km.arn")) {
            ps.setString(1, onlyArn);
            ps.setString(2, onlyArn);
            f.bind(ps, 3);
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

    /** What a secret's row shows whatever the range: its name, inventory tags, the report's rotation, cost and alerts. */
    private record Base(String arn, String name, String account, String region, boolean inInventory, String lastRotated,
                        String rotation, String projectedUsd, String monthToDateUsd, BigDecimal projected, List<String> tags,
                        List<String> alerts) {}

    /** Every secret known (from events of any day, the inventory and the report), in ARN order. */
    private record Bases(long id, List<Base> rows) {
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

    private final java.util.concurrent.atomic.AtomicLong basesBuilt = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One range's figures per secret, aligned with {@link Bases#rows}: a few arrays, not a list of
     * rows, so each distinct filter costs little in the cache and a page builds only its own rows.
     */
    private record Stats(long[] calls, long[] errors, long[] principals, Instant[] lastRead) {}

    private static Base base(String arn, Report.SecretSummary s, String[] inv, List<String> secretAlerts) {
        var parsed = SecretArn.parse(arn);
        String name = inv != null ? inv[0] : s != null ? s.name() : arn;
        String rotation = s == null || s.rotationEnabled() == null ? "unknown" : s.rotationEnabled() ? "enabled" : "disabled";
        if (secretAlerts.contains("rotation-failed")) {
            rotation = "failing";
        } else if (secretAlerts.contains("stale-rotation") || secretAlerts.contains("rotation-overdue")) {
            rotation = rotation.equals("enabled") ? "overdue" : "stale";
        }
        return new Base(arn, name, parsed.map(SecretArn::account).orElse(null), parsed.map(SecretArn::region).orElse(null),
                inv != null, s == null ? null : Times.format(s.lastRotated()), rotation,
                s == null || s.cost() == null ? null : s.cost().projectedUsd().toPlainString(),
                s == null || s.cost() == null ? null : s.cost().monthToDateUsd().toPlainString(),
                s == null || s.cost() == null ? BigDecimal.ZERO : s.cost().projectedUsd(),
                inv == null ? List.of() : tags(inv[1]), List.copyOf(new TreeSet<>(secretAlerts)));
    }

    private static SecretRow row(Base x, long calls, long errors, long principals, Instant lastRead) {
        return new SecretRow(x.arn(), x.name(), x.account(), x.region(), x.inInventory(), calls, errors, principals,
                Times.format(lastRead), x.lastRotated(), x.rotation(), x.projectedUsd(), x.monthToDateUsd(), x.tags(), x.alerts());
    }

    private static boolean accepts(Filters f, Base x) {
        return (f.account() == null || f.account().equals(x.account())) && (f.region() == null || f.region().equals(x.region()));
    }

    private Bases bases(Connection c) throws SQLException {
        return cached("bases", "", () -> computeBases(c));
    }

    private Bases computeBases(Connection c) throws SQLException {
        Report r = reports.report();
        Map<String, Report.SecretSummary> summaries = new HashMap<>();
        Map<String, List<String>> alerts = new HashMap<>();
        if (r != null) {
            r.secrets().forEach(s -> summaries.put(s.arn(), s));
            for (Finding a : r.alerts()) {
                alerts.computeIfAbsent(a.resource(), k -> new ArrayList<>()).add(a.rule());
            }
        }
        Map<String, String[]> inventory = new HashMap<>();
        Set<String> arns = new TreeSet<>(summaries.keySet());
        try (PreparedStatement ps = c.prepareStatement("SELECT arn, name, tags FROM inventory"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                inventory.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                arns.add(rs.getString(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(KEYMAP + """
                SELECT DISTINCT km.arn FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key WHERE r.secret_key <> ''""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                arns.add(rs.getString(1));
            }
        }
        List<Base> rows = new ArrayList<>(arns.size());
        for (String arn : arns) {
            rows.add(base(arn, summaries.get(arn), inventory.get(arn), alerts.getOrDefault(arn, List.of())));
        }
        return new Bases(basesBuilt.incrementAndGet(), List.copyOf(rows));
    }

    private Stats stats(Connection c, Filters f, Bases b) throws SQLException {
        // account and region are applied on the rows; the figures depend on the range, aligned with these rows
        return cached("stats", f.from() + ".." + f.to() + "|" + b.id(), () -> {
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

    /** The rows of every secret, or of one ({@code onlyArn}), with the range's figures and the report's. */
    private List<SecretRow> secretRows(Connection c, Filters f, String onlyArn) throws SQLException {
        Map<String, Instant> lastRead = new HashMap<>();
        Map<String, long[]> stats = secretStats(c, f, onlyArn, lastRead);
        Report r = reports.report();
        Map<String, Report.SecretSummary> summaries = new HashMap<>();
        Map<String, List<String>> alerts = new HashMap<>();
        if (r != null) {
            r.secrets().forEach(s -> summaries.put(s.arn(), s));
            for (Finding a : r.alerts()) {
                alerts.computeIfAbsent(a.resource(), k -> new ArrayList<>()).add(a.rule());
            }
        }
        Map<String, String[]> inventory = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT arn, name, tags FROM inventory WHERE ?::VARCHAR IS NULL OR arn = ?")) {
            ps.setString(1, onlyArn);
            ps.setString(2, onlyArn);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inventory.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
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
            Base x = base(arn, summaries.get(arn), inventory.get(arn), alerts.getOrDefault(arn, List.of()));
            out.add(row(x, st[0], st[1], st[2], lastRead.get(arn)));
        }
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper TAGS = io.secrettrail.core.Json.mapper();

    private static List<String> tags(String json) {
        List<String> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            var node = TAGS.readTree(json);
            node.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        } catch (java.io.IOException e) {
            // tags are written by us as JSON; an unreadable value shows no tags
        }
        return out;
    }

    /**
     * The secrets table: text (name or ARN, case-insensitive), tag ({@code key} or {@code key=value}),
     * has-alert; sorted by an allowed key; one page.
     */
    public Page<SecretRow> secrets(Filters f, String text, String tag, Boolean hasAlert, String sort, boolean descending,
                                   int page, int pageSize) throws SQLException {
        if (!SECRET_SORTS.contains(sort)) {
            throw new IllegalArgumentException("sort: must be one of " + new TreeSet<>(SECRET_SORTS) + ", was " + sort);
        }
        Bases b;
        Stats st;
        try (Connection c = store.reader()) {
            b = bases(c);
            st = stats(c, f, b);
        }
        List<Base> rows = b.rows();
        String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Base r = rows.get(i);
            if (!accepts(f, r)) {
                continue;
            }
            if (needle != null && !r.name().toLowerCase(Locale.ROOT).contains(needle) && !r.arn().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            if (tag != null && r.tags().stream().noneMatch(t -> tag.contains("=") ? t.equals(tag) : t.startsWith(tag + "="))) {
                continue;
            }
            if (hasAlert != null && hasAlert == r.alerts().isEmpty()) {
                continue;
            }
            kept.add(i);
        }
        Comparator<Integer> order = switch (sort) {
            case "name" -> Comparator.comparing(i -> rows.get(i).name());
            case "account" -> Comparator.comparing(i -> rows.get(i).account(), Comparator.nullsLast(Comparator.naturalOrder()));
            case "region" -> Comparator.comparing(i -> rows.get(i).region(), Comparator.nullsLast(Comparator.naturalOrder()));
            case "calls" -> Comparator.comparingLong(i -> st.calls()[i]);
            case "principals" -> Comparator.comparingLong(i -> st.principals()[i]);
            case "lastAccessed" -> Comparator.comparing(i -> st.lastRead()[i], Comparator.nullsFirst(Comparator.naturalOrder()));
            case "lastRotated" -> Comparator.comparing(i -> rows.get(i).lastRotated(), Comparator.nullsFirst(Comparator.naturalOrder()));
            case "projectedUsd" -> Comparator.comparing(i -> rows.get(i).projected());
            default -> Comparator.comparingInt(i -> rows.get(i).alerts().size());
        };
        // rows are in ARN order, so the index breaks ties as the ARN did
        order = (descending ? order.reversed() : order).thenComparingInt(i -> i);
        kept.sort(order);
        Page<Integer> p = page(kept, page, pageSize);
        List<SecretRow> items = new ArrayList<>(p.items().size());
        for (int i : p.items()) {
            items.add(row(rows.get(i), st.calls()[i], st.errors()[i], st.principals()[i], st.lastRead()[i]));
        }
        return new Page<>(List.copyOf(items), p.page(), p.pageSize(), p.total());
    }

    static <T> Page<T> page(List<T> all, int page, int pageSize) {
        if (page < 1) {
            throw new IllegalArgumentException("page: must be 1 or more, was " + page);
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize: must be 1..1000, was " + pageSize);
        }
        int from = (int) Math.min((long) (page - 1) * pageSize, all.size());
        return new Page<>(List.copyOf(all.subList(from, Math.min(from + pageSize, all.size()))), page, pageSize, all.size());
    }

    public Overview overview(Filters filters) throws SQLException {
        Filters f = present(filters);
        return cached("overview", f, () -> computeOverview(f));
    }

    private Overview computeOverview(Filters f) throws SQLException {
        int secretCount = 0;
        long errors = 0;
        List<Count> top;
        List<DayCount> perDay = new ArrayList<>();
        List<Count> callers = new ArrayList<>();
        long principals;
        long events;
        try (Connection c = store.reader()) {
            Bases b = bases(c);
            Stats st = stats(c, f, b);
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < b.rows().size(); i++) {
                if (accepts(f, b.rows().get(i))) {
                    kept.add(i);
                    errors += st.errors()[i];
                }
            }
            secretCount = kept.size();
            top = kept.stream().sorted(Comparator.comparingLong((Integer i) -> st.calls()[i]).reversed().thenComparingInt(i -> i))
                    .limit(10).map(i -> new Count(b.rows().get(i).arn(), st.calls()[i])).toList();
            // Every secret key is an ARN, full or partial: its account and region are in it, so
            // these totals need no key resolution.
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT r.day, r.event_name, sum(r.calls) FROM rollup_daily r
                    WHERE (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 5) = ?) AND (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 4) = ?)
                    """ + f.sql("r.day") + " GROUP BY ALL ORDER BY 1, 2")) {
                f.bind(ps, bindAccountRegion(ps, 1, f));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perDay.add(new DayCount(rs.getObject(1, LocalDate.class).toString(), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT r.principal, sum(r.calls), sum(r.events) FROM rollup_daily r
                    WHERE r.principal <> '' AND (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 5) = ?)
                      AND (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 4) = ?)""" + f.sql("r.day") + " GROUP BY 1 ORDER BY 2 DESC, 1")) {
                f.bind(ps, bindAccountRegion(ps, 1, f));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        callers.add(new Count(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            principals = callers.size();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT coalesce(sum(r.events), 0) FROM rollup_daily r
                    WHERE (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 5) = ?) AND (?::VARCHAR IS NULL OR split_part(r.secret_key, ':', 4) = ?)
                    """ + f.sql("r.day"))) {
                f.bind(ps, bindAccountRegion(ps, 1, f));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events = rs.getLong(1);
                }
            }
        }
        Report r = reports.report();
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "medium", "low")) {
            bySeverity.put(s, 0L);
        }
        if (r != null) {
            r.alerts().stream().filter(a -> f.accepts(a.resource()) || a.principal() != null)
                    .forEach(a -> bySeverity.merge(a.severity(), 1L, Long::sum));
        }
        CostReport cost = r == null ? null : r.cost();
        return new Overview(secretCount, events, errors, principals, cost == null ? null : cost.monthToDateUsd().toPlainString(),
                cost == null ? null : cost.projectedUsd().toPlainString(), bySeverity, perDay, top,
                callers.stream().limit(10).toList(), r == null ? null : Times.format(r.asOf()));
    }

    private static int bindAccountRegion(PreparedStatement ps, int i, Filters f) throws SQLException {
        ps.setString(i++, f.account());
        ps.setString(i++, f.account());
        ps.setString(i++, f.region());
        ps.setString(i++, f.region());
        return i;
    }

    /**
     * The access ledger from rollup_clients: per (secret, principal), optionally one secret or one
     * principal; the top {@code ledger.topClients} clients by calls are listed, the rest (and the
     * others rows of compaction) counted.
     */
    public Page<Access> access(Filters f, String secret, String principal, int page, int pageSize) throws SQLException {
        List<Access> out = new ArrayList<>();
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement(KEYMAP + """
                , clients AS (
                    SELECT km.arn, r.principal, r.source_ip, r.user_agent, coalesce(r.others, 0) > 0 AS folded,
                        sum(r.calls) AS calls, sum(r.errors) AS errors, min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen,
                        sum(coalesce(r.others, 0)) AS others
                    FROM rollup_clients r JOIN keymap km ON km.key = r.secret_key
                    WHERE r.secret_key <> '' AND r.principal <> '' AND (?::VARCHAR IS NULL OR km.arn = ?) AND (?::VARCHAR IS NULL OR r.principal = ?)
                      AND (?::VARCHAR IS NULL OR split_part(km.arn, ':', 5) = ?) AND (?::VARCHAR IS NULL OR split_part(km.arn, ':', 4) = ?)
                      AND (?::DATE IS NULL OR CAST(r.last_seen AS DATE) >= ?::DATE) AND (?::DATE IS NULL OR CAST(r.first_seen AS DATE) <= ?::DATE)
                    GROUP BY km.arn, r.principal, r.source_ip, r.user_agent, folded
                ),
                ranked AS (
                    SELECT *, NOT folded AND row_number() OVER (PARTITION BY arn, principal
                        ORDER BY folded, calls DESC, source_ip, user_agent) <= ? AS top
                    FROM clients
                )
                SELECT arn, principal, sum(calls), sum(errors), min(first_seen), max(last_seen),
                    list_sort(list_distinct(list(source_ip) FILTER (WHERE top AND source_ip <> ''))),
                    list_sort(list_distinct(list(user_agent) FILTER (WHERE top AND user_agent <> ''))),
                    coalesce(sum(CASE WHEN folded THEN others ELSE 1 END) FILTER (WHERE NOT top), 0),
                    coalesce(sum(calls) FILTER (WHERE NOT top), 0)
                FROM ranked GROUP BY arn, principal ORDER BY 1, 2""")) {
            int i = 1;
            ps.setString(i++, secret);
            ps.setString(i++, secret);
            ps.setString(i++, principal);
            ps.setString(i++, principal);
            i = bindAccountRegion(ps, i, f);
            i = f.bind(ps, i);
            ps.setInt(i, store.limits().topClients());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Access(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), time(rs, 5), time(rs, 6),
                            strings(rs, 7), strings(rs, 8), rs.getLong(9), rs.getLong(10)));
                }
            }
        }
        return page(out, page, pageSize);
    }

    /** One secret in full, or null if nothing is known of it. */
    public SecretDetail secret(String arn, Filters filters) throws SQLException {
        Filters f = present(filters);
        return cached("secret", arn + "|" + f, () -> computeSecret(arn, f));
    }

    private SecretDetail computeSecret(String arn, Filters f) throws SQLException {
        List<SecretRow> all;
        List<DayCount> series = new ArrayList<>();
        List<DayCount> rotation = new ArrayList<>();
        Map<String, Object> inventory = new LinkedHashMap<>();
        Map<String, List<String>> roles = new TreeMap<>();
        String granularity;
        try (Connection c = store.reader()) {
            all = secretRows(c, new Filters(f.from(), f.to(), null, null), arn);
            SecretRow row = all.stream().filter(r -> r.arn().equals(arn)).findFirst().orElse(null);
            if (row == null) {
                return null;
            }
            // Hours when the range spans at most 14 days, else days.
            LocalDate first;
            LocalDate last;
            try (PreparedStatement ps = c.prepareStatement(KEYMAP + """
                    SELECT min(r.hour), max(r.hour) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key WHERE km.arn = ?""")) {
                ps.setString(1, arn);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    LocalDateTime a = rs.getObject(1, LocalDateTime.class);
                    LocalDateTime b = rs.getObject(2, LocalDateTime.class);
                    first = f.from() != null ? f.from() : a == null ? null : a.toLocalDate();
                    last = f.to() != null ? f.to() : b == null ? null : b.toLocalDate();
                }
            }
            boolean hourly = first == null || last == null || !first.plusDays(14).isBefore(last);
            granularity = hourly ? "hour" : "day";
            String bucket = hourly ? "strftime(r.hour, '%Y-%m-%dT%H:00Z')" : "strftime(r.hour, '%Y-%m-%d')";
            try (PreparedStatement ps = c.prepareStatement(KEYMAP + "SELECT " + bucket + """
                    , r.event_name, sum(r.calls) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key
                    WHERE km.arn = ?""" + f.sql("CAST(r.hour AS DATE)") + " GROUP BY ALL ORDER BY 1, 2")) {
                ps.setString(1, arn);
                f.bind(ps, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DayCount d = new DayCount(rs.getString(1), rs.getString(2), rs.getLong(3));
                        series.add(d);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(KEYMAP + """
                    SELECT strftime(r.hour, '%Y-%m-%dT%H:00Z'), r.event_name, sum(r.calls) FROM rollup_hourly r JOIN keymap km ON km.key = r.secret_key
                    WHERE km.arn = ? AND list_contains(?::VARCHAR[], r.event_name) GROUP BY ALL ORDER BY 1, 2""")) {
                ps.setString(1, arn);
                ps.setArray(2, c.createArrayOf("VARCHAR", ROTATION_EVENTS.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rotation.add(new DayCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT rotation_enabled, rotation_days, rotation_lambda_arn, created_date, last_rotated_date, next_rotation_date,
                        last_accessed_date, deleted_date, primary_region FROM inventory WHERE arn = ?""")) {
                ps.setString(1, arn);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        inventory.put("rotationEnabled", rs.getObject(1));
                        inventory.put("rotationDays", rs.getObject(2));
                        inventory.put("rotationLambdaArn", rs.getString(3));
                        inventory.put("createdDate", time(rs, 4));
                        inventory.put("lastRotatedDate", time(rs, 5));
                        inventory.put("nextRotationDate", time(rs, 6));
                        inventory.put("lastAccessedDate", time(rs, 7));
                        inventory.put("deletedDate", time(rs, 8));
                        inventory.put("primaryRegion", rs.getString(9));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(KEYMAP + """
                    SELECT r.principal, list_sort(list_distinct(list('secretsmanager:' || r.event_name)))
                    FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
                    WHERE km.arn = ? AND r.api_call AND r.calls > r.errors AND r.principal <> ''""" + f.sql("r.day") + " GROUP BY 1 ORDER BY 1")) {
                ps.setString(1, arn);
                f.bind(ps, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        roles.put(rs.getString(1), strings(rs, 2));
                    }
                }
            }
            List<Access> principals = access(new Filters(f.from(), f.to(), null, null), arn, null, 1, 1000).items();
            List<Map<String, Object>> alerts = new ArrayList<>();
            Report r = reports.report();
            if (r != null) {
                r.alerts().stream().filter(a -> arn.equals(a.resource())).forEach(a -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("rule", a.rule());
                    m.put("severity", a.severity());
                    m.put("principal", a.principal());
                    m.put("reason", a.reason());
                    m.put("firstSeen", Times.format(a.firstSeen()));
                    m.put("lastSeen", Times.format(a.lastSeen()));
                    alerts.add(m);
                });
            }
            return new SecretDetail(row, series, granularity, principals, rotation, inventory, alerts, roles);
        }
    }

    /** Principals with the number of secrets they touched, calls, errors and their share of the month's cost. */
    public Page<PrincipalRow> principals(Filters f, String text, int page, int pageSize) throws SQLException {
        return page(cached("principals", f + "|" + text, () -> computePrincipals(f, text)), page, pageSize);
    }

    private List<PrincipalRow> computePrincipals(Filters f, String text) throws SQLException {
        Map<String, BigDecimal> share = new HashMap<>();
        Report r = reports.report();
        if (r != null && r.cost() != null) {
            r.cost().topPrincipals().forEach(l -> share.put(l.key(), l.monthToDateUsd()));
        }
        List<PrincipalRow> out = new ArrayList<>();
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement(KEYMAP + """
                SELECT r.principal, count(DISTINCT km.arn) FILTER (WHERE km.arn <> ''), sum(r.calls), sum(r.errors),
                    min(r.first_seen), max(r.last_seen)
                FROM rollup_daily r JOIN keymap km ON km.key = r.secret_key
                WHERE r.principal <> '' AND (?::VARCHAR IS NULL OR contains(lower(r.principal), lower(?)))
                  AND (?::VARCHAR IS NULL OR split_part(km.arn, ':', 5) = ?) AND (?::VARCHAR IS NULL OR split_part(km.arn, ':', 4) = ?)
                """ + f.sql("r.day") + " GROUP BY 1 ORDER BY 3 DESC, 1")) {
            ps.setString(1, text);
            ps.setString(2, text);
            f.bind(ps, bindAccountRegion(ps, 3, f));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal s = share.get(rs.getString(1));
                    out.add(new PrincipalRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), time(rs, 5), time(rs, 6),
                            s == null ? null : s.toPlainString()));
                }
            }
        }
        return List.copyOf(out);
    }

    public static final Set<String> ALERT_STATES = Set.of("open", "acknowledged", "suppressed");

    /** Alerts of the latest report with their state (open, acknowledged or suppressed until an expiry). */
    public Page<AlertRow> alerts(Filters f, String rule, String severity, String state, Instant now, int page, int pageSize)
            throws SQLException {
        if (state != null && !ALERT_STATES.contains(state)) {
            throw new IllegalArgumentException("status: must be one of " + new TreeSet<>(ALERT_STATES) + ", was " + state);
        }
        Map<String, String[]> actions = new HashMap<>();
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement("""
                SELECT rule, resource, principal, action, reason, expires, actor, acted_at FROM (""" + LATEST_ACTIONS + ")")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    actions.put(rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000" + rs.getString(3),
                            new String[] {rs.getString(4), rs.getString(5), time(rs, 6), rs.getString(7), time(rs, 8)});
                }
            }
        }
        List<AlertRow> out = new ArrayList<>();
        Report r = reports.report();
        if (r != null) {
            for (Finding a : r.alerts()) {
                if ((rule != null && !rule.equals(a.rule())) || (severity != null && !severity.equals(a.severity()))) {
                    continue;
                }
                if ((f.account() != null && !f.account().equals(a.account())) || (f.region() != null && !f.region().equals(a.region()))) {
                    continue;
                }
                String[] act = actions.get(a.rule() + "\u0000" + a.resource() + "\u0000" + (a.principal() == null ? "" : a.principal()));
                String st = "open";
                if (act != null && (act[2] == null || Instant.parse(act[2]).isAfter(now))) {
                    st = act[0].equals("suppress") ? "suppressed" : "acknowledged";
                }
                if (state != null && !state.equals(st)) {
                    continue;
                }
                boolean live = !st.equals("open");
                out.add(new AlertRow(a.rule(), a.severity(), a.resource(), a.principal(), a.status(), a.reason(), a.account(), a.region(),
                        Times.format(a.firstSeen()), Times.format(a.lastSeen()), st, live ? act[1] : null, live ? act[2] : null,
                        live ? act[3] : null, live ? act[4] : null, evidenceJson(a.evidence())));
            }
        }
        return page(out, page, pageSize);
    }

    /** Evidence as plain JSON values (times as ISO-8601 text). */
    public static Map<String, Object> evidenceJson(io.secrettrail.analytics.rules.Evidence e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("principal", e.principal());
        m.put("windowStart", Times.format(e.windowStart()));
        m.put("windowEnd", Times.format(e.windowEnd()));
        m.put("counts", e.counts());
        m.put("events", e.events());
        m.put("sourceIps", e.sourceIps());
        m.put("userAgents", e.userAgents());
        m.put("eventIds", e.eventIds());
        return m;
    }

    /**
     * Records an acknowledgement or suppression (an audit row: who, when, why, until when).
     *
     * @param action ack or suppress
     */
    public void act(String action, String rule, String resource, String principal, String reason, Instant expires, String actor,
                    Instant now) throws SQLException {
        if (!action.equals("ack") && !action.equals("suppress")) {
            throw new IllegalArgumentException("action: must be ack or suppress, was " + action);
        }
        if (rule == null || rule.isBlank() || resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("rule and resource are required");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: required");
        }
        if (reason.length() > 1000) {
            throw new IllegalArgumentException("reason: at most 1000 characters");
        }
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires: must be in the future, was " + Times.format(expires));
        }
        try (Connection c = store.reader(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alert_actions VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(2, rule);
            ps.setString(3, resource);
            ps.setString(4, principal == null ? "" : principal);
            ps.setString(5, action);
            ps.setString(6, reason);
            ps.setObject(7, expires == null ? null : LocalDateTime.ofInstant(expires, ZoneOffset.UTC));
            ps.setString(8, actor);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Figures for /metrics: stored counters, alerts by rule and severity, webhook deliveries by webhook and status. */
    public record Gauges(Map<String, Long> counters, Map<List<String>, Long> alerts, Map<List<String>, Long> deliveries) {}

    public Gauges gauges() throws SQLException {
        Map<String, Long> counters = new TreeMap<>();
        Map<List<String>, Long> deliveries = new TreeMap<>(Comparator.comparing(Object::toString));
        try (Connection c = store.reader()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM counters"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counters.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT webhook, status, count(*) FROM webhook_outbox GROUP BY ALL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deliveries.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        Map<List<String>, Long> alerts = new TreeMap<>(Comparator.comparing(Object::toString));
        Report r = reports.report();
        if (r != null) {
            r.alerts().forEach(a -> alerts.merge(List.of(a.rule(), a.severity()), 1L, Long::sum));
        }
        return new Gauges(counters, alerts, deliveries);
    }

    /** The cached report's cost, or null before the first build. */
    public CostReport cost() {
        Report r = reports.report();
        return r == null ? null : r.cost();
    }

    public Report report() {
        return reports.report();
    }

    private static String time(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : Times.format(t.toInstant(ZoneOffset.UTC));
    }

    private static List<String> strings(ResultSet rs, int col) throws SQLException {
        java.sql.Array a = rs.getArray(col);
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                if (o != null) {
                    out.add(o.toString());
                }
            }
        }
        return out;
    }
}
