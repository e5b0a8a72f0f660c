package io.secrettrail.app;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own KRaft broker in a child JVM, on the broker module's classpath (Scala, log4j
 * and commons-* stay off ours). Data lives under the given directory and is reused on restart.
 * {@link #close()} sends SIGTERM and waits for a clean stop. The broker also stops when its
 * standard input, a pipe only this process holds, reaches end of file: when this process dies,
 * even by SIGKILL, so no broker outlives it holding the data lock. A start-up first stops a broker
 * an earlier SecretTrail left on the directory ({@link BrokerPidFile}).
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** System property (set by ./secrettrail and by the build) naming the broker's classpath. */
    public static final String CLASSPATH_PROPERTY = "secrettrail.broker.classpath";
    /** The broker's JVM option to stop when its standard input ends (read by BrokerMain). */
    static final String EXIT_WITH_PARENT = "-Dsecrettrail.broker.exitWithParent=true";

    private final Process process;
    private final String bootstrap;
    private final Path dataDir;

    private EmbeddedBroker(Process process, String bootstrap, Path dataDir) {
        this.process = process;
        this.bootstrap = bootstrap;
        this.dataDir = dataDir;
    }

    /** The broker's process id. */
    public long pid() {
        return process.pid();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Starts the broker and waits until it says it is ready. */
    public static EmbeddedBroker start(Path dataDir, String brokerClasspath, Duration timeout) throws IOException {
        if (brokerClasspath == null || brokerClasspath.isBlank()) {
            throw new IOException(
                    "embedded Kafka: no broker classpath; run through ./secrettrail or set -D" + CLASSPATH_PROPERTY);
        }
        Files.createDirectories(dataDir);
        BrokerPidFile.stopLeftOver(dataDir, BrokerPidFile.GRACE);
        List<Long> running = BrokerPidFile.brokersOn(dataDir);
        if (!running.isEmpty()) {
            // a second broker on the same data would wait for ever for a quorum: say so instead, and signal nothing
            throw new IOException("embedded Kafka: a broker (pid " + running.get(0) + ") already runs on " + dataDir
                    + " and no pid file says an earlier SecretTrail left it; stop it (kill " + running.get(0)
                    + "), or give this SecretTrail another --work-dir");
        }
        int port = freePort();
        int controllerPort = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                // Small and quick to start: the broker idles at ~145 MB RSS with these.
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                brokerClasspath,
                "io.secrettrail.broker.BrokerMain",
                dataDir.toAbsolutePath().toString(),
                Integer.toString(port),
                Integer.toString(controllerPort)));
        Path logFile = dataDir.resolve("broker.log");
        // stdin stays a pipe we hold and never write to: its end of file tells the broker we are gone
        cmd.add(1, EXIT_WITH_PARENT);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        BrokerPidFile.write(dataDir, p.pid(), ProcessHandle.current().pid());
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                int exit = p.waitFor();
                BrokerPidFile.clear(dataDir, p.pid());
                throw new IOException("embedded Kafka exited before it was ready (exit " + exit + "); see " + logFile);
            }
        } catch (TimeoutException e) {
            p.destroyForcibly();
            BrokerPidFile.clear(dataDir, p.pid());
            throw new IOException("embedded Kafka not ready within " + timeout.toSeconds() + " s; see " + logFile, e);
        } catch (ExecutionException e) {
            p.destroyForcibly();
            throw new IOException("embedded Kafka failed to start: " + e.getCause(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting embedded Kafka", e);
        }
        log.info("embedded Kafka ready on 127.0.0.1:{} (data in {})", port, dataDir);
        EmbeddedBroker b = new EmbeddedBroker(p, "127.0.0.1:" + port, dataDir);
        // A crash of ours must not leave a broker behind.
        Runtime.getRuntime().addShutdownHook(new Thread(b::stopQuietly, "embedded-kafka-stop"));
        return b;
    }

    /** The classpath from the system property, or from a source checkout's broker module. */
    public static String defaultClasspath() {
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp != null) {
            return cp;
        }
        Path module = Path.of("broker", "target");
        if (Files.isDirectory(module.resolve("lib"))) {
            return module.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
                    + module.resolve("lib").toAbsolutePath() + "/*";
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void stopQuietly() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the broker shuts down cleanly in under a second
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (!process.isAlive()) {
            BrokerPidFile.clear(dataDir, process.pid());
        }
    }

    @Override
    public void close() {
        stopQuietly();
    }
}
