package io.secrettrail.web;

import static io.secrettrail.web.Html.escape;

import io.secrettrail.analytics.dashboard.DayCount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

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
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart\"><figcaption>")
                .append(escape(title))
                .append("</figcaption>")
                .append("<svg id=\"")
                .append(escape(id))
                .append("\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(ly + 20)
                .append("\" role=\"img\" aria-label=\"")
                .append(escape(title))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        if (byBucket.isEmpty()) {
            b.append("<text x=\"")
                    .append(w / 2)
                    .append("\" y=\"")
                    .append(h / 2)
                    .append("\" text-anchor=\"middle\">no calls in this range</text>");
        } else {
            double slot = (w - left - 10) / (double) byBucket.size();
            double bar = Math.max(1, slot * 0.8);
            b.append("<line x1=\"")
                    .append(left)
                    .append("\" y1=\"")
                    .append(h - bottom)
                    .append("\" x2=\"")
                    .append(w - 10)
                    .append("\" y2=\"")
                    .append(h - bottom)
                    .append("\" stroke=\"#888\"/>");
            b.append("<text x=\"")
                    .append(left - 6)
                    .append("\" y=\"16\" text-anchor=\"end\" class=\"axis\">")
                    .append(max)
                    .append("</text>");
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

    /** Horizontal bars of labelled amounts (dollars or counts). */
    static String bars(String id, String title, Map<String, Double> values, String unit) {
        int rowH = 22;
        int w = 900;
        int h = Math.max(rowH, values.size() * rowH) + 10;
        double max =
                values.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart\"><figcaption>")
                .append(escape(title))
                .append("</figcaption><svg id=\"")
                .append(escape(id))
                .append("\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" role=\"img\" aria-label=\"")
                .append(escape(title))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        int i = 0;
        for (var e : values.entrySet()) {
            double bw = max <= 0 ? 0 : 520 * e.getValue() / max;
            int y = 4 + i * rowH;
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
                    .append(escape(e.getKey() + ": " + unit + fmt(e.getValue())))
                    .append("</title></rect>")
                    .append(String.format(
                            java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\">", 316 + bw, y + 14))
                    .append(escape(unit + fmt(e.getValue())))
                    .append("</text>");
            i++;
        }
        if (values.isEmpty()) {
            b.append("<text x=\"").append(w / 2).append("\" y=\"20\" text-anchor=\"middle\">nothing to show</text>");
        }
        return b.append("</svg></figure>").toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static String shorten(String s) {
        return s.length() > 44 ? "…" + s.substring(s.length() - 43) : s;
    }

    static List<String> distinctNames(List<DayCount> series) {
        return new ArrayList<>(
                new TreeSet<>(series.stream().map(DayCount::eventName).toList()));
    }
}
