package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.store.EventStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

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
        return new Filters(f.from(), LocalDate.ofInstant(futureCutoff(), ZoneOffset.UTC), f.account(), f.region());
    }
}
