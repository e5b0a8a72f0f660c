package io.secrettrail.analytics.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.cost.KmsMonth;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.cost.MonthOverMonth;
import io.secrettrail.analytics.cost.Saving;
import io.secrettrail.analytics.rules.Evidence;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.Incident;
import io.secrettrail.core.Csv;
import io.secrettrail.core.Json;
import io.secrettrail.core.Money;
import io.secrettrail.core.Times;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report} as JSON (schema v1) or as CSV for spreadsheets.
 *
 * <p>Longer than our ~300-line guide on purpose: schema v1 is a contract (pinned byte for byte by
 * {@code GoldenReportIT}), and every field's name, order and form is written here, one after the other, so
 * that the whole contract reads in one file in the order a consumer sees it.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static void json(Report r, OutputStream out) throws IOException {
        // the shared mapper's generator: the schema's fields are written one by one, in the documented order
        try (JsonGenerator g = Json.mapper().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schemaVersion", r.schemaVersion());
            time(g, "asOf", r.asOf());
            g.writeObjectFieldStart("ingest");
            g.writeNumberField("files", r.ingest().files());
            g.writeNumberField("records", r.ingest().records());
            g.writeNumberField("secretsManagerEvents", r.ingest().secretsManagerEvents());
            g.writeNumberField("duplicates", r.ingest().duplicates());
            g.writeNumberField("rejected", r.ingest().rejected());
            g.writeNumberField("conflicts", r.ingest().conflicts());
            g.writeNumberField("future", r.ingest().future());
            g.writeEndObject();
            g.writeArrayFieldStart("secrets");
            for (Report.SecretSummary s : r.secrets()) {
                g.writeStartObject();
                g.writeStringField("arn", s.arn());
                g.writeStringField("name", s.name());
                g.writeStringField("account", s.account());
                g.writeStringField("region", s.region());
                g.writeStringField("primaryRegion", s.primaryRegion());
                g.writeBooleanField("resolved", s.resolved());
                if (r.owners() != null) {
                    nullableString(g, "team", r.teamOf(s.arn()));
                    nullableString(g, "owner", r.ownerOf(s.arn()));
                }
                if (s.exists() == null) {
                    g.writeNullField("exists");
                } else {
                    g.writeBooleanField("exists", s.exists());
                }
                g.writeNumberField("calls", s.calls());
                g.writeObjectFieldStart("callsByEvent");
                for (Map.Entry<String, Long> e : s.callsByEvent().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("errors", s.errors());
                g.writeNumberField("principals", s.principals());
                g.writeNumberField("reads", s.reads());
                time(g, "lastAccessed", s.lastAccessed());
                time(g, "lastRotated", s.lastRotated());
                time(g, "lastChanged", s.lastChanged());
                if (s.rotationEnabled() == null) {
                    g.writeNullField("rotationEnabled");
                } else {
                    g.writeBooleanField("rotationEnabled", s.rotationEnabled());
                }
                time(g, "createdDate", s.createdDate());
                time(g, "deletedDate", s.deletedDate());
                if (s.cost() != null) {
                    g.writeObjectFieldStart("cost");
                    g.writeNumberField("monthToDateUsd", s.cost().monthToDateUsd());
                    g.writeNumberField("projectedUsd", s.cost().projectedUsd());
                    g.writeEndObject();
                }
                if (s.kms() != null) {
                    if (s.kms().requests() == null) {
                        g.writeNullField("kmsRequests");
                    } else {
                        g.writeNumberField("kmsRequests", s.kms().requests());
                    }
                    if (s.kms().key() == null) {
                        g.writeNullField("kmsKey");
                    } else {
                        g.writeStringField("kmsKey", s.kms().key());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("unattributedCalls", r.unattributedCalls());
            if (r.unknownNames() != null) {
                g.writeArrayFieldStart("unknownNames");
                for (Report.UnknownNames u : r.unknownNames()) {
                    g.writeStartObject();
                    g.writeStringField("account", u.account());
                    g.writeStringField("region", u.region());
                    g.writeNumberField("calls", u.calls());
                    g.writeNumberField("names", u.names());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.alerts() != null) {
                g.writeArrayFieldStart("alerts");
                for (Finding f : r.alerts()) {
                    g.writeStartObject();
                    g.writeStringField("rule", f.rule());
                    g.writeStringField("resource", f.resource());
                    g.writeStringField("severity", f.severity());
                    g.writeStringField("status", f.status());
                    g.writeStringField("reason", f.reason());
                    g.writeStringField("account", f.account());
                    g.writeStringField("region", f.region());
                    time(g, "firstSeen", f.firstSeen());
                    time(g, "lastSeen", f.lastSeen());
                    if (f.principal() != null) {
                        g.writeStringField("principal", f.principal());
                    }
                    if (r.teamOf(f.resource()) != null) {
                        g.writeStringField("team", r.teamOf(f.resource()));
                    }
                    if (f.evidence() != null) {
                        evidence(g, f.evidence());
                    }
                    if (f.incident() != null) {
                        incident(g, f.incident());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.cost() != null) {
                cost(g, r.cost());
            }
            if (r.teams() != null) {
                teams(g, r.teams());
            }
            if (r.access() != null) {
                g.writeArrayFieldStart("access");
                for (AccessEntry a : r.access()) {
                    g.writeStartObject();
                    g.writeStringField("secret", a.secret());
                    g.writeStringField("principal", a.principal());
                    g.writeNumberField("calls", a.calls());
                    g.writeNumberField("errors", a.errors());
                    time(g, "firstSeen", a.firstSeen());
                    time(g, "lastSeen", a.lastSeen());
                    g.writeArrayFieldStart("sourceIps");
                    for (String ip : a.sourceIps()) {
                        g.writeString(ip);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("userAgents");
                    for (String ua : a.userAgents()) {
                        g.writeString(ua);
                    }
                    g.writeEndArray();
                    g.writeNumberField("otherClients", a.otherClients());
                    g.writeNumberField("otherClientCalls", a.otherClientCalls());
                    strings(g, "callerKinds", a.callerKinds());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** teams: one row per team, unowned among them, in team order; money as exact decimals. */
    private static void teams(JsonGenerator g, List<Report.Team> teams) throws IOException {
        g.writeArrayFieldStart("teams");
        for (Report.Team t : teams) {
            g.writeStartObject();
            g.writeStringField("team", t.team());
            g.writeNumberField("secrets", t.secrets());
            g.writeObjectFieldStart("costUsd");
            exact(g, "thisMonth", t.costThisMonthUsd());
            exact(g, "lastMonth", t.costLastMonthUsd());
            g.writeEndObject();
            g.writeNumberField("openIncidents", t.openIncidents());
            g.writeNumberField("postureFailures", t.postureFailures());
            exact(g, "savingsUsd", t.savingsUsd());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void nullableString(JsonGenerator g, String field, String v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, v);
        }
    }

    private static void cost(JsonGenerator g, CostReport c) throws IOException {
        g.writeObjectFieldStart("cost");
        g.writeStringField("month", c.month());
        g.writeStringField("currency", c.currency());
        g.writeNumberField("monthToDateUsd", c.monthToDateUsd());
        g.writeNumberField("projectedUsd", c.projectedUsd());
        g.writeNumberField("secretsMonthToDateUsd", c.secretsMonthToDateUsd());
        g.writeNumberField("secretsProjectedUsd", c.secretsProjectedUsd());
        g.writeNumberField("apiCallsMonthToDate", c.apiCallsMonthToDate());
        g.writeNumberField("apiCallsProjected", c.apiCallsProjected());
        g.writeNumberField("apiCallsMonthToDateUsd", c.apiCallsMonthToDateUsd());
        g.writeNumberField("apiCallsProjectedUsd", c.apiCallsProjectedUsd());
        g.writeNumberField("unattributedMonthToDateUsd", c.unattributedMonthToDateUsd());
        lines(g, "byAccount", "account", c.byAccount());
        lines(g, "byRegion", "region", c.byRegion());
        lines(g, "byTag", "tag", c.byTag());
        lines(g, "topPrincipals", "principal", c.topPrincipals());
        if (c.otherPrincipals() != null) {
            g.writeObjectFieldStart("otherPrincipals");
            g.writeNumberField("principals", c.otherPrincipals().count());
            g.writeNumberField("calls", c.otherPrincipals().calls());
            exact(g, "monthToDateUsd", c.otherPrincipals().usd());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("savings");
        for (Saving sv : c.savings()) {
            g.writeStartObject();
            g.writeStringField("kind", sv.kind());
            g.writeStringField("resource", sv.resource());
            if (sv.principal() != null) {
                g.writeStringField("principal", sv.principal());
            }
            g.writeNumberField("monthlyUsd", sv.monthlyUsd());
            g.writeStringField("reason", sv.reason());
            if (sv.information()) {
                g.writeBooleanField("information", true); // a figure to know, not a change to make
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (c.assumptions() != null) {
            g.writeObjectFieldStart("assumptions");
            g.writeBooleanField("batchEntriesBilled", c.assumptions().batchEntriesBilled());
            g.writeNumberField("batchMatchSeconds", c.assumptions().batchMatchSeconds());
            if (c.assumptions().kms() != null) {
                g.writeStringField("kms", c.assumptions().kms());
            }
            if (c.assumptions().scope() != null) {
                g.writeStringField("scope", c.assumptions().scope());
            }
            g.writeEndObject();
        }
        if (c.kms() != null) {
            kms(g, c.kms());
        }
        if (c.months() != null) {
            months(g, c.months());
            monthOverMonth(g, c.monthOverMonth());
        }
        if (c.reconciliation() != null) {
            ReconciliationWriter.json(g, c.reconciliation());
        }
        g.writeEndObject();
    }

    /** cost.months (issue 15): exact decimals, no cent rounding; the projections on the open month only. */
    private static void months(JsonGenerator g, List<MonthCost> months) throws IOException {
        g.writeArrayFieldStart("months");
        for (MonthCost m : months) {
            month(g, m, MonthCost.DIMENSIONS);
        }
        g.writeEndArray();
    }

    /** One month as an object: its figures, then the breakdowns by {@code dimensions}. */
    private static void month(JsonGenerator g, MonthCost m, List<String> dimensions) throws IOException {
        g.writeStartObject();
        g.writeStringField("month", m.month());
        g.writeBooleanField("closed", m.closed());
        g.writeNumberField("events", m.events());
        exact(g, "secretsUsd", m.secretsUsd());
        g.writeNumberField("apiCalls", m.apiCalls());
        exact(g, "apiCallsUsd", m.apiCallsUsd());
        nullableCount(g, "kmsRequests", m.kmsRequests());
        nullableExact(g, "kmsUsd", m.kmsUsd());
        nullableExact(g, "kmsFreeTierUsd", m.kmsFreeTierUsd());
        exact(g, "totalUsd", m.totalUsd());
        if (!m.closed()) {
            exact(g, "projectedUsd", m.projectedUsd());
            exact(g, "secretsProjectedUsd", m.secretsProjectedUsd());
            exact(g, "apiCallsProjected", m.apiCallsProjected());
            exact(g, "apiCallsProjectedUsd", m.apiCallsProjectedUsd());
            nullableExact(g, "kmsProjectedUsd", m.kmsProjectedUsd());
        }
        g.writeNumberField("unattributedCalls", m.unattributedCalls());
        exact(g, "unattributedUsd", m.unattributedUsd());
        // KMS requests for secrets named only by KMS events: bySecret's kmsRequests plus these make kmsRequests
        nullableCount(g, "kmsUnattributedRequests", m.kmsUnattributedRequests());
        nullableExact(g, "kmsUnattributedUsd", m.kmsUnattributedUsd());
        for (String d : dimensions) {
            g.writeArrayFieldStart("by" + Character.toUpperCase(d.charAt(0)) + d.substring(1));
            for (MonthCost.Line l : m.lines(d)) {
                g.writeStartObject();
                g.writeStringField(d, l.key());
                exact(g, "calls", l.calls());
                exact(g, "usd", l.usd());
                if (l.projectedUsd() != null) {
                    exact(g, "projectedUsd", l.projectedUsd());
                }
                // KMS beside Secrets Manager's usd, only with KMS data (no placeholder zeros)
                if (l.kmsRequests() != null && d.equals("secret")) {
                    g.writeNumberField("kmsRequests", l.kmsRequests());
                }
                if (l.kmsUsd() != null) {
                    exact(g, "kmsUsd", l.kmsUsd());
                }
                if (l.kmsProjectedUsd() != null) {
                    exact(g, "kmsProjectedUsd", l.kmsProjectedUsd());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void nullableExact(JsonGenerator g, String field, BigDecimal v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else {
            exact(g, field, v);
        }
    }

    private static void nullableCount(JsonGenerator g, String field, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    /** One month's bill as JSON, in the form of a {@code cost.months[]} entry, with the given breakdowns. */
    public static void monthJson(MonthCost m, List<String> dimensions, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.mapper().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            month(g, m, dimensions);
            g.writeRaw('\n');
        }
    }

    /** cost.monthOverMonth: null when the report spans a single month. */
    private static void monthOverMonth(JsonGenerator g, MonthOverMonth m) throws IOException {
        if (m == null) {
            g.writeNullField("monthOverMonth");
            return;
        }
        g.writeObjectFieldStart("monthOverMonth");
        g.writeStringField("from", m.from());
        g.writeStringField("to", m.to());
        g.writeStringField("fromBasis", m.fromBasis());
        g.writeStringField("toBasis", m.toBasis());
        exact(g, "fromUsd", m.fromUsd());
        exact(g, "toUsd", m.toUsd());
        exact(g, "changeUsd", m.changeUsd());
        if (m.changePct() == null) {
            g.writeNullField("changePct");
        } else {
            exact(g, "changePct", m.changePct());
        }
        movers(g, "secrets", "secret", m.secrets());
        movers(g, "accounts", "account", m.accounts());
        g.writeEndObject();
    }

    private static void movers(JsonGenerator g, String field, String keyName, List<MonthOverMonth.Mover> movers)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (MonthOverMonth.Mover mv : movers) {
            g.writeStartObject();
            g.writeStringField(keyName, mv.key());
            exact(g, "fromUsd", mv.fromUsd());
            exact(g, "toUsd", mv.toUsd());
            exact(g, "changeUsd", mv.changeUsd());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A full-precision decimal, as {@link Money#json} writes it (0.0183, 12, never 1.2E+1). */
    private static void exact(JsonGenerator g, String field, BigDecimal v) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(Money.json(v));
    }

    /** cost.kms: the open month's KMS cost to date, exact (unrounded) decimals, apart from Secrets Manager's figures. */
    private static void kms(JsonGenerator g, KmsMonth k) throws IOException {
        g.writeObjectFieldStart("kms");
        g.writeNumberField("requests", k.requests());
        exact(g, "requestsUsd", k.requestsUsd());
        exact(g, "keyFeesUsd", k.keyFeesUsd());
        exact(g, "freeTierUsd", k.freeTierUsd());
        exact(g, "totalUsd", k.totalUsd());
        g.writeStringField(
                "note",
                "SecretTrail sees only the KMS requests made for secrets: the account's other requests also use the"
                        + " free tier, so freeTierUsd is an upper bound");
        g.writeArrayFieldStart("byAccount");
        for (Map.Entry<String, KmsMonth.Account> a : k.byAccount().entrySet()) {
            g.writeStartObject();
            g.writeStringField("account", a.getKey());
            g.writeNumberField("requests", a.getValue().requests());
            exact(g, "requestsUsd", a.getValue().requestsUsd());
            exact(g, "keyFeesUsd", a.getValue().keyFeesUsd());
            exact(g, "freeTierUsd", a.getValue().freeTierUsd());
            exact(g, "totalUsd", a.getValue().totalUsd());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void lines(JsonGenerator g, String field, String keyName, List<CostReport.Line> lines)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (CostReport.Line l : lines) {
            g.writeStartObject();
            g.writeStringField(keyName, l.key());
            g.writeNumberField("calls", l.calls());
            g.writeNumberField("monthToDateUsd", l.monthToDateUsd());
            if (l.projectedUsd() != null) {
                g.writeNumberField("projectedUsd", l.projectedUsd());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static final List<String> ALERT_COLUMNS = List.of(
            "rule",
            "severity",
            "resource",
            "status",
            "reason",
            "account",
            "region",
            "firstSeen",
            "lastSeen",
            "principal",
            "events",
            "windowStart",
            "windowEnd",
            "sourceIps",
            "userAgents",
            "eventIds",
            "incident",
            "state",
            "firstHit",
            "lastHit");

    private static void evidence(JsonGenerator g, Evidence e) throws IOException {
        g.writeObjectFieldStart("evidence");
        g.writeStringField("principal", e.principal());
        time(g, "windowStart", e.windowStart());
        time(g, "windowEnd", e.windowEnd());
        g.writeObjectFieldStart("counts");
        for (Map.Entry<String, Object> c : e.counts().entrySet()) {
            g.writeFieldName(c.getKey());
            if (c.getValue() instanceof Number n) {
                g.writeNumber(n.longValue());
            } else if (c.getValue() instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                g.writeString(String.valueOf(c.getValue()));
            }
        }
        g.writeEndObject();
        g.writeNumberField("events", e.events());
        strings(g, "sourceIps", e.sourceIps());
        strings(g, "userAgents", e.userAgents());
        strings(g, "callerKinds", e.callerKinds());
        strings(g, "eventIds", e.eventIds());
        g.writeArrayFieldStart("sessions");
        for (Map<String, Object> s : EvidenceJson.sessions(e)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> f : s.entrySet()) {
                g.writeStringField(f.getKey(), (String) f.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A detection's incident, after its evidence (new in issue 14: fields added, none changed). */
    private static void incident(JsonGenerator g, Incident i) throws IOException {
        g.writeStringField("incident", i.id());
        g.writeStringField("state", i.state());
        time(g, "firstHit", i.firstHit());
        time(g, "lastHit", i.lastHit());
        g.writeNumberField("hits", i.hits());
        g.writeObjectFieldStart("mitre");
        g.writeStringField("id", i.mitreId());
        g.writeStringField("name", i.mitreName());
        g.writeEndObject();
        g.writeStringField("runbook", i.runbook());
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** alerts.csv: one row per alarm. */
    public static void alertsCsv(Report r, Writer out) throws IOException {
        row(out, ALERT_COLUMNS);
        for (Finding f : r.alerts()) {
            Evidence e = f.evidence();
            row(
                    out,
                    List.of(
                            f.rule(),
                            f.severity(),
                            f.resource(),
                            f.status(),
                            f.reason(),
                            nz(f.account()),
                            nz(f.region()),
                            nz(Times.format(f.firstSeen())),
                            nz(Times.format(f.lastSeen())),
                            nz(f.principal()),
                            e == null ? "" : Long.toString(e.events()),
                            e == null ? "" : nz(Times.format(e.windowStart())),
                            e == null ? "" : nz(Times.format(e.windowEnd())),
                            e == null ? "" : String.join(" ", e.sourceIps()),
                            e == null ? "" : String.join(" | ", e.userAgents()),
                            e == null ? "" : String.join(" ", e.eventIds()),
                            f.incident() == null ? "" : f.incident().id(),
                            f.incident() == null ? "" : f.incident().state(),
                            f.incident() == null
                                    ? ""
                                    : nz(Times.format(f.incident().firstHit())),
                            f.incident() == null
                                    ? ""
                                    : nz(Times.format(f.incident().lastHit()))));
        }
    }

    /** cost.csv: the month's totals and every attribution line, one per row, for chargeback. */
    public static void costCsv(Report r, Writer out) throws IOException {
        CostReport c = r.cost();
        row(out, List.of("month", "dimension", "key", "calls", "monthToDateUsd", "projectedUsd"));
        row(
                out,
                List.of(
                        c.month(),
                        "total",
                        "all",
                        Long.toString(c.apiCallsMonthToDate()),
                        c.monthToDateUsd().toPlainString(),
                        c.projectedUsd().toPlainString()));
        for (var dim : List.of(
                Map.entry("account", c.byAccount()),
                Map.entry("region", c.byRegion()),
                Map.entry("tag", c.byTag()),
                Map.entry("principal", c.topPrincipals()))) {
            for (CostReport.Line l : dim.getValue()) {
                row(
                        out,
                        List.of(
                                c.month(),
                                dim.getKey(),
                                l.key(),
                                Long.toString(l.calls()),
                                l.monthToDateUsd().toPlainString(),
                                l.projectedUsd() == null ? "" : l.projectedUsd().toPlainString()));
            }
        }
        for (Saving sv : c.savings()) {
            row(
                    out,
                    List.of(
                            c.month(),
                            "saving:" + sv.kind(),
                            sv.principal() == null ? sv.resource() : sv.resource() + " <- " + sv.principal(),
                            "",
                            "",
                            sv.monthlyUsd().toPlainString()));
        }
        for (CostReport.Line l : c.bySecret().values()) {
            row(
                    out,
                    List.of(
                            c.month(),
                            "secret",
                            l.key(),
                            Long.toString(l.calls()),
                            l.monthToDateUsd().toPlainString(),
                            l.projectedUsd().toPlainString()));
        }
    }

    static final List<String> MONTH_COLUMNS = List.of(
            "month",
            "closed",
            "events",
            "secretsUsd",
            "apiCalls",
            "apiCallsUsd",
            "unattributedCalls",
            "unattributedUsd",
            "totalUsd",
            "projectedUsd",
            "kmsRequests",
            "kmsUsd",
            "kmsFreeTierUsd",
            "kmsUnattributedRequests",
            "kmsUnattributedUsd");

    /**
     * months.csv: one row per month of {@code cost.months}; money as {@link Money#display} shows it (four
     * decimals under $1, two otherwise), projectedUsd empty for a closed month.
     */
    public static void monthsCsv(Report r, Writer out) throws IOException {
        row(out, MONTH_COLUMNS);
        for (MonthCost m : r.cost().months()) {
            row(
                    out,
                    List.of(
                            m.month(),
                            Boolean.toString(m.closed()),
                            Long.toString(m.events()),
                            Money.display(m.secretsUsd()),
                            Long.toString(m.apiCalls()),
                            Money.display(m.apiCallsUsd()),
                            Long.toString(m.unattributedCalls()),
                            Money.display(m.unattributedUsd()),
                            Money.display(m.totalUsd()),
                            m.projectedUsd() == null ? "" : Money.display(m.projectedUsd()),
                            m.kmsRequests() == null ? "" : Long.toString(m.kmsRequests()),
                            m.kmsUsd() == null ? "" : Money.display(m.kmsUsd()),
                            m.kmsFreeTierUsd() == null ? "" : Money.display(m.kmsFreeTierUsd()),
                            m.kmsUnattributedRequests() == null ? "" : Long.toString(m.kmsUnattributedRequests()),
                            m.kmsUnattributedUsd() == null ? "" : Money.display(m.kmsUnattributedUsd())));
        }
    }

    /**
     * One month's bill as CSV: a total row, then a row per line of each of {@code dimensions}; money as
     * {@link Money#display} shows it, calls to four decimals at most (a secret's share of a batch).
     */
    public static void monthCsv(MonthCost m, List<String> dimensions, Writer out) throws IOException {
        row(
                out,
                List.of(
                        "month",
                        "closed",
                        "dimension",
                        "key",
                        "calls",
                        "usd",
                        "projectedUsd",
                        "kmsRequests",
                        "kmsUsd"));
        row(
                out,
                List.of(
                        m.month(),
                        Boolean.toString(m.closed()),
                        "total",
                        "all",
                        Long.toString(m.apiCalls()),
                        Money.display(m.totalUsd()),
                        m.projectedUsd() == null ? "" : Money.display(m.projectedUsd()),
                        m.kmsRequests() == null ? "" : Long.toString(m.kmsRequests()),
                        m.kmsUsd() == null ? "" : Money.display(m.kmsUsd())));
        for (String d : dimensions) {
            for (MonthCost.Line l : m.lines(d)) {
                row(
                        out,
                        List.of(
                                m.month(),
                                Boolean.toString(m.closed()),
                                d,
                                l.key(),
                                Money.quantity(l.calls()),
                                Money.display(l.usd()),
                                l.projectedUsd() == null ? "" : Money.display(l.projectedUsd()),
                                l.kmsRequests() == null ? "" : Long.toString(l.kmsRequests()),
                                l.kmsUsd() == null ? "" : Money.display(l.kmsUsd())));
            }
        }
    }

    static final List<String> SECRET_COLUMNS = List.of(
            "arn",
            "name",
            "account",
            "region",
            "primaryRegion",
            "resolved",
            "calls",
            "errors",
            "principals",
            "lastAccessed",
            "lastRotated",
            "lastChanged",
            "rotationEnabled",
            "createdDate",
            "deletedDate",
            "callsByEvent",
            "costMonthToDateUsd",
            "costProjectedUsd",
            "exists",
            "kmsRequests",
            "kmsKey");

    /** secrets.csv: one row per secret; callsByEvent as {@code Name=n;Name=n}. */
    public static void secretsCsv(Report r, Writer out) throws IOException {
        row(out, SECRET_COLUMNS);
        for (Report.SecretSummary s : r.secrets()) {
            StringBuilder byEvent = new StringBuilder();
            s.callsByEvent()
                    .forEach((k, v) -> byEvent.append(byEvent.isEmpty() ? "" : ";")
                            .append(k)
                            .append('=')
                            .append(v));
            row(
                    out,
                    List.of(
                            s.arn(),
                            s.name(),
                            nz(s.account()),
                            nz(s.region()),
                            nz(s.primaryRegion()),
                            Boolean.toString(s.resolved()),
                            Long.toString(s.calls()),
                            Long.toString(s.errors()),
                            Long.toString(s.principals()),
                            nz(Times.format(s.lastAccessed())),
                            nz(Times.format(s.lastRotated())),
                            nz(Times.format(s.lastChanged())),
                            s.rotationEnabled() == null
                                    ? ""
                                    : s.rotationEnabled().toString(),
                            nz(Times.format(s.createdDate())),
                            nz(Times.format(s.deletedDate())),
                            byEvent.toString(),
                            s.cost() == null ? "" : s.cost().monthToDateUsd().toPlainString(),
                            s.cost() == null ? "" : s.cost().projectedUsd().toPlainString(),
                            s.exists() == null ? "" : s.exists().toString(),
                            s.kms() == null || s.kms().requests() == null
                                    ? ""
                                    : s.kms().requests().toString(),
                            s.kms() == null ? "" : nz(s.kms().key())));
        }
    }

    static final List<String> TEAM_COLUMNS = List.of(
            "team",
            "secrets",
            "costThisMonthUsd",
            "costLastMonthUsd",
            "openIncidents",
            "postureFailures",
            "savingsUsd");

    /** teams.csv: the teams section, one row per team; money as the pages show it ({@link Money#display}). */
    public static void teamsCsv(Report r, Writer out) throws IOException {
        row(out, TEAM_COLUMNS);
        for (Report.Team t : r.teams() == null ? List.<Report.Team>of() : r.teams()) {
            row(
                    out,
                    List.of(
                            t.team(),
                            Long.toString(t.secrets()),
                            Money.display(t.costThisMonthUsd()),
                            Money.display(t.costLastMonthUsd()),
                            Long.toString(t.openIncidents()),
                            Long.toString(t.postureFailures()),
                            Money.display(t.savingsUsd())));
        }
    }

    /** A CSV with a header; every cell goes through the one encoder, {@link Csv#cell}. */
    public static void rows(Writer out, List<String> header, List<List<String>> rows) throws IOException {
        row(out, header);
        for (List<String> r : rows) {
            row(out, r);
        }
    }

    static void row(Writer out, List<String> cells) throws IOException {
        Csv.row(out, cells);
    }

    static String cell(String v) {
        return Csv.cell(v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static void time(JsonGenerator g, String field, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Times.format(t));
        }
    }
}
