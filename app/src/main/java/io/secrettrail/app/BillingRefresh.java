package io.secrettrail.app;

import io.secrettrail.analytics.cost.BilledLines;
import io.secrettrail.analytics.cost.CurReader;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.ingest.aws.AwsFailure;
import io.secrettrail.web.ProcessProbe;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS's billing data for the long-running process ({@code aws.billing.*}): imported on the first {@link #tick} and
 * then once {@code aws.billing.interval} has passed by the injected clock. It runs on the report thread, so an
 * import never runs beside a report build, and the next report carries {@code cost.reconciliation}. Each export
 * location and Cost Explorer is a source of its own on the status page, /api/v1/status and /metrics (kind
 * {@code billing}): a failure is logged naming it and tried again at the next period; it never stops the process.
 */
final class BillingRefresh {
    static final String KIND = "billing";
    static final String COST_EXPLORER = "cost-explorer";
    /** The most problems of one import named in its source's last error. */
    static final int MAX_NAMED = 10;

    private static final Logger log = LoggerFactory.getLogger(BillingRefresh.class);

    private final AppConfig config;
    private final EventStore store;
    private final Supplier<Instant> asOf;
    private final List<Entry> entries = new ArrayList<>();
    private Instant lastAttempt;

    /** One source's figures: what its last import did. */
    private static final class Entry {
        final String name;
        final String location;
        volatile Instant lastSuccess;
        volatile String lastError;
        volatile long lines;
        volatile long records;
        volatile long passes;
        volatile long failures;
        /** what the import being stored could not read, applied with its lines */
        String pending;

        Entry(String name, String location) {
            this.name = name;
            this.location = location;
        }

        void failed(String message) {
            failures++;
            lastError = message;
            log.warn("billing {}: {}; tried again at the next import", name, message);
        }
    }

    /** @param asOf "now" of the reports: the months Cost Explorer is asked for follow it */
    BillingRefresh(AppConfig config, EventStore store, Supplier<Instant> asOf) {
        this.config = config;
        this.store = store;
        this.asOf = asOf;
        AwsConfig.Billing b = config.ingest().aws().billing();
        for (String c : b.cur()) {
            entries.add(new Entry("cur " + c, c));
        }
        if (b.costExplorer()) {
            entries.add(new Entry(COST_EXPLORER, null));
        }
    }

    /**
     * Imports when due: on the first call, then once the interval has passed since the last attempt (a failed one
     * included, so a failing source is asked once a period, not on every tick).
     *
     * @return whether an import ran (the report is then built again at once: it wrote without moving the version)
     */
    synchronized boolean tick(Clock clock) {
        Instant now = clock.instant();
        if (lastAttempt != null
                && now.isBefore(lastAttempt.plus(config.ingest().aws().billing().interval()))) {
            return false;
        }
        lastAttempt = now;
        importAll(now);
        return true;
    }

    private void importAll(Instant now) {
        Instant at = asOf.get();
        List<BilledLine> cur = new ArrayList<>();
        List<BilledLine> ce = new ArrayList<>();
        List<Entry> read = new ArrayList<>();
        boolean curComplete = true;
        for (Entry e : entries) {
            BillingImport what = e.location != null
                    ? new BillingImport(List.of(e.location), null)
                    // the last closed month (AWS finalises it in the first days of the next) and the open one
                    : new BillingImport(
                            List.of(),
                            YearMonth.from(at.atOffset(ZoneOffset.UTC)).minusMonths(1));
            try (BillingImport.Fetched f = what.fetch(config, at)) {
                CurReader.Result r = BillingImport.read(store, f.roots());
                List<BilledLine> lines = new ArrayList<>(r.lines());
                lines.addAll(f.costExplorer());
                (e.location != null ? cur : ce).addAll(lines);
                e.lines = lines.size();
                read.add(e);
                List<String> problems = new ArrayList<>(r.errors());
                problems.addAll(f.skipped());
                // what could be read is stored; the rest (files, oversize objects, results) is named until it can be.
                // The state changes only once the lines are stored: never "up" beside the last import's time.
                e.pending = problems.isEmpty() ? null : summary(problems);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ex) {
                curComplete &= e.location == null;
                e.failed(AwsFailure.explain(ex).message());
            } catch (Error ex) {
                // an OutOfMemoryError from one huge input: this source failed, the others and the next import go on
                curComplete &= e.location == null;
                e.failed(ex.toString());
            }
        }
        if (!curComplete && !cur.isEmpty()) {
            // lines replace per source and month: one location's lines alone would wipe a failed one's months
            log.warn("billing: export lines of this import held back until every location can be read");
            read.removeIf(e -> e.location != null);
            cur.clear();
        }
        List<BilledLine> all = new ArrayList<>(cur);
        all.addAll(ce);
        try {
            if (!all.isEmpty()) {
                store.writeTransaction(w -> BilledLines.replace(w, all, now));
            }
        } catch (Exception ex) {
            read.forEach(e -> e.failed("storing: " + ex.getMessage()));
            return;
        }
        for (Entry e : read) {
            e.passes++;
            e.records += e.lines;
            e.lastSuccess = now;
            if (e.pending == null) {
                e.lastError = null;
            } else {
                e.failed(e.pending);
            }
            log.info("billing {}: {} lines", e.name, e.lines);
        }
    }

    /**
     * What an import could not read, for the source's last error: every message up to {@link #MAX_NAMED}; beyond,
     * their count and the first {@link #MAX_NAMED} (thousands of oversize objects stay a short status line).
     */
    static String summary(List<String> problems) {
        if (problems.size() <= MAX_NAMED) {
            return String.join("; ", problems);
        }
        return problems.size() + " problems, the first " + MAX_NAMED + ": "
                + String.join("; ", problems.subList(0, MAX_NAMED));
    }

    /** Each billing source, for the API and the pages' footer. */
    List<ProcessProbe.SourceState> states() {
        List<ProcessProbe.SourceState> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(new ProcessProbe.SourceState(
                    e.name,
                    KIND,
                    e.lastError == null,
                    e.lastSuccess == null ? null : e.lastSuccess.toString(),
                    e.lastError,
                    e.records,
                    e.failures));
        }
        return out;
    }

    /** The secrettrail_source_* figures of each billing source (records: the lines stored by its imports). */
    void gauges(Map<String, Double> g) {
        for (Entry e : entries) {
            Sources.gauges(g, KIND, e.name, e.records, e.passes, e.failures, e.lastError == null, e.lastSuccess);
        }
    }
}
