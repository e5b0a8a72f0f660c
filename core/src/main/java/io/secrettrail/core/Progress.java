package io.secrettrail.core;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr, at most once per interval: units done of total, records,
 * records/s and an ETA. Results never go here. Thread-safe.
 */
public final class Progress {
    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final long started;
    private final AtomicLong units = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong lastPrinted;

    public Progress(
            String label, String unit, long total, PrintStream out, LongSupplier nanoTime, long intervalMillis) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.nanoTime = nanoTime;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.started = nanoTime.getAsLong();
        this.lastPrinted = new AtomicLong(started);
    }

    public static Progress stderr(String label, String unit, long total) {
        return new Progress(label, unit, total, System.err, System::nanoTime, 1000);
    }

    public void advance(long unitsDone, long recordsDone) {
        units.addAndGet(unitsDone);
        records.addAndGet(recordsDone);
        long now = nanoTime.getAsLong();
        long last = lastPrinted.get();
        if (now - last >= intervalNanos && lastPrinted.compareAndSet(last, now)) {
            out.println(line(now));
        }
    }

    /** The closing line, printed whatever the interval. */
    public void done() {
        out.println(line(nanoTime.getAsLong()) + " — done");
    }

    String line(long now) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        long u = units.get();
        long r = records.get();
        String eta = "";
        if (total > 0 && u > 0 && u < total) {
            long etaSecs = Math.round(secs * (total - u) / u);
            eta = String.format(Locale.ROOT, ", ETA %ds", etaSecs);
        }
        return String.format(
                Locale.ROOT,
                "%s: %,d/%,d %s, %,d records (%,.0f records/s)%s",
                label,
                u,
                total,
                unit,
                r,
                r / secs,
                eta);
    }
}
