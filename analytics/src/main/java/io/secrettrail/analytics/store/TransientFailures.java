package io.secrettrail.analytics.store;

import java.util.List;
import java.util.Locale;

/** Tells the store's own failures (disk, memory, I/O, a broken connection) from values it cannot hold. */
final class TransientFailures {
    private TransientFailures() {}

    private static final List<String> SIGNS = List.of(
            "io error",
            "out of memory",
            "no space",
            "disk",
            "could not write",
            "fatal",
            "internal error",
            "connection",
            "closed",
            "interrupt",
            "database has been invalidated");

    /** See {@link EventStore#isTransient(Throwable)}. */
    static boolean isTransient(Throwable e) {
        if (e instanceof Error) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // Only the error's type ("IO Error: …", "Out of Memory Error: …"), never its detail: DuckDB's
            // detail may quote a stored value, and an attacker's value must not pass for a broken disk.
            int colon = m.indexOf(':');
            String head = colon >= 0 ? m.substring(0, colon) : m.length() <= 80 ? m : "";
            for (String sign : SIGNS) {
                if (head.contains(sign)) {
                    return true;
                }
            }
        }
        return false;
    }
}
