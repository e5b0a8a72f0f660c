package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.KafkaClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Starts brokers of its own, never the tests' shared one: their start, stop and data lock are what it tests.
class EmbeddedBrokerIT {
    static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void a_cluster_id_starting_with_a_dash_still_formats_and_starts() throws Exception {
        // One random id in 64 starts with '-': kafka-storage once took "-t -xyz..." for an option.
        Path data = dir.resolve("kafka");
        Files.createDirectories(data);
        Files.writeString(data.resolve("cluster.id"), "-uUyHhVPTzWuPKLYl3Gz4g");
        try (EmbeddedBroker broker =
                EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(90))) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        }
        assertThat(Files.readString(data.resolve("cluster.id"))).isEqualTo("-uUyHhVPTzWuPKLYl3Gz4g");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A pid no process has: one that ran and ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static boolean clusterAnswers(String bootstrap) {
        try (Admin admin =
                KafkaClients.admin(new KafkaSettings(bootstrap, Map.of(), KafkaSettings.Topics.defaults(), 1))) {
            return !admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** The broker main started by hand, as a broker of an older SecretTrail that does not watch its parent. */
    static Process brokerWithoutParentWatch(Path data) throws Exception {
        Files.createDirectories(data);
        Process p = new ProcessBuilder(
                        java(),
                        "-Xmx192m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        EmbeddedBroker.defaultClasspath(),
                        BrokerPidFile.MAIN_CLASS,
                        data.toAbsolutePath().toString(),
                        Integer.toString(freePort()),
                        Integer.toString(freePort()))
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        data.resolve("orphan.log").toFile()))
                .start();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(ready.get(START.toSeconds(), TimeUnit.SECONDS))
                .as("the hand-started broker is ready")
                .isTrue();
        return p;
    }

    @Test
    void the_broker_dies_with_its_parent_even_when_the_parent_is_killed_with_sigkill() throws Exception {
        Path work = dir.resolve("work");
        Path log = dir.resolve("broker-command.log");
        List<String> cmd = new ArrayList<>(List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "-D" + EmbeddedBroker.CLASSPATH_PROPERTY + "=" + EmbeddedBroker.defaultClasspath(),
                "io.secrettrail.app.Main",
                "broker",
                "--work-dir",
                work.toString()));
        Process parent = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            await().atMost(START).until(() -> Files.readString(log).contains("bootstrap: ") || !parent.isAlive());
            assertThat(Files.readString(log)).contains("bootstrap: ");
            ProcessHandle broker = parent.toHandle()
                    .children()
                    .filter(c -> BrokerPidFile.isBrokerFor(c, work.resolve("kafka")))
                    .findFirst()
                    .orElseThrow();
            started.add(broker);
            parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent's runs
            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(broker.onExit().get(30, TimeUnit.SECONDS).isAlive())
                    .as("the broker stopped on its own")
                    .isFalse();
            assertThat(Files.readString(work.resolve("kafka").resolve("broker.log")))
                    .contains("the parent process is gone");
        } finally {
            parent.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly); // only if it outlived the test
        }
        // and its data lock went with it: the next start on the same data is at once ready
        try (EmbeddedBroker again =
                EmbeddedBroker.start(work.resolve("kafka"), EmbeddedBroker.defaultClasspath(), START)) {
            assertThat(clusterAnswers(again.bootstrapServers())).isTrue();
        }
    }

    @Test
    void a_start_up_stops_the_broker_an_earlier_secrettrail_left_running_on_its_data() throws Exception {
        Path data = dir.resolve("kafka");
        Process orphan = brokerWithoutParentWatch(data);
        try {
            // what a SecretTrail killed with SIGKILL leaves: its broker alive, the pid file naming a parent that is
            // gone
            BrokerPidFile.write(data, orphan.pid(), deadPid());
            try (EmbeddedBroker broker = EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), START)) {
                assertThat(orphan.isAlive()).isFalse();
                assertThat(orphan.exitValue())
                        .as("stopped by SIGTERM, cleanly, not killed")
                        .isEqualTo(143);
                assertThat(clusterAnswers(broker.bootstrapServers())).isTrue();
                assertThat(BrokerPidFile.read(data))
                        .contains(new BrokerPidFile.Entry(
                                broker.pid(), ProcessHandle.current().pid()));
            }
            assertThat(BrokerPidFile.read(data))
                    .as("a clean stop removes the pid file")
                    .isEmpty();
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void a_pid_file_naming_an_unrelated_process_leaves_it_alone() throws Exception {
        Path data = Files.createDirectories(dir.resolve("kafka"));
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try {
            BrokerPidFile.write(data, sleep.pid(), deadPid());
            try (EmbeddedBroker broker = EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), START)) {
                assertThat(clusterAnswers(broker.bootstrapServers())).isTrue();
            }
            assertThat(sleep.isAlive()).as("never signalled").isTrue();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void a_broker_whose_secrettrail_still_runs_is_left_alone_and_the_second_start_says_so() throws Exception {
        Path data = dir.resolve("kafka");
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try (EmbeddedBroker first = EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), START)) {
            assertThatThrownBy(() -> EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), START))
                    .hasMessageContaining("is in use by the broker (pid " + first.pid()
                            + ") of a SecretTrail that is still running (pid "
                            + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("another --work-dir");
            // a pid file that names something else (overwritten, or a reused pid) does not hide whose lock it is
            BrokerPidFile.write(data, sleep.pid(), deadPid());
            assertThatThrownBy(() -> EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), START))
                    .hasMessage("embedded Kafka: a broker (pid " + first.pid() + ") already runs on " + data
                            + " and no pid file says an" + " earlier SecretTrail left it; stop it (kill " + first.pid()
                            + "), or give this SecretTrail another --work-dir");
            assertThat(sleep.isAlive()).isTrue();
            assertThat(clusterAnswers(first.bootstrapServers()))
                    .as("the running broker was not touched")
                    .isTrue();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void a_left_over_broker_that_ignores_sigterm_is_killed_after_the_grace_period() throws Exception {
        Path data = Files.createDirectories(dir.resolve("kafka"));
        // a process whose command line names the broker and this directory, and that ignores SIGTERM
        Process stubborn = new ProcessBuilder(
                        "bash",
                        "-c",
                        "trap '' TERM; echo up; while :; do sleep 0.2; done",
                        BrokerPidFile.MAIN_CLASS,
                        data.toAbsolutePath().toString())
                .start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(stubborn.getInputStream(), StandardCharsets.UTF_8))
                            .readLine())
                    .isEqualTo("up"); // the trap is set
            assertThat(BrokerPidFile.isBrokerFor(stubborn.toHandle(), data)).isTrue();
            assertThat(BrokerPidFile.isBrokerFor(stubborn.toHandle(), dir.resolve("elsewhere")))
                    .isFalse();
            BrokerPidFile.write(data, stubborn.pid(), deadPid());
            BrokerPidFile.stopLeftOver(data, Duration.ofMillis(500));
            assertThat(stubborn.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stubborn.exitValue()).as("SIGKILL").isEqualTo(137);
        } finally {
            stubborn.destroyForcibly();
        }
        assertThat(BrokerPidFile.read(data)).map(BrokerPidFile.Entry::broker).isEqualTo(Optional.of(stubborn.pid()));
    }
}
