package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The report thread outlives what its work throws, an Error too: a before-tick task (serve's billing import, which
 * one huge manifest could make throw OutOfMemoryError) or a report listener (the alert ledger) that throws is
 * logged, the report is still built, and the next tick runs it again. On the worker's fixed-delay schedule a throw
 * that escaped would cancel every later tick.
 */
class ReportThreadErrorTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @AutoClose
    RuleFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new RuleFixture();
    }

    @Test
    void an_error_in_a_before_tick_task_does_not_escape_the_report_is_built_and_the_next_tick_runs_it_again()
            throws Exception {
        MovingClock clock = new MovingClock(T0);
        AtomicInteger calls = new AtomicInteger();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            reports.beforeTick(c -> {
                if (calls.incrementAndGet() == 1) {
                    throw new OutOfMemoryError("Java heap space (a huge Manifest.json read whole)");
                }
                return true; // the second import wrote: the same tick builds again
            });
            assertThatCode(() -> reports.tick(clock)).doesNotThrowAnyException();
            assertThat(calls).hasValue(1);
            assertThat(reports.report())
                    .as("the report is built in spite of the failed import")
                    .isNotNull();
            assertThat(reports.builds()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(1));
            assertThat(reports.tick(clock))
                    .as("the next tick runs the task and builds")
                    .isTrue();
            assertThat(calls).hasValue(2);
            assertThat(reports.builds()).isEqualTo(2);
        }
    }

    @Test
    void a_listener_that_throws_an_error_does_not_escape_and_the_other_listeners_see_every_report() throws Exception {
        MovingClock clock = new MovingClock(T0);
        AtomicInteger thrown = new AtomicInteger();
        List<Report> seen = new ArrayList<>();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), clock::instant)) {
            reports.onBuilt(r -> {
                thrown.incrementAndGet();
                throw new StackOverflowError("a listener's own bug");
            });
            reports.onBuilt(seen::add);
            reports.beforeTick(c -> true); // every tick writes, so every tick builds

            assertThatCode(() -> reports.tick(clock)).doesNotThrowAnyException();
            clock.advance(Duration.ofMinutes(1));
            assertThatCode(() -> reports.tick(clock)).doesNotThrowAnyException();

            assertThat(thrown).hasValue(2);
            assertThat(seen).hasSize(2).doesNotContainNull();
            assertThat(seen.get(1)).isSameAs(reports.report());
        }
    }

    @Test
    void a_guarded_task_never_throws_to_its_executor_and_keeps_an_interrupt() {
        var log = LoggerFactory.getLogger(ReportThreadErrorTest.class);
        Runnable error = Background.guarded(log, "test task", () -> {
            throw new OutOfMemoryError("heap");
        });
        Runnable checked = Background.guarded(log, "test task", () -> {
            throw new java.sql.SQLException("store closed");
        });
        assertThatCode(error::run).doesNotThrowAnyException();
        assertThatCode(checked::run).doesNotThrowAnyException();

        assertThat(Background.run(log, "test task", () -> {})).isTrue();
        assertThat(Background.run(log, "test task", () -> {
                    throw new InterruptedException();
                }))
                .isFalse();
        assertThat(Thread.interrupted())
                .as("the interrupt is kept (and cleared here)")
                .isTrue();
    }
}
