package io.secrettrail.analytics.live;

import org.slf4j.Logger;

/**
 * Work run again and again on a background thread (a {@code scheduleWithFixedDelay} task, a task or listener of the
 * report thread). A throw that reaches the executor cancels every later run of the schedule, silently: so whatever a
 * run throws, an {@link Error} too (an OutOfMemoryError from one huge input), is logged naming the work, and the next
 * run goes on. A run that is interrupted keeps the interrupt.
 */
public final class Background {
    private Background() {}

    /** One run of the work. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** The work as a task for a schedule: nothing it throws reaches the executor. */
    public static Runnable guarded(Logger log, String what, Task task) {
        return () -> run(log, what, task);
    }

    /** @return whether the run finished without a throw (one that threw is logged as "{what} failed") */
    public static boolean run(Logger log, String what, Task task) {
        try {
            task.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            log.warn("{} failed: {}", what, e.toString());
        }
        return false;
    }
}
