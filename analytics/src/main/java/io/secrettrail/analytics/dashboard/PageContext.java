package io.secrettrail.analytics.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What every page query reads: the store (through reader connections), the background report and
 * the shared results cache.
 */
record PageContext(EventStore store, ReportCache reports, ResultCache cache) {
    static PageContext of(EventStore store, ReportCache reports, int cacheEntries, long cacheBytes) {
        return new PageContext(
                store, reports, new ResultCache(cacheEntries, cacheBytes, store::version, reports::builds));
    }

    /** The latest report, or null before the first build. */
    Report report() {
        return reports.report();
    }

    /** Events dated after this are from the future: more than {@link Report#FUTURE_SLACK} past "now". */
    Instant futureCutoff() {
        return reports.now().plus(Report.FUTURE_SLACK);
    }

    /** The filters with an open end closed at the cutoff's day: events from the future are flagged, not charted. */
    Filters present(Filters f) {
        if (f.to() != null) {
            return f;
        }
        return new Filters(
                f.from(), LocalDate.ofInstant(futureCutoff(), ZoneOffset.UTC), f.account(), f.region(), f.team());
    }

    /**
     * The ARNs of the filter's team's secrets (the report's ownership; none before the first report) as a JSON
     * array, the parameter a statement narrows its secrets by; null when the filter names no team.
     */
    String teamArns(Filters f) {
        if (f.team() == null) {
            return null;
        }
        Report r = report();
        List<String> arns = new ArrayList<>();
        if (r != null && r.owners() != null) {
            r.owners().forEach((arn, o) -> {
                if (f.team().equals(o.team())) {
                    arns.add(arn);
                }
            });
        }
        try {
            return Json.mapper().writeValueAsString(arns);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of ARNs is always JSON", e);
        }
    }
}
