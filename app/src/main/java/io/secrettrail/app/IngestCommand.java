package io.secrettrail.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.SourceRunner;
import io.secrettrail.ingest.TopicSetup;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.web.ProbeServer;

/**
 * Sources → Kafka, nothing else: the part that scales out. Several ingest processes (each with its
 * own work directory, so its own checkpoints, and its own accounts or directories) can feed one
 * cluster while a single {@code analytics} process owns the DuckDB file. {@code --once} makes one
 * pass of every source and exits (for cron, and to backfill).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Read trail directories and AWS sources (S3 trail, LookupEvents, ListSecrets) into Kafka, continuously or --once.")
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--watch", paramLabel = "DIR", description = "A trail directory to watch for new files (repeatable).")
    List<Path> watch = new ArrayList<>();

    @Mixin
    ReadOptions read;

    @Option(names = "--once", description = "One pass of every source, then exit (0 when every pass succeeded).")
    boolean once;

    @Mixin
    WebOptions web;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Serve /health/live, /health/ready and /metrics on this port (0 picks a free one; default: none).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Map<String, String> values = settings.load();
        AwsConfig aws = Sources.config(values, watch);
        io.secrettrail.core.event.ReadLimits limits = read.limits();
        Clock clock = Clock.systemUTC();
        Drain drain = Drain.onSigterm("ingest");
        try (KafkaRuntime runtime = KafkaRuntime.start(kafka);
             Admin admin = KafkaClients.admin(runtime.settings());
             Producer<byte[], byte[]> producer = KafkaClients.producer(runtime.settings(), "secrettrail-ingest")) {
            TopicSetup.ensure(admin, runtime.settings(), kafka.replicationFactor, Duration.ofSeconds(60));
            SecretIndex index = new SecretIndex();
            EventPublisher publisher = new EventPublisher(producer, runtime.settings().topics(), new SecretResolver(index));
            try (Sources sources = Sources.build(kafka.workDir, watch, aws, limits, publisher, index, clock)) {
                List<String> names = sources.list().stream().map(Source::name).toList();
                if (once) {
                    System.err.printf("secrettrail: one pass of %s%n", names);
                    int failed = 0;
                    for (Source s : sources.list()) {
                        try {
                            long n = s.poll(drain::stopRequested);
                            System.err.printf("secrettrail: %s: %d records%n", s.name(), n);
                        } catch (Exception e) {
                            failed++;
                            System.err.printf("secrettrail: %s: %s%n", s.name(), io.secrettrail.ingest.aws.AwsFailure.explain(e).message());
                        }
                    }
                    publisher.flush();
                    System.out.printf("{\"sources\":%d,\"failed\":%d,\"messages\":%d,\"deadLetters\":%d}%n", names.size(), failed,
                            publisher.messages(), publisher.deadLetters());
                    return failed == 0 ? 0 : Main.FATAL;
                }
                sources.runner().start();
                ProbeServer probes = port == null ? null : ProbeServer.start(web.config(port, values),
                        () -> Map.of("broker", ConsumerHealth.brokerReachable(admin), "producer", !publisher.failed()), sources::gauges);
                try {
                    if (probes != null) {
                        System.err.printf("secrettrail: health and metrics on http://%s:%d%n", web.host, probes.port());
                    }
                    System.err.printf("secrettrail: ingesting from %s into %s (SIGTERM to stop)%n", names, runtime.settings().bootstrapServers());
                    System.err.flush();
                    while (!drain.awaitStop(1)) {
                        if (sources.runner().fatal() != null) {
                            break; // Kafka refused records: exit non-zero, a restart resumes from the checkpoints
                        }
                    }
                    sources.runner().stop();
                } finally {
                    if (probes != null) {
                        probes.close();
                    }
                }
                if (sources.runner().fatal() != null) {
                    System.err.println("secrettrail: stopped: Kafka refused records: " + Main.message(sources.runner().fatal())
                            + "; check the cluster, then restart: the sources resume from their checkpoints (exit 1)");
                    return Main.FATAL;
                }
                publisher.flush();
                for (SourceRunner.Stats s : sources.runner().stats()) {
                    System.err.printf("secrettrail: %s: %d records in %d passes, %d failures%n", s.name(), s.records(), s.passes(), s.failures());
                }
            }
            System.err.println("secrettrail: stopped cleanly");
            return 0;
        } finally {
            drain.close();
        }
    }
}
