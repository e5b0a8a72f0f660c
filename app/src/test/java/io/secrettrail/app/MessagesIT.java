package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.EventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SecretTrail tells its user when it stops or fails (issue 12, item 19). */
class MessagesIT {
    @TempDir
    Path dir;

    @Test
    void an_exception_without_a_message_is_named_with_its_class_and_causes() {
        assertThat(Main.message(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(Main.message(new SQLException((String) null, new ArithmeticException("long overflow"))))
                .isEqualTo("SQLException; caused by ArithmeticException: long overflow");
        assertThat(Main.message(new IllegalArgumentException("--format must be json or csv, was xml")))
                .isEqualTo("--format must be json or csv, was xml");
    }

    @Test
    void analytics_failing_with_a_null_message_says_what_failed_and_what_to_do() {
        IllegalStateException e =
                AnalyzeJob.analyticsFailed(new RuntimeException(null, new ArithmeticException("long overflow")));
        assertThat(e.getMessage())
                .startsWith("analytics failed: RuntimeException; caused by ArithmeticException: long overflow; ")
                .contains("run again")
                .doesNotContain("null");
        assertThat(Main.message(e)).isEqualTo(e.getMessage());
    }

    @Test
    void serve_says_stopped_cleanly_only_when_it_did() {
        assertThat(ServeCommand.stopLine(null, null)).isEqualTo("secrettrail: stopped cleanly");
        String analytics = ServeCommand.stopLine(new IllegalStateException(), null);
        assertThat(analytics)
                .doesNotContain("cleanly")
                .startsWith("secrettrail: stopped: analytics failed: IllegalStateException; ")
                .contains("restart");
        String kafka = ServeCommand.stopLine(
                null, new EventPublisher.PublishException("secrettrail.events: RecordTooLargeException", null));
        assertThat(kafka)
                .doesNotContain("cleanly")
                .startsWith("secrettrail: stopped: Kafka refused records: secrettrail.events:")
                .contains("checkpoints");
    }

    @Test
    void a_short_analyze_on_a_fresh_embedded_broker_prints_no_kafka_client_warnings() throws Exception {
        // its own embedded broker, not the shared one: the warnings of a first start are what it looks for
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(1)
                        .secrets(10)
                        .eventsPerDay(200)
                        .noiseRatio(0.2)
                        .seed(5L)
                        .end(Instant.now().truncatedTo(ChronoUnit.HOURS))
                        .build())
                .generate();
        Path err = dir.resolve("analyze.err");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-D" + EmbeddedBroker.CLASSPATH_PROPERTY + "=" + EmbeddedBroker.defaultClasspath(),
                        "io.secrettrail.app.Main",
                        "analyze",
                        "--trail",
                        trail.trailDir().toString(),
                        "--inventory",
                        trail.inventoryDir().toString(),
                        "--work-dir",
                        dir.resolve("work").toString(),
                        "--out",
                        dir.resolve("report.json").toString()))
                .redirectError(err.toFile())
                .redirectOutput(dir.resolve("analyze.out").toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(err);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log)
                .contains("secrettrail: pipeline ")
                .contains("Secrets Manager events")
                .doesNotContain("not the correct coordinator")
                .doesNotContain("[WARN]");
    }
}
