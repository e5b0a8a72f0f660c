package io.secrettrail.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code broker.pid} in the broker's data directory: the broker's pid and the pid of the
 * SecretTrail that started it. A start-up reads it to find a broker an earlier SecretTrail left
 * behind (killed with SIGKILL, so its shutdown hook never ran) and stops it before starting its
 * own: Kafka's data lock is an OS file lock held by that process, so nothing else may start on the
 * directory while it lives. A process is only ever signalled when its command line names the
 * broker's main class and this very directory; a broker whose SecretTrail still runs is left alone
 * and the start-up fails, saying so. Kafka's lock file itself is never touched.
 */
final class BrokerPidFile {
    private static final Logger log = LoggerFactory.getLogger(BrokerPidFile.class);
    static final String NAME = "broker.pid";
    static final String MAIN_CLASS = "io.secrettrail.broker.BrokerMain";
    /** How long a left-over broker gets to stop on SIGTERM before it is killed. */
    static final Duration GRACE = Duration.ofSeconds(20);

    private BrokerPidFile() {}

    /** A pid file's content: the broker and the process that started it. */
    record Entry(long broker, long parent) {}

    static void write(Path dataDir, long broker, long parent) throws IOException {
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, "pid=" + broker + "\nparent=" + parent + "\n", StandardCharsets.UTF_8);
        Files.move(
                tmp,
                dataDir.resolve(NAME),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the pid file if it still names this broker (a later start may have replaced it). */
    static void clear(Path dataDir, long broker) {
        try {
            Optional<Entry> e = read(dataDir);
            if (e.isPresent() && e.get().broker() == broker) {
                Files.deleteIfExists(dataDir.resolve(NAME));
            }
        } catch (IOException e) {
            log.debug("could not remove {}: {}", dataDir.resolve(NAME), e.toString());
        }
    }

    /** The pid file's entry; empty when there is none or it cannot be read (then it is ignored and replaced). */
    static Optional<Entry> read(Path dataDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        long pid = -1;
        long parent = -1;
        for (String l : lines) {
            try {
                if (l.startsWith("pid=")) {
                    pid = Long.parseLong(l.substring(4).strip());
                } else if (l.startsWith("parent=")) {
                    parent = Long.parseLong(l.substring(7).strip());
                }
            } catch (NumberFormatException e) {
                log.warn(
                        "{}: unreadable line {}; ignoring the file",
                        dataDir.resolve(NAME),
                        l.length() > 40 ? l.substring(0, 40) : l);
                return Optional.empty();
            }
        }
        return pid > 0 ? Optional.of(new Entry(pid, parent)) : Optional.empty();
    }

    /** Whether the process is a SecretTrail broker on this data directory, judged by its command line. */
    static boolean isBrokerFor(ProcessHandle p, Path dataDir) {
        Optional<String[]> args = p.info().arguments();
        if (args.isEmpty()) {
            return false; // not ours to judge (another user's process, or gone): never signalled
        }
        String[] a = args.get();
        String dir = dataDir.toAbsolutePath().normalize().toString();
        for (int i = 0; i + 1 < a.length; i++) {
            if (a[i].equals(MAIN_CLASS)) {
                try {
                    return Path.of(a[i + 1])
                            .toAbsolutePath()
                            .normalize()
                            .toString()
                            .equals(dir);
                } catch (java.nio.file.InvalidPathException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Stops the broker an earlier SecretTrail left running on this directory, if the pid file names
     * one: SIGTERM, then up to {@code grace} for it to stop, then SIGKILL. A pid that is not such a
     * broker (the pid was reused) is left alone.
     *
     * @throws IOException when the broker belongs to a SecretTrail that is still running
     */
    static void stopLeftOver(Path dataDir, Duration grace) throws IOException {
        Optional<Entry> entry = read(dataDir);
        if (entry.isEmpty()) {
            return;
        }
        long pid = entry.get().broker();
        Optional<ProcessHandle> found = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (found.isEmpty()) {
            return; // stopped long ago; the file is replaced at start
        }
        ProcessHandle broker = found.get();
        if (!isBrokerFor(broker, dataDir)) {
            log.info(
                    "{} names pid {}, which is not a SecretTrail broker on {}: leaving it alone",
                    dataDir.resolve(NAME),
                    pid,
                    dataDir);
            return;
        }
        long parent = entry.get().parent();
        boolean parentRuns =
                ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)
                        && broker.parent().map(ProcessHandle::pid).orElse(-1L) == parent;
        if (parentRuns) {
            throw new IOException("embedded Kafka: " + dataDir + " is in use by the broker (pid " + pid
                    + ") of a SecretTrail that is" + " still running (pid " + parent
                    + "); stop that one first, or give this one another --work-dir");
        }
        log.warn(
                "stopping the embedded Kafka broker (pid {}) that an earlier SecretTrail left running on {}",
                pid,
                dataDir);
        broker.destroy(); // SIGTERM: it stops cleanly and lets go of the data lock
        if (await(broker, grace)) {
            return;
        }
        if (broker.isAlive() && isBrokerFor(broker, dataDir)) {
            log.warn(
                    "the left-over broker (pid {}) did not stop within {} ms of SIGTERM: killing it",
                    pid,
                    grace.toMillis());
            broker.destroyForcibly();
            if (!await(broker, Duration.ofSeconds(10))) {
                throw new IOException("embedded Kafka: the left-over broker (pid " + pid + ") on " + dataDir
                        + " survived SIGKILL; stop it by hand");
            }
        }
    }

    private static boolean await(ProcessHandle p, Duration d) throws IOException {
        try {
            p.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the left-over broker (pid " + p.pid() + ")", e);
        }
    }

    /** Live SecretTrail brokers on this directory, for an error message (none is signalled). */
    static List<Long> brokersOn(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> isBrokerFor(p, dataDir))
                .map(ProcessHandle::pid)
                .toList();
    }
}
