package io.secrettrail.analytics.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.live.MovingClock;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export.cron read on serve's tick with a moving clock, and the guard that keeps two exports apart. */
class ScheduledExportTest extends RuleTestBase {
    @TempDir
    Path tmp;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-21T02:58:30Z"));
    private final List<Instant> exported = new ArrayList<>();

    private ScheduledExport daily() {
        ExportSettings s = ExportSettings.of(
                Map.of("export.parquet.dir", tmp.resolve("lake").toString(), "export.cron", "cron(0 3 * * ? *)"));
        ScheduledExport.Run real = ScheduledExport.over(fx.store(), s, ReportSettings.defaults());
        return new ScheduledExport(
                s,
                at -> {
                    exported.add(at);
                    return real.export(at);
                },
                clock::instant,
                clock);
    }

    @Test
    void the_cron_fires_once_in_its_minute_and_not_before() throws Exception {
        fx.apiCall("GetSecretValue", DB, Instant.parse("2026-11-20T10:00:00Z"), null);
        ScheduledExport e = daily();
        assertThat(e.tick()).isEmpty(); // 02:58, the minute it was made in
        clock.advance(Duration.ofSeconds(60)); // 02:59:30
        assertThat(e.tick()).isEmpty();
        clock.advance(Duration.ofSeconds(29)); // 02:59:59, one second before
        assertThat(e.tick()).isEmpty();
        clock.advance(Duration.ofSeconds(1)); // 03:00:00
        assertThat(e.tick())
                .hasValueSatisfying(
                        s -> assertThat(s.tables().get("events").rows()).isEqualTo(1));
        clock.advance(Duration.ofSeconds(30)); // 03:00:30, same minute
        assertThat(e.tick()).isEmpty();
        assertThat(exported).containsExactly(Instant.parse("2026-11-21T03:00:00Z"));
        assertThat(tmp.resolve("lake").resolve("events").resolve("day=2026-11-20"))
                .isDirectory();
    }

    @Test
    void a_tick_that_comes_late_still_fires_once_for_the_minute_it_missed() throws Exception {
        ScheduledExport e = daily();
        e.tick();
        clock.advance(Duration.ofMinutes(10)); // 03:08: the 03:00 firing passed between ticks
        assertThat(e.tick()).isPresent();
        clock.advance(Duration.ofHours(23)); // 02:08 next day
        assertThat(e.tick()).isEmpty();
        clock.advance(Duration.ofDays(3)); // three firings missed: one export
        assertThat(e.tick()).isPresent();
        assertThat(exported).hasSize(2);
    }

    @Test
    void a_request_while_an_export_runs_is_refused_busy_and_a_firing_skipped() throws Exception {
        ExportSettings s = ExportSettings.of(
                Map.of("export.parquet.dir", tmp.resolve("lake").toString(), "export.cron", "cron(* * * * ? *)"));
        ScheduledExport.Run real = ScheduledExport.over(fx.store(), s, ReportSettings.defaults());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScheduledExport e = new ScheduledExport(
                s,
                at -> {
                    inside.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return real.export(at);
                },
                clock::instant,
                clock);
        Thread first = new Thread(() -> {
            try {
                e.runNow();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        first.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(e::runNow).isInstanceOf(ScheduledExport.Busy.class);
        e.tick();
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.tick()).isEmpty(); // due, but one runs
        release.countDown();
        first.join(10_000);
        assertThat(e.runNow().tables()).containsKey("events");
    }

    @Test
    void a_firing_whose_export_failed_is_tried_again_the_next_minute_not_lost_until_the_next_firing() throws Exception {
        ScheduledExport e = daily();
        e.tick(); // 02:58
        java.nio.file.Files.writeString(tmp.resolve("lake"), "a file where the directory goes");
        clock.advance(Duration.ofSeconds(90)); // 03:00:00
        assertThatThrownBy(e::tick).hasMessageContaining("export.parquet.dir");
        clock.advance(Duration.ofSeconds(20)); // 03:00:20: the same minute, no retry yet
        assertThat(e.tick()).isEmpty();
        java.nio.file.Files.delete(tmp.resolve("lake"));
        clock.advance(Duration.ofSeconds(40)); // 03:01:00
        assertThat(e.tick())
                .as("the 03:00 export, once the directory can be made")
                .isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.tick()).as("done: not again").isEmpty();
        assertThat(exported).hasSize(2);
    }

    @Test
    void without_a_directory_nothing_is_exported_and_asking_says_what_to_set() throws Exception {
        ScheduledExport e = new ScheduledExport(
                ExportSettings.none(),
                at -> {
                    throw new AssertionError("no export without a directory");
                },
                clock::instant,
                clock);
        e.tick();
        clock.advance(Duration.ofDays(1));
        assertThat(e.tick()).isEmpty();
        assertThat(e.enabled()).isFalse();
        assertThatThrownBy(e::runNow).hasMessageContaining("export.parquet.dir");
    }

    @Test
    void settings_name_the_bad_key() {
        assertThatThrownBy(() -> ExportSettings.of(Map.of("export.cron", "cron(0 3 * * ? *)")))
                .hasMessageStartingWith("export.cron: set export.parquet.dir");
        assertThatThrownBy(() -> ExportSettings.of(
                        Map.of("export.parquet.dir", tmp.toString(), "export.cron", "cron(0 3 * * *)")))
                .hasMessageStartingWith("export.cron: expected 6 fields");
        assertThatThrownBy(() ->
                        ExportSettings.of(Map.of("export.parquet.dir", tmp.toString(), "export.cron", "0 3 * * ? *")))
                .hasMessageStartingWith("export.cron: expected cron(");
        assertThatThrownBy(() -> ExportSettings.of(
                        Map.of("export.parquet.dir", tmp.toString(), "export.cron", "cron(0 3 * * * *)")))
                .hasMessageContaining("exactly one of day-of-month and day-of-week");
        assertThatThrownBy(() -> ExportSettings.of(Map.of("export.parquet.dir", tmp + "/it's")))
                .hasMessageStartingWith("export.parquet.dir: ");
        assertThat(ExportSettings.of(Map.of()).enabled()).isFalse();
        assertThat(ExportSettings.of(Map.of("export.parquet.dir", tmp.toString()))
                        .cron())
                .isNull();
    }
}
