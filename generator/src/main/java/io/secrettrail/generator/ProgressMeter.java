package io.secrettrail.generator;

import java.io.PrintStream;

/** Reports generation progress on stderr about once per second; never part of the output. */
final class ProgressMeter {
    private static final long INTERVAL = 1_000_000_000L;

    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastReport = started;

    ProgressMeter(PrintStream err) {
        this.err = err;
    }

    void tick(int files, long records) {
        long now = System.nanoTime();
        if (now - lastReport >= INTERVAL) {
            lastReport = now;
            report("generating", files, records, now);
        }
    }

    void done(int files, long records) {
        report("generated", files, records, System.nanoTime());
    }

    private void report(String what, int files, long records, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        err.printf("secrettrail: %s %d files, %d records, %.0f records/s%n", what, files, records, records / seconds);
    }
}
