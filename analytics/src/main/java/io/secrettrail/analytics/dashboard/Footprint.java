package io.secrettrail.analytics.dashboard;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * An estimate of the heap an object graph of the dashboard's results holds (records, lists, maps,
 * strings, boxed numbers, primitive arrays), erring high: shared objects count once per reference,
 * strings one byte a character when all are Latin-1 (compact strings), else two. Good enough to
 * bound a cache; not a measurement.
 */
final class Footprint {
    private static final int MAX_DEPTH = 12;

    private Footprint() {}

    static long of(Object o) {
        return of(o, 0);
    }

    private static long of(Object o, int depth) {
        if (o == null) {
            return 0;
        }
        if (depth > MAX_DEPTH) {
            return 64;
        }
        if (o instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0xFF) {
                    return 40 + 2L * s.length();
                }
            }
            return 40 + (long) s.length();
        }
        if (o instanceof Number || o instanceof Boolean || o instanceof Character || o instanceof Enum<?>) {
            return 24;
        }
        if (o instanceof long[] a) {
            return 16 + 8L * a.length;
        }
        if (o instanceof int[] a) {
            return 16 + 4L * a.length;
        }
        if (o instanceof double[] a) {
            return 16 + 8L * a.length;
        }
        if (o instanceof Object[] a) {
            long n = 16 + 8L * a.length;
            for (Object x : a) {
                n += of(x, depth + 1);
            }
            return n;
        }
        if (o instanceof Collection<?> c) {
            long n = 40 + 16L * c.size();
            for (Object x : c) {
                n += of(x, depth + 1);
            }
            return n;
        }
        if (o instanceof Map<?, ?> m) {
            long n = 64 + 48L * m.size();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += of(e.getKey(), depth + 1) + of(e.getValue(), depth + 1);
            }
            return n;
        }
        if (o.getClass().isRecord()) {
            RecordComponent[] cs = o.getClass().getRecordComponents();
            long n = 16 + 8L * cs.length;
            for (RecordComponent c : cs) {
                if (c.getType().isPrimitive()) {
                    continue;
                }
                try {
                    c.getAccessor().setAccessible(true);
                    n += of(c.getAccessor().invoke(o), depth + 1);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    n += 64;
                }
            }
            return n;
        }
        return 64;
    }
}
