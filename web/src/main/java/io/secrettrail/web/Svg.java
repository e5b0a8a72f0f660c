package io.secrettrail.web;

import static io.secrettrail.web.Html.escape;

import io.secrettrail.analytics.dashboard.AlertRow;
import io.secrettrail.analytics.dashboard.DayCount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Charts drawn on the server as SVG: no chart library, no script, every label escaped. */
final class Svg {
    static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private Svg() {}

    /** Calls per bucket (day or hour), stacked by event name, with a legend; the top 9 names, the rest as "other". */
    static String stacked(String id, String title, List<DayCount> series) {
        Map<String, Long> totals = new TreeMap<>();
        series.forEach(d -> totals.merge(d.eventName(), d.calls(), Long::sum));
        List<String> names = new ArrayList<>(totals.keySet());
        names.sort((a, b) -> Long.compare(totals.get(b), totals.get(a)));
        List<String> shown = names.size() > 10 ? new ArrayList<>(names.subList(0, 9)) : names;
        if (names.size() > 10) {
            shown.add("other");
        }
        Map<String, Map<String, Long>> byBucket = new TreeMap<>();
        for (DayCount d : series) {
            String n = shown.contains(d.eventName()) ? d.eventName() : "other";
            byBucket.computeIfAbsent(d.day(), k -> new LinkedHashMap<>()).merge(n, d.calls(), Long::sum);
        }
        int w = 900;
        int h = 260;
        int left = 60;
        int bottom = 40;
        long max = byBucket.values().stream()
                .mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum())
                .max()
                .orElse(0);
        StringBuilder legend = new StringBuilder();
        int lx = left;
        int ly = h;
        for (int k = 0; k < shown.size(); k++) {
            int itemWidth = 24 + 7 * shown.get(k).length();
            if (lx + itemWidth > w - 10 && lx > left) {
                lx = left;
                ly += 16;
            }
            legend.append("<rect x=\"")
                    .append(lx)
                    .append("\" y=\"")
                    .append(ly)
                    .append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(PALETTE[k % PALETTE.length])
                    .append("\"/><text x=\"")
                    .append(lx + 14)
                    .append("\" y=\"")
                    .append(ly + 9)
                    .append("\" class=\"axis\">")
                    .append(escape(shown.get(k)))
                    .append("</text>");
            lx += itemWidth;
        }
        StringBuilder b = figure(id, title, w, ly + 20);
        if (byBucket.isEmpty()) {
            nothing(b, w / 2, h / 2, "no calls in this range");
        } else {
            double slot = (w - left - 10) / (double) byBucket.size();
            double bar = Math.max(1, slot * 0.8);
            axis(b, left, w - 10, h - bottom, Long.toString(max));
            b.append("<text x=\"")
                    .append(left - 6)
                    .append("\" y=\"")
                    .append(h - bottom)
                    .append("\" text-anchor=\"end\" class=\"axis\">0</text>");
            int i = 0;
            int labelEvery = Math.max(1, byBucket.size() / 8);
            for (var e : byBucket.entrySet()) {
                double x = left + i * slot;
                double y = h - bottom;
                for (int k = 0; k < shown.size(); k++) {
                    long v = e.getValue().getOrDefault(shown.get(k), 0L);
                    if (v == 0) {
                        continue;
                    }
                    double bh = max == 0 ? 0 : (h - bottom - 10) * (double) v / max;
                    y -= bh;
                    b.append(String.format(
                                    java.util.Locale.ROOT,
                                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                                    x,
                                    y,
                                    bar,
                                    bh,
                                    PALETTE[k % PALETTE.length]))
                            .append("<title>")
                            .append(escape(e.getKey() + " " + shown.get(k) + ": " + v))
                            .append("</title></rect>");
                }
                if (i % labelEvery == 0) {
                    b.append(String.format(
                                    java.util.Locale.ROOT,
                                    "<text x=\"%.1f\" y=\"%d\" class=\"axis\">",
                                    x,
                                    h - bottom + 14))
                            .append(escape(e.getKey().length() > 10 ? e.getKey().substring(5) : e.getKey()))
                            .append("</text>");
                }
                i++;
            }
            b.append(legend);
        }
        return b.append("</svg></figure>").toString();
    }

    /**
     * One stacked bar: a label under it, a link (null for none) and its parts in the order of the legend.
     *
     * @param current drawn with an outline (the month picked)
     */
    record Stack(String label, String href, boolean current, Map<String, BigDecimal> parts) {
        BigDecimal total() {
            return parts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /**
     * Vertical bars of dollars, one per stack (a month), stacked by part (secrets, API calls, KMS), with a legend;
     * each bar links to its stack's page and is titled with its exact parts.
     */
    static String usdStacks(String id, String title, List<String> legend, List<Stack> stacks) {
        int w = 900;
        int h = 260;
        int left = 70;
        int bottom = 40;
        BigDecimal max =
                stacks.stream().map(Stack::total).max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        StringBuilder b = figure(id, title, w, h + 20);
        if (stacks.isEmpty()) {
            nothing(b, w / 2, h / 2, "no months in this range");
            return b.append("</svg></figure>").toString();
        }
        axis(b, left, w - 10, h - bottom, Usd.text(max));
        double slot = (w - left - 10) / (double) Math.max(stacks.size(), 4);
        double bar = Math.max(1, slot * 0.6);
        for (int i = 0; i < stacks.size(); i++) {
            Stack st = stacks.get(i);
            double x = left + i * slot + (slot - bar) / 2;
            double y = h - bottom;
            b.append("<g class=\"month")
                    .append(st.current() ? " current" : "")
                    .append("\" data-month=\"")
                    .append(escape(st.label()))
                    .append("\">");
            if (st.href() != null) {
                b.append("<a href=\"").append(escape(st.href())).append("\">");
            }
            for (int k = 0; k < legend.size(); k++) {
                BigDecimal v = st.parts().get(legend.get(k));
                if (v == null || v.signum() <= 0) {
                    continue;
                }
                // pixels only: a height need not be exact
                double bh = (h - bottom - 24)
                        * v.divide(max, java.math.MathContext.DECIMAL64).doubleValue();
                y -= bh;
                b.append(String.format(
                                java.util.Locale.ROOT,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s>",
                                x,
                                y,
                                bar,
                                Math.max(bh, 0.5),
                                PALETTE[k % PALETTE.length],
                                st.current() ? " stroke=\"#000\" stroke-width=\"1.5\"" : ""))
                        .append("<title>")
                        .append(escape(st.label() + " " + legend.get(k) + ": " + Usd.text(v)))
                        .append("</title></rect>");
            }
            b.append(String.format(
                            java.util.Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"axis total\">",
                            x + bar / 2,
                            y - 4))
                    .append(escape(Usd.text(st.total())))
                    .append("</text>")
                    .append(String.format(
                            java.util.Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"axis\">",
                            x + bar / 2,
                            h - bottom + 14))
                    .append(escape(st.label()))
                    .append("</text>");
            if (st.href() != null) {
                b.append("</a>");
            }
            b.append("</g>");
        }
        int lx = left;
        for (int k = 0; k < legend.size(); k++) {
            b.append("<rect x=\"")
                    .append(lx)
                    .append("\" y=\"")
                    .append(h)
                    .append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(PALETTE[k % PALETTE.length])
                    .append("\"/><text x=\"")
                    .append(lx + 14)
                    .append("\" y=\"")
                    .append(h + 9)
                    .append("\" class=\"axis\">")
                    .append(escape(legend.get(k)))
                    .append("</text>");
            lx += 24 + 7 * legend.get(k).length();
        }
        return b.append("</svg></figure>").toString();
    }

    /** Horizontal bars of dollars, each labelled as {@link Usd#text} shows it. */
    static String usdBars(String id, String title, Map<String, BigDecimal> values) {
        return bars(id, title, values, Usd::text);
    }

    /** Horizontal bars of counts. */
    static String countBars(String id, String title, Map<String, Long> values) {
        Map<String, BigDecimal> exact = new LinkedHashMap<>();
        values.forEach((k, v) -> exact.put(k, BigDecimal.valueOf(v)));
        return bars(id, title, exact, BigDecimal::toPlainString);
    }

    /** Horizontal bars of labelled amounts; the labels are exact, only the geometry is approximate. */
    private static String bars(
            String id, String title, Map<String, BigDecimal> values, Function<BigDecimal, String> label) {
        int rowH = 22;
        int w = 900;
        int h = Math.max(rowH, values.size() * rowH) + 10;
        BigDecimal max = values.values().stream().max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        StringBuilder b = figure(id, title, w, h);
        int i = 0;
        for (var e : values.entrySet()) {
            // pixels only: a width need not be exact
            double bw = max.signum() <= 0
                    ? 0
                    : 520
                            * e.getValue()
                                    .divide(max, java.math.MathContext.DECIMAL64)
                                    .doubleValue();
            int y = 4 + i * rowH;
            String text = label.apply(e.getValue());
            b.append("<text x=\"300\" y=\"")
                    .append(y + 14)
                    .append("\" text-anchor=\"end\" class=\"axis\">")
                    .append(escape(shorten(e.getKey())))
                    .append("</text>")
                    .append(String.format(
                            java.util.Locale.ROOT,
                            "<rect x=\"310\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"><title>",
                            y,
                            Math.max(bw, 1),
                            PALETTE[i % PALETTE.length]))
                    .append(escape(e.getKey() + ": " + text))
                    .append("</title></rect>")
                    .append(String.format(
                            java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\">", 316 + bw, y + 14))
                    .append(escape(text))
                    .append("</text>");
            i++;
        }
        if (values.isEmpty()) {
            nothing(b, w / 2, 20, "nothing to show");
        }
        return b.append("</svg></figure>").toString();
    }

    /**
     * One timeline per rule: a row per incident, its bar from its first to its last hit, on one time axis for all
     * the rules. Alerts without an incident (posture findings: a state, not a run of hits) have none. Open ones
     * are drawn solid with a marker at their end, closed ones pale; each bar has a title saying what it is.
     */
    static String timelines(List<AlertRow> alerts) {
        List<AlertRow> shown = alerts.stream()
                .filter(a -> a.incident() != null && start(a) != null && end(a) != null)
                .toList();
        if (shown.isEmpty()) {
            return "<p class=\"none\">no incidents</p>";
        }
        long t0 = shown.stream().mapToLong(a -> start(a).getEpochSecond()).min().orElse(0);
        long t1 = shown.stream().mapToLong(a -> end(a).getEpochSecond()).max().orElse(0);
        long span = Math.max(1, t1 - t0);
        Map<String, List<AlertRow>> byRule = new TreeMap<>();
        shown.forEach(
                a -> byRule.computeIfAbsent(a.rule(), k -> new ArrayList<>()).add(a));
        int w = 900;
        int left = 300;
        int right = 20;
        int rowH = 18;
        StringBuilder b = new StringBuilder("<section class=\"timelines\">");
        for (var e : byRule.entrySet()) {
            List<AlertRow> rows = e.getValue();
            int h = rows.size() * rowH + 24;
            String title = "Incidents of " + e.getKey();
            b.append(figure(
                    "chart timeline", "class=\"timeline\" data-rule=\"" + escape(e.getKey()) + "\"", title, w, h));
            for (int i = 0; i < rows.size(); i++) {
                AlertRow a = rows.get(i);
                double x0 = left + (w - left - right) * (start(a).getEpochSecond() - t0) / (double) span;
                double x1 = left + (w - left - right) * (end(a).getEpochSecond() - t0) / (double) span;
                double bw = Math.max(3, x1 - x0);
                int y = 4 + i * rowH;
                String state = a.open() ? "open" : "closed";
                String fill = a.open() ? "#b00020" : "#9aa3b2";
                b.append("<text x=\"")
                        .append(left - 8)
                        .append("\" y=\"")
                        .append(y + 11)
                        .append("\" text-anchor=\"end\" class=\"axis\">")
                        .append(escape(shorten(subject(a))))
                        .append("</text>")
                        .append(String.format(
                                java.util.Locale.ROOT,
                                "<rect class=\"bar %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\">",
                                state,
                                x0,
                                y,
                                bw,
                                fill))
                        .append("<title>")
                        .append(escape(a.rule() + " " + a.severity() + " on " + subject(a) + ": " + start(a) + " to "
                                + end(a) + ", " + state + ", " + a.incident().get("hits") + " hits"))
                        .append("</title></rect>");
                if (a.open()) {
                    b.append(String.format(
                            java.util.Locale.ROOT,
                            "<circle class=\"open-mark\" cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#fca311\"/>",
                            x0 + bw,
                            y + 6));
                }
            }
            int ay = rows.size() * rowH + 18;
            b.append("<text x=\"")
                    .append(left)
                    .append("\" y=\"")
                    .append(ay)
                    .append("\" class=\"axis\">")
                    .append(escape(Instant.ofEpochSecond(t0)))
                    .append("</text><text x=\"")
                    .append(w - right)
                    .append("\" y=\"")
                    .append(ay)
                    .append("\" text-anchor=\"end\" class=\"axis\">")
                    .append(escape(Instant.ofEpochSecond(t1)))
                    .append("</text></svg></figure>");
        }
        return b.append("</section>").toString();
    }

    /** Who or what an alert is about: its principal, else its resource. */
    static String subject(AlertRow a) {
        return a.principal() == null || a.principal().isEmpty() ? a.resource() : a.principal();
    }

    private static Instant start(AlertRow a) {
        return parse((String) a.incident().get("firstHit"));
    }

    private static Instant end(AlertRow a) {
        return parse((String) a.incident().get("lastHit"));
    }

    private static Instant parse(String t) {
        try {
            return t == null ? null : Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A chart's opening: its figure, caption and an svg of w x h with this id, captioned and labelled {@code title}. */
    private static StringBuilder figure(String id, String title, int w, int h) {
        return figure("chart", "id=\"" + escape(id) + "\"", title, w, h);
    }

    /** The same with the figure's class and the svg's identifying attributes (escaped by the caller). */
    private static StringBuilder figure(String figureClass, String svgAttributes, String title, int w, int h) {
        return new StringBuilder()
                .append("<figure class=\"")
                .append(figureClass)
                .append("\"><figcaption>")
                .append(escape(title))
                .append("</figcaption><svg ")
                .append(svgAttributes)
                .append(" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" role=\"img\" aria-label=\"")
                .append(escape(title))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    }

    /** The x axis from left to right at y, and the top value's label left of the plot. */
    private static void axis(StringBuilder b, int left, int right, int y, String top) {
        b.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(y)
                .append("\" x2=\"")
                .append(right)
                .append("\" y2=\"")
                .append(y)
                .append("\" stroke=\"#888\"/><text x=\"")
                .append(left - 6)
                .append("\" y=\"16\" text-anchor=\"end\" class=\"axis\">")
                .append(escape(top))
                .append("</text>");
    }

    /** A chart with nothing to draw says so, centred at (x, y). */
    private static void nothing(StringBuilder b, int x, int y, String text) {
        b.append("<text x=\"")
                .append(x)
                .append("\" y=\"")
                .append(y)
                .append("\" text-anchor=\"middle\">")
                .append(escape(text))
                .append("</text>");
    }

    private static String shorten(String s) {
        return s.length() > 44 ? "…" + s.substring(s.length() - 43) : s;
    }

    static List<String> distinctNames(List<DayCount> series) {
        return new ArrayList<>(
                new TreeSet<>(series.stream().map(DayCount::eventName).toList()));
    }
}
