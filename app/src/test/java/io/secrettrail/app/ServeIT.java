package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./secrettrail serve} as a child JVM on a real broker: files dropped into the watched
 * directory show in the API within 5 s; SIGTERM stops it cleanly; a restart re-publishes nothing
 * and the counts stay exact; files dropped after the restart are taken too.
 */
class ServeIT {
    static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    Process start(Path watch, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.secrettrail.app.Main",
                "serve",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--watch",
                watch.toString(),
                "--port",
                "0"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    static int port(Path log, Process p) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> !p.isAlive()
                            || SERVING.matcher(Files.readString(log)).find());
        } catch (ConditionTimeoutException e) {
            // reported below with the log
        }
        Matcher m = SERVING.matcher(Files.readString(log));
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        throw new AssertionError("serve did not start: " + Files.readString(log));
    }

    static long events(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return ReportAssert.JSON.readTree(r.body()).get("events").asLong();
    }

    /** Waits for the count; returns how long it took. */
    static Duration awaitEvents(int port, long expected, Duration limit) throws Exception {
        long began = System.nanoTime();
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(100)).until(() -> events(port) == expected);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + expected + " events within " + limit + ", have " + events(port), e);
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** Passes each of a serve's sources has completed (the watched directory's polls among them), by its labels. */
    static Map<String, Long> passesBySource(int port) throws Exception {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^secrettrail_source_passes_total(\\{[^}]*}) (\\d+)")
                .matcher(metrics);
        Map<String, Long> passes = new java.util.TreeMap<>();
        while (m.find()) {
            passes.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return passes;
    }

    /** Passes completed by all of a serve's sources. */
    static long sourcePasses(int port) throws Exception {
        return passesBySource(port).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until every source has completed a pass begun after this call, so what it publishes is in Kafka. */
    static void awaitEverySourcePassed(int port, Duration limit) throws Exception {
        Map<String, Long> before = passesBySource(port);
        await().atMost(limit).until(() -> {
            Map<String, Long> now = passesBySource(port);
            return before.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue() + 2);
        });
    }

    /** The distinct eventIDs of the Secrets Manager records in these files, read as ingest reads them. */
    static java.util.Set<String> uniqueEventIds(List<Path> files) throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Path f : files) {
            new io.secrettrail.core.event.TrailReader()
                    .read(f, f.toString(), new io.secrettrail.core.event.TrailReader.Sink() {
                        @Override
                        public void accept(io.secrettrail.core.event.CloudTrailEvent e, long record) {
                            // the API's events are Secrets Manager's: the KMS requests made for secrets and
                            // CloudTrail's logging changes the reader also keeps are stored apart
                            if (e.secretsManager()) {
                                ids.add(e.eventId());
                            }
                        }

                        @Override
                        public void reject(io.secrettrail.core.event.Rejection r) {}
                    });
        }
        return ids;
    }

    static void drop(List<Path> files, Path from, Path into) throws Exception {
        for (Path f : files) {
            Path target = into.resolve(from.relativize(f));
            Files.createDirectories(target.getParent());
            Path tmp = into.resolve(".incoming-" + f.getFileName());
            Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static long topicEnd(String topic) throws Exception {
        return topicEnd(KAFKA.bootstrap(), topic);
    }

    static long topicEnd(String bootstrap, String topic) throws Exception {
        try (Admin admin =
                KafkaClients.admin(new KafkaSettings(bootstrap, Map.of(), KafkaSettings.Topics.defaults(), 3))) {
            List<TopicPartition> parts =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            return AnalyzeJob.latestOffsets(admin, List.of(topic)).entrySet().stream()
                    .filter(e -> parts.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }

    @Test
    void dropped_files_show_within_five_seconds_and_a_restart_counts_exactly() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        GenerationSummary trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(2)
                        .secrets(20)
                        .eventsPerDay(300)
                        .noiseRatio(0.3)
                        .seed(3L)
                        .end(end)
                        .build())
                .generate();
        GenerationSummary later = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("later"))
                        .days(1)
                        .secrets(5)
                        .eventsPerDay(100)
                        .noiseRatio(0.0)
                        .seed(99L)
                        .end(end.minus(Duration.ofDays(10)))
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
        Path watch = Files.createDirectories(dir.resolve("watch"));
        Process first = start(watch, dir.resolve("first.log"));
        int port = port(dir.resolve("first.log"), first);
        assertThat(events(port)).isZero();
        // A first small drop warms the JIT up; then three drops of 60 files each (an hour of a
        // busy organisation trail) must each be visible within 5 s; the rest goes in at once.
        java.util.Set<String> ids = new java.util.HashSet<>();
        int[] cuts = {10, 70, 130, 190, files.size()};
        int from = 0;
        for (int i = 0; i < cuts.length; i++) {
            List<Path> slice = files.subList(from, cuts[i]);
            from = cuts[i];
            ids.addAll(uniqueEventIds(slice));
            drop(slice, trail.trailDir(), watch);
            boolean timed = i > 0 && i < cuts.length - 1;
            Duration took = awaitEvents(port, ids.size(), timed ? Duration.ofSeconds(5) : Duration.ofSeconds(30));
            System.out.println("serve: drop " + i + ": " + slice.size() + " files, " + ids.size()
                    + " events visible in the API " + took.toMillis() + " ms after the last file was dropped");
        }
        assertThat((long) ids.size()).isEqualTo(expected);
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("secrettrail_consumer_lag_messages 0\n")
                .contains("secrettrail_watch_files_total " + files.size() + "\n")
                .contains("secrettrail_events_stored " + expected + "\n");
        HttpResponse<String> ready = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body())
                .contains("\"broker\" : true")
                .contains("\"consumer\" : true")
                .contains("\"eventsKeptForever\" : true");
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // 143 = 128 + SIGTERM: the JVM reports the signal once the shutdown hook let the process drain
        assertThat(first.exitValue())
                .as(Files.readString(dir.resolve("first.log")))
                .isIn(0, 143);
        assertThat(Files.readString(dir.resolve("first.log"))).contains("stopped cleanly");
        long published = topicEnd(KafkaSettings.Topics.defaults().events());

        Process second = start(watch, dir.resolve("second.log"));
        try {
            int port2 = port(dir.resolve("second.log"), second);
            assertThat(events(port2)).isEqualTo(expected);
            long passes = sourcePasses(port2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sourcePasses(port2) >= passes + 3); // several polls of the watched directory
            assertThat(topicEnd(KafkaSettings.Topics.defaults().events()))
                    .as("nothing published twice")
                    .isEqualTo(published);
            assertThat(events(port2)).isEqualTo(expected);
            List<Path> more;
            try (Stream<Path> s = Files.walk(later.trailDir())) {
                more = s.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
            }
            drop(more, later.trailDir(), watch.resolve("later"));
            long more_ = ReportAssert.truth(later.truthFile())
                    .get("ingest")
                    .get("secretsManagerEvents")
                    .asLong();
            awaitEvents(port2, expected + more_, Duration.ofSeconds(5));
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
