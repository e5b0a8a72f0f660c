package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.dashboard.AlertActions;
import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.dashboard.Filters;
import io.secrettrail.analytics.dashboard.Page;
import io.secrettrail.analytics.dashboard.PrincipalRow;
import io.secrettrail.analytics.dashboard.SecretRow;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** Query parameters read and checked: a bad one is a 400 naming it, before any service is called. */
final class Params {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d[a-z]?|[a-z0-9-]{2,32}");

    private Params() {}

    /** Range (days=N back from today, or from/to dates), account/region and team, checked. */
    static Filters filters(Context ctx, Clock clock) {
        LocalDate from = date(ctx, "from");
        LocalDate to = date(ctx, "to");
        String days = text(ctx, "days");
        if (days != null) {
            int n = intParam(ctx, "days", 0);
            if (n < 1 || n > 3650) {
                throw new IllegalArgumentException("days: must be 1..3650, was " + days);
            }
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            from = today.minusDays(n - 1L);
            to = today;
        }
        String account = text(ctx, "account");
        if (account != null && !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account: must be 12 digits, was " + account);
        }
        String region = text(ctx, "region");
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region: not a region name: " + region);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from: must not be after to");
        }
        return new Filters(from, to, account, region, Filters.team(text(ctx, "team")));
    }

    /** The secrets page or API: search, tag, alert filter, sort and page. */
    static Page<SecretRow> secrets(Context ctx, DashboardService s, Clock clock) throws java.sql.SQLException {
        return s.secrets(
                filters(ctx, clock),
                text(ctx, "q"),
                text(ctx, "tag"),
                bool(ctx, "hasAlert"),
                sort(ctx),
                !"asc".equals(ctx.queryParam("dir")),
                intParam(ctx, "page", 1),
                intParam(ctx, "pageSize", 50));
    }

    /** The secrets export: as the page, its first 1,000 rows. */
    static Page<SecretRow> secretsExport(Context ctx, DashboardService s, Clock clock) throws java.sql.SQLException {
        return s.secrets(
                filters(ctx, clock),
                text(ctx, "q"),
                text(ctx, "tag"),
                bool(ctx, "hasAlert"),
                sort(ctx),
                !"asc".equals(ctx.queryParam("dir")),
                1,
                1000);
    }

    static Page<AlertRow> alerts(Context ctx, DashboardService s, Clock clock) throws java.sql.SQLException {
        String severity = text(ctx, "severity");
        if (severity != null && !List.of("critical", "high", "medium", "low").contains(severity)) {
            throw new IllegalArgumentException("severity: must be one of critical, high, medium, low, was " + severity);
        }
        return s.alerts(
                filters(ctx, clock),
                text(ctx, "rule"),
                severity,
                text(ctx, "status"),
                clock.instant(),
                intParam(ctx, "page", 1),
                intParam(ctx, "pageSize", 100));
    }

    /** The alert of the incident named by the path's {@code id}: 404 for an id of no incident (or not an id). */
    static AlertRow incident(Context ctx, DashboardService s, Clock clock) throws java.sql.SQLException {
        String id = ctx.pathParam("id");
        if (!AlertActions.INCIDENT_ID.matcher(id).matches()) {
            throw new HttpError(404, "not_found", "not an incident id");
        }
        return s.incident(id, clock.instant()).orElseThrow(() -> new HttpError(404, "not_found", "no incident " + id));
    }

    static Page<PrincipalRow> principals(Context ctx, DashboardService s, Clock clock) throws java.sql.SQLException {
        return s.principals(
                filters(ctx, clock), text(ctx, "q"), intParam(ctx, "page", 1), intParam(ctx, "pageSize", 50));
    }

    /** {@code month=YYYY-MM}, or null (the open month). */
    static YearMonth month(Context ctx) {
        String v = text(ctx, "month");
        if (v == null) {
            return null;
        }
        if (!MONTH.matcher(v).matches()) {
            throw new IllegalArgumentException("month: expected a month like 2026-11, was " + v);
        }
        return YearMonth.parse(v);
    }

    private static String sort(Context ctx) {
        String s = text(ctx, "sort");
        return s == null ? "calls" : s;
    }

    private static LocalDate date(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected a date like 2026-11-21, was " + v);
        }
    }

    static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(name + ": required");
        }
        return v;
    }

    private static Boolean bool(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(name + ": must be true or false, was " + v);
        }
        return Boolean.valueOf(v);
    }

    static int intParam(Context ctx, String name, int dflt) {
        String v = text(ctx, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a whole number, was " + v);
        }
    }
}
