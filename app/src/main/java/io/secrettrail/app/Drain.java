package io.secrettrail.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM for the long-running commands: the shutdown hook signals {@link #stopRequested} and then
 * holds the JVM (up to 90 s) until the command, having let its sources finish their page or batch
 * and analytics commit, {@link #close closes} the drain.
 */
final class Drain implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    static Drain onSigterm(String command) {
        Drain d = new Drain();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            d.stop.countDown();
                            try {
                                d.closed.await(90, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        command + "-shutdown"));
        return d;
    }

    /** Waits up to {@code seconds} for SIGTERM. @return true once it came */
    boolean awaitStop(long seconds) throws InterruptedException {
        return stop.await(seconds, TimeUnit.SECONDS);
    }

    boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Drained: the hook lets the JVM exit. */
    @Override
    public void close() {
        closed.countDown();
    }
}
