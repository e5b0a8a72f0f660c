package io.secrettrail.analytics.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.secrettrail.analytics.cost.Reconciliation;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code cost.reconciliation} (a field added to schema v1: written only when billing data was read) and
 * {@code reconciliation.csv}. Amounts keep their full precision (no rounding to the cent): the delta of a line
 * that reconciles to the cent is still shown as it is.
 */
public final class ReconciliationWriter {
    static final List<String> COLUMNS = List.of(
            "month",
            "account",
            "region",
            "usageKind",
            "resource",
            "billedQuantity",
            "billedUsd",
            "billedNetUsd",
            "computedQuantity",
            "computedUsd",
            "deltaQuantity",
            "deltaUsd",
            "reconciled",
            "explanation");

    private ReconciliationWriter() {}

    static void json(JsonGenerator g, Reconciliation r) throws IOException {
        g.writeObjectFieldStart("reconciliation");
        g.writeStringField("basis", r.basis());
        g.writeArrayFieldStart("sources");
        for (String s : r.sources()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("lines");
        for (Reconciliation.Line l : r.lines()) {
            g.writeStartObject();
            g.writeStringField("month", l.month());
            g.writeStringField("account", l.account());
            g.writeStringField("region", l.region());
            g.writeStringField("usageKind", l.usageKind());
            g.writeStringField("resource", l.resource());
            number(g, "billedQuantity", l.billedQuantity());
            number(g, "billedUsd", l.billedUsd());
            number(g, "billedNetUsd", l.billedNetUsd());
            number(g, "computedQuantity", l.computedQuantity());
            number(g, "computedUsd", l.computedUsd());
            number(g, "deltaQuantity", l.deltaQuantity());
            number(g, "deltaUsd", l.deltaUsd());
            g.writeBooleanField("reconciled", l.reconciled());
            g.writeArrayFieldStart("explanations");
            for (String e : l.explanations()) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("nonUsage");
        for (Reconciliation.NonUsage n : r.nonUsage()) {
            g.writeStartObject();
            g.writeStringField("month", n.month());
            g.writeStringField("account", n.account());
            g.writeStringField("region", n.region());
            g.writeStringField("service", n.service());
            g.writeStringField("usageType", n.usageType());
            g.writeStringField("lineItemType", n.lineItemType());
            number(g, "usd", n.usd());
            number(g, "netUsd", n.netUsd());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * reconciliation.csv: one row per line, then the non-usage lines (usageKind {@code nonUsage:<type>}, the amount
     * in billedUsd); the explanations joined by {@code "; "}.
     */
    public static void csv(Reconciliation r, Writer out) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Reconciliation.Line l : r.lines()) {
            rows.add(List.of(
                    l.month(),
                    nz(l.account()),
                    nz(l.region()),
                    l.usageKind(),
                    nz(l.resource()),
                    text(l.billedQuantity()),
                    text(l.billedUsd()),
                    text(l.billedNetUsd()),
                    text(l.computedQuantity()),
                    text(l.computedUsd()),
                    text(l.deltaQuantity()),
                    text(l.deltaUsd()),
                    Boolean.toString(l.reconciled()),
                    String.join("; ", l.explanations())));
        }
        for (Reconciliation.NonUsage n : r.nonUsage()) {
            rows.add(List.of(
                    n.month(),
                    nz(n.account()),
                    nz(n.region()),
                    "nonUsage:" + n.lineItemType(),
                    nz(n.usageType()),
                    "",
                    text(n.usd()),
                    text(n.netUsd()),
                    "",
                    "",
                    "",
                    "",
                    "false",
                    n.service()));
        }
        ReportWriter.rows(out, COLUMNS, rows);
    }

    private static void number(JsonGenerator g, String field, BigDecimal v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else {
            g.writeFieldName(field);
            g.writeNumber(v.toPlainString());
        }
    }

    private static String text(BigDecimal v) {
        return v == null ? "" : v.toPlainString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
