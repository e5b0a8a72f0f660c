package io.secrettrail.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka KRaft broker (broker and controller in one process), started from the
 * Maven Central jars in its own JVM. The parent process reads "READY" from stdout, and stops it
 * with SIGTERM. With {@code -Dsecrettrail.broker.exitWithParent=true} it also stops, cleanly,
 * when its standard input reaches end of file: the parent holds that pipe and never writes to it,
 * so the end comes when the parent dies, however it dies (a SIGKILL runs no shutdown hook of the
 * parent's), and no broker is left holding the data lock.
 *
 * <p>Usage: {@code BrokerMain <data-dir> <broker-port> <controller-port>}
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BrokerMain <data-dir> <broker-port> <controller-port>");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        Path logDir = dataDir.resolve("kraft-logs");
        Files.createDirectories(logDir);

        Properties props = brokerProperties(logDir, port, controllerPort);
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "written by SecretTrail's embedded broker on every start");
        }

        // The cluster id lives beside the data, so a restart formats nothing and reuses the logs.
        String clusterId = clusterId(dataDir);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        kafka.tools.StorageTool.execute(
                new String[] {"format", "--cluster-id=" + clusterId, "-c", propsFile.toString(), "--ignore-formatted"},
                quiet);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.shutdown();
                            server.awaitShutdown();
                            stopped.countDown();
                        },
                        "broker-shutdown"));
        server.startup();
        System.out.println("READY " + port);
        System.out.flush();
        if (Boolean.getBoolean("secrettrail.broker.exitWithParent")) {
            exitWithParent();
        }
        stopped.await();
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // Single node: every internal topic must have replication factor 1.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Topics are created explicitly by SecretTrail (KAFKA-15591 workaround needs it).
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MB default dedupe buffer is on-heap and OOMs the small heap we give the broker.
        p.put("log.cleaner.dedupe.buffer.size", "8388608");
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("num.partitions", "1");
        // Nothing expires: the events topic is the one copy of the raw records (issue 16). A topic that an
        // earlier release created without its own retention inherits this, so upgrading an embedded broker's
        // work dir needs no kafka-configs step.
        p.put("log.retention.ms", "-1");
        p.put("log.retention.bytes", "-1");
        // Above the max.message.bytes SecretTrail gives its topics (the largest --max-record-bytes
        // plus key, headers and lz4's worst case, about 16.3 MiB), so a topic created without it still fits.
        p.put("message.max.bytes", String.valueOf(18 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(18 * 1024 * 1024));
        return p;
    }

    private static String clusterId(Path dataDir) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile, StandardCharsets.UTF_8).trim();
        }
        String id = base64Uuid();
        Files.writeString(idFile, id, StandardCharsets.UTF_8);
        return id;
    }

    /**
     * Kafka cluster ids are 22-character url-safe base64 UUIDs. Like Kafka's own Uuid.randomUuid,
     * never one starting with '-': kafka-storage would read "-t -abc..." as an option (one start
     * in 64 failed so; the id is also passed as --cluster-id=ID for ids written by older versions).
     */
    static String base64Uuid() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** Stops the broker (through the shutdown hook) once standard input ends: the parent is gone. */
    private static void exitWithParent() {
        Thread watch = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // the parent never writes; anything read is ignored
                        }
                    } catch (IOException e) {
                        // a broken pipe means the same: the parent is gone
                    }
                    System.err.println(
                            "SecretTrail broker: the parent process is gone (standard input closed); stopping");
                    System.exit(0);
                },
                "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
