package io.secrettrail.web;

import io.javalin.http.Context;
import io.secrettrail.analytics.export.ParquetExporter;
import io.secrettrail.analytics.export.ScheduledExport;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/v1/export}: the Parquet export now, by the process that owns the database. */
final class ExportRoutes {
    /** Null when this process exports nothing (no store of its own). */
    private final ScheduledExport export;

    private final Auth auth;

    ExportRoutes(ScheduledExport export, Auth auth) {
        this.export = export;
        this.auth = auth;
    }

    void export(Context ctx) throws Exception {
        Guards.csrf(auth, ctx);
        if (export == null || !export.enabled()) {
            throw new HttpError(404, "not_found", "no export configured: set export.parquet.dir");
        }
        ParquetExporter.Summary s;
        try {
            s = export.runNow();
        } catch (ScheduledExport.Busy busy) {
            throw new HttpError(409, "export_running", busy.getMessage());
        } catch (IllegalArgumentException refused) {
            // the directory holds data no export wrote (see ParquetExporter.MARKER): nothing was replaced
            throw new HttpError(409, "export_refused", refused.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dir", s.dir());
        body.put("asOf", s.asOf().toString());
        body.put("tables", s.tables());
        ctx.json(body);
    }
}
