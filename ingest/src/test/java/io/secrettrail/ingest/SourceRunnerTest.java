package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

class SourceRunnerTest {
    /** A source whose passes do what the test says. */
    static final class Scripted implements Source {
        final String name;
        final Duration interval;
        final AtomicInteger passes = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile int failFirst;
        volatile long sleepMs;
        final AtomicBoolean checkpointed = new AtomicBoolean();
        final AtomicBoolean passAfterStop = new AtomicBoolean();
        volatile boolean fatal;
        final AtomicBoolean sawStop = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(1);

        Scripted(String name, Duration interval) {
            this.name = name;
            this.interval = interval;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public Duration interval() {
            return interval;
        }

        @Override
        public long poll(BooleanSupplier stopping) throws Exception {
            if (stopping.getAsBoolean()) {
                passAfterStop.set(true); // the runner must not start a pass once stopping
            }
            threads.add(Thread.currentThread().getName());
            started.countDown();
            int n = passes.incrementAndGet();
            if (fatal) {
                throw new EventPublisher.PublishException(
                        "publishing to Kafka failed: expired", new RuntimeException());
            }
            if (n <= failFirst) {
                throw new IllegalStateException("refused " + n);
            }
            if (sleepMs > 0) {
                try { // pages being fetched, the stop checked between them
                    await().atMost(Duration.ofMillis(sleepMs))
                            .pollInSameThread()
                            .pollInterval(Duration.ofMillis(10))
                            .until(stopping::getAsBoolean);
                    sawStop.set(true);
                } catch (ConditionTimeoutException e) {
                    // the pass ran its whole length
                }
                checkpointed.set(true);
            }
            return 10;
        }
    }

    @Test
    void manySourcesShareABoundedPoolAndEachRepeats() throws Exception {
        List<Scripted> sources = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sources.add(new Scripted("s" + i, Duration.ofMillis(50)));
        }
        SourceRunner runner = new SourceRunner(
                List.copyOf(sources), e -> new SourceRunner.Failure(e.getMessage(), false), Clock.systemUTC());
        runner.start();
        awaitQuietly(Duration.ofSeconds(20), () -> sources.stream().allMatch(s -> s.passes.get() >= 3));
        runner.stop();
        assertThat(sources).allSatisfy(s -> assertThat(s.passes.get()).isGreaterThanOrEqualTo(3));
        Set<String> all = ConcurrentHashMap.newKeySet();
        sources.forEach(s -> all.addAll(s.threads));
        assertThat(all.size()).isLessThanOrEqualTo(SourceRunner.MAX_THREADS);
        assertThat(runner.stats()).allSatisfy(st -> assertThat(st.records()).isEqualTo(10L * st.passes()));
    }

    @Test
    void aFailingSourceIsRetriedAndRecoversWhileItsStatsSaySo() throws Exception {
        Scripted flaky = new Scripted("flaky", Duration.ofMillis(10));
        flaky.failFirst = 2;
        SourceRunner runner = new SourceRunner(
                List.of(flaky),
                e -> new SourceRunner.Failure("explained: " + e.getMessage(), false),
                Clock.systemUTC());
        runner.start();
        awaitQuietly(Duration.ofSeconds(20), () -> runner.stats().get(0).passes() >= 1);
        runner.stop();
        SourceRunner.Stats st = runner.stats().get(0);
        assertThat(st.failures()).isEqualTo(2);
        assertThat(st.passes()).isGreaterThanOrEqualTo(1);
        assertThat(st.healthy()).isTrue();
        assertThat(st.lastError()).isNull();
        assertThat(st.lastSuccess()).isNotNull();
    }

    @Test
    void stopEndsTheRunningPassAtItsNextPageWithItsCheckpointAndStartsNoOther() throws Exception {
        Scripted slow = new Scripted("slow", Duration.ofMillis(1));
        slow.sleepMs = 20_000;
        SourceRunner runner = new SourceRunner(
                List.of(slow), e -> new SourceRunner.Failure(e.getMessage(), false), Clock.systemUTC());
        runner.start();
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        runner.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("the pass saw the stop between pages")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(slow.sawStop.get()).isTrue();
        assertThat(slow.checkpointed.get())
                .as("the running pass was not interrupted")
                .isTrue();
        int passes = slow.passes.get();
        awaitQuietly(
                during(Duration.ofMillis(100)), () -> slow.passes.get() == passes); // no pass starts after the stop
        assertThat(slow.passes.get()).isEqualTo(passes);
        assertThat(slow.passAfterStop.get()).isFalse();
    }

    @Test
    void kafkaRefusingRecordsStopsTheSourceAndIsReportedAsFatal() throws Exception {
        Scripted doomed = new Scripted("doomed", Duration.ofMillis(10));
        doomed.fatal = true;
        Scripted fine = new Scripted("fine", Duration.ofMillis(10));
        SourceRunner runner = new SourceRunner(
                List.of(doomed, fine), e -> new SourceRunner.Failure(e.getMessage(), false), Clock.systemUTC());
        runner.start();
        awaitQuietly(Duration.ofSeconds(10), () -> runner.fatal() != null);
        awaitQuietly(during(Duration.ofMillis(200)), () -> doomed.passes.get() == 1); // no retry follows
        runner.stop();
        assertThat(runner.fatal()).isInstanceOf(EventPublisher.PublishException.class);
        assertThat(doomed.passes.get())
                .as("not retried: the producer cannot be trusted")
                .isEqualTo(1);
        assertThat(runner.stats().get(0).healthy()).isFalse();
    }

    @Test
    void backoffDoublesWithJitterFromOneSecondOrFiveWhenThrottledAndIsCapped() {
        for (int i = 0; i < 50; i++) {
            assertThat(backoff(1, false, Duration.ofMinutes(1)))
                    .isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(backoff(3, false, Duration.ofMinutes(1)))
                    .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(backoff(1, true, Duration.ofMinutes(1)))
                    .isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
            assertThat(backoff(40, false, Duration.ofMinutes(1)))
                    .isBetween(Duration.ofMinutes(2).plusSeconds(30), Duration.ofMinutes(5));
            assertThat(backoff(40, false, Duration.ofMinutes(15)))
                    .isBetween(Duration.ofMillis(450_000), Duration.ofMinutes(15));
        }
    }

    /** A failed source's next wait, by the runner's policy (the clock only dates attempts, it is not read here). */
    private static Duration backoff(int failures, boolean throttled, Duration interval) {
        return SourceRunner.retryPolicy(
                        Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC), throttled, interval)
                .delay(failures);
    }

    /** Waits for the condition; at the limit it just returns, and the test's assertions say what is missing. */
    private static void awaitQuietly(Duration atMost, Callable<Boolean> condition) {
        awaitQuietly(await().atMost(atMost), condition);
    }

    private static void awaitQuietly(ConditionFactory wait, Callable<Boolean> condition) {
        try {
            wait.until(condition);
        } catch (ConditionTimeoutException e) {
            // as documented
        }
    }

    /** A condition that must hold for the whole of {@code d}, as a fixed pause used to check. */
    private static ConditionFactory during(Duration d) {
        return await().during(d).atMost(d.plusSeconds(5));
    }
}
