package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on its embedded broker, killed with SIGKILL mid-ingest and restarted at once
 * (issue 12, item 17): the broker it left does not outlive it holding the data lock, the restart
 * starts, and the counts come out exact. It owns its broker (serve's embedded one, not the tests'
 * shared broker): what happens to that broker is what it checks.
 */
class ServeKillIT {
    @TempDir
    static Path dir;

    Process serve(Path work, Path watch, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-D" + EmbeddedBroker.CLASSPATH_PROPERTY + "=" + EmbeddedBroker.defaultClasspath(),
                "io.secrettrail.app.Main",
                "serve",
                "--work-dir",
                work.toString(),
                "--watch",
                watch.toString(),
                "--port",
                "0"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void serve_killed_with_sigkill_mid_ingest_restarts_at_once_and_counts_exactly() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(3)
                        .secrets(40)
                        .eventsPerDay(4000)
                        .noiseRatio(0.3)
                        .seed(17L)
                        .end(end)
                        .build())
                .generate();
        long expected = ReportAssert.truth(trail.truthFile())
                .get("ingest")
                .get("secretsManagerEvents")
                .asLong();
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail.trailDir())) {
            files = s.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
        }
        Path work = dir.resolve("work");
        Path watch = Files.createDirectories(dir.resolve("watch"));
        Path firstLog = dir.resolve("first.log");
        Process first = serve(work, watch, firstLog);
        ProcessHandle broker;
        long seen;
        try {
            int port = ServeIT.port(firstLog, first);
            broker = first.toHandle()
                    .children()
                    .filter(c -> BrokerPidFile.isBrokerFor(c, work.resolve("kafka")))
                    .findFirst()
                    .orElseThrow();
            ServeIT.drop(files, trail.trailDir(), watch);
            seen = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ServeIT.events(port), n -> n > 0);
            first.destroyForcibly(); // SIGKILL mid-ingest: no shutdown hook runs, the broker is not told
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        System.out.println("serve-kill: killed with " + seen + " of " + expected + " events stored");
        assertThat(seen).as("killed mid-ingest").isLessThan(expected);
        Path secondLog = dir.resolve("second.log");
        Process second = serve(work, watch, secondLog); // at once: the old broker may still be stopping
        try {
            int port2 = ServeIT.port(secondLog, second);
            assertThat(broker.isAlive()).as("the killed serve's broker is gone").isFalse();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ServeIT.events(port2) == expected);
            // and it stays exact: nothing counted twice as the watched files are polled again
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> ServeIT.events(port2) == expected);
            assertThat((long) ServeIT.uniqueEventIds(files).size()).isEqualTo(expected);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            broker.destroyForcibly(); // only if it outlived the test
        }
        assertThat(second.exitValue()).as(Files.readString(secondLog)).isIn(0, 143);
        assertThat(Files.readString(secondLog)).contains("stopped cleanly");
    }
}
