package io.secrettrail.web;

import static io.secrettrail.web.Html.escape;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.core.Times;

/** The first page: ingest counters and the per-secret table of a report. No script at all. */
final class OverviewPage {
    private OverviewPage() {}

    static String render(Report r) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SecretTrail</title>")
                .append("<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.25rem .5rem;font-size:.9rem}th{background:#f4f4f4}")
                .append(".no{color:#a00}</style></head><body>");
        b.append("<h1>SecretTrail</h1><p>As of ").append(escape(Times.format(r.asOf()))).append("</p>");
        Report.IngestCounts i = r.ingest();
        b.append("<ul id=\"ingest\"><li>files: ").append(i.files()).append("</li><li>records: ").append(i.records())
                .append("</li><li>Secrets Manager events: ").append(i.secretsManagerEvents())
                .append("</li><li>duplicates: ").append(i.duplicates()).append("</li><li>rejected: ").append(i.rejected())
                .append("</li><li>unattributed calls: ").append(r.unattributedCalls()).append("</li></ul>");
        b.append("<table id=\"secrets\"><thead><tr><th>name</th><th>account</th><th>region</th><th>calls</th>")
                .append("<th>errors</th><th>principals</th><th>last accessed</th><th>last rotated</th>")
                .append("<th>rotation</th><th>ARN</th></tr></thead><tbody>");
        for (Report.SecretSummary s : r.secrets()) {
            b.append("<tr><td>").append(escape(s.name())).append("</td><td>").append(escape(s.account()))
                    .append("</td><td>").append(escape(s.region())).append("</td><td>").append(s.calls())
                    .append("</td><td>").append(s.errors()).append("</td><td>").append(s.principals())
                    .append("</td><td>").append(escape(Times.format(s.lastAccessed())))
                    .append("</td><td>").append(escape(Times.format(s.lastRotated())))
                    .append("</td><td>").append(s.rotationEnabled() == null ? "unknown" : s.rotationEnabled() ? "enabled" : "disabled")
                    .append("</td><td").append(s.resolved() ? ">" : " class=\"no\" title=\"not resolved to a full ARN\">")
                    .append(escape(s.arn())).append("</td></tr>");
        }
        b.append("</tbody></table><p><a href=\"/api/v1/report\">report.json</a></p></body></html>");
        return b.toString();
    }
}
