package io.secrettrail.app;

import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.ingest.DirectoryWatch;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.Source;
import io.secrettrail.ingest.SourceRunner;
import io.secrettrail.ingest.aws.AwsClients;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.ingest.aws.AwsFailure;
import io.secrettrail.ingest.aws.InventorySource;
import io.secrettrail.ingest.aws.LookupEventsSource;
import io.secrettrail.ingest.aws.S3TrailSource;
import io.secrettrail.web.ProcessProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources one process runs, built from its flags ({@code --watch}) and settings
 * ({@code aws.*}), each with its checkpoint under {@code <work-dir>/checkpoints/}, and the runner
 * that drives them. Built by {@link SecretTrailRuntime} for {@code serve} and {@code ingest}.
 */
final class Sources implements AutoCloseable {
    private final List<Source> sources;
    private final AwsClients aws;
    private final SourceRunner runner;
    private final EventPublisher publisher;

    private Sources(List<Source> sources, AwsClients aws, EventPublisher publisher, Clock clock) {
        this.sources = sources;
        this.aws = aws;
        this.publisher = publisher;
        this.runner = new SourceRunner(sources, AwsFailure::explain, clock);
    }

    static Sources build(
            Path workDir,
            List<Path> watch,
            AwsConfig config,
            io.secrettrail.core.event.ReadLimits limits,
            EventPublisher publisher,
            SecretIndex index,
            io.secrettrail.ingest.PolicyChanges policyChanges,
            Clock clock)
            throws IOException {
        Path checkpoints = workDir.resolve("checkpoints");
        List<Source> out = new ArrayList<>();
        for (Path dir : watch) {
            out.add(new DirectoryWatch(
                    dir,
                    checkpoints.resolve(
                            "watch-" + hash(dir.toAbsolutePath().normalize().toString()) + ".txt"),
                    publisher,
                    index,
                    limits,
                    Duration.ofMillis(500)));
        }
        AwsClients aws = null;
        if (config.any()) {
            aws = AwsClients.create(config);
            try {
                List<String> accounts = config.accounts();
                if (accounts.isEmpty()
                        && (config.lookup().enabled() || config.inventory().enabled())) {
                    accounts = List.of(callerAccount(aws, config));
                }
                if (config.s3() != null) {
                    AwsConfig.S3 s3 = config.s3();
                    out.add(new S3TrailSource(
                            aws.s3(),
                            s3,
                            config.accounts(),
                            config.regions(),
                            checkpoints.resolve("s3-" + s3.bucket() + "-" + hash(s3.logsRoot()) + ".log"),
                            workDir.resolve("tmp"),
                            publisher,
                            index,
                            limits,
                            clock));
                }
                for (String account : accounts) {
                    for (String region : config.regions()) {
                        if (config.inventory().enabled()) {
                            out.add(new InventorySource(
                                    aws.secretsManager(account, region),
                                    account,
                                    region,
                                    config.inventory().interval(),
                                    checkpoints.resolve("inventory-" + account + "-" + region + ".log"),
                                    publisher,
                                    index,
                                    config.inventory().policies(),
                                    config.inventory().replication(),
                                    policyChanges,
                                    clock));
                        }
                        if (config.lookup().enabled()) {
                            out.add(new LookupEventsSource(
                                    aws.cloudTrail(account, region),
                                    account,
                                    region,
                                    config.lookup(),
                                    checkpoints.resolve("lookup-" + account + "-" + region + ".log"),
                                    publisher,
                                    limits,
                                    clock));
                        }
                    }
                }
            } catch (RuntimeException | IOException e) {
                aws.close();
                throw e;
            }
        }
        // Inventory first: a secret the inventory names resolves events that name it by its name alone.
        out.sort(java.util.Comparator.comparingInt(s -> s.kind().equals("inventory") ? 0 : 1));
        return new Sources(out, aws, publisher, clock);
    }

    /** The account of the default credentials (sts:GetCallerIdentity needs no permission). */
    private static String callerAccount(AwsClients aws, AwsConfig config) {
        try {
            return aws.sts(config.regions().get(0)).getCallerIdentity().account();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IllegalArgumentException(
                    "aws.accounts is empty, so SecretTrail asked STS which account its credentials belong to: "
                            + AwsFailure.describe(e));
        }
    }

    List<Source> list() {
        return sources;
    }

    SourceRunner runner() {
        return runner;
    }

    /** Per-source figures for /metrics, plus what the publisher sent. */
    Map<String, Double> gauges() {
        Map<String, Double> g = new HashMap<>();
        for (SourceRunner.Stats s : runner.stats()) {
            gauges(g, s.kind(), s.name(), s.records(), s.passes(), s.failures(), s.healthy(), s.lastSuccess());
        }
        g.put("secrettrail_watch_files_total", (double) sources.stream()
                .filter(s -> s instanceof DirectoryWatch)
                .mapToLong(s -> ((DirectoryWatch) s).filesIngested())
                .sum());
        g.put("secrettrail_messages_published_total", (double) publisher.messages());
        g.put("secrettrail_dead_letters_published_total", (double) publisher.deadLetters());
        publisher
                .deadLettersBySource()
                .forEach((source, n) -> g.put(
                        ProcessProbe.sample(
                                "secrettrail_dead_letters_published_by_source_total", Map.of("source", source)),
                        (double) n));
        return g;
    }

    /** One source's secrettrail_source_* figures, labelled by its kind and name. */
    static void gauges(
            Map<String, Double> g,
            String kind,
            String name,
            long records,
            long passes,
            long failures,
            boolean up,
            java.time.Instant lastSuccess) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("kind", kind);
        labels.put("source", name);
        g.put(ProcessProbe.sample("secrettrail_source_records_total", labels), (double) records);
        g.put(ProcessProbe.sample("secrettrail_source_passes_total", labels), (double) passes);
        g.put(ProcessProbe.sample("secrettrail_source_failures_total", labels), (double) failures);
        g.put(ProcessProbe.sample("secrettrail_source_up", labels), up ? 1.0 : 0.0);
        if (lastSuccess != null) {
            g.put(
                    ProcessProbe.sample("secrettrail_source_last_success_seconds", labels),
                    lastSuccess.getEpochSecond() + lastSuccess.getNano() / 1e9);
        }
    }

    /** Each source's state, for the API and the pages' footer. */
    List<ProcessProbe.SourceState> states() {
        List<ProcessProbe.SourceState> out = new ArrayList<>();
        for (SourceRunner.Stats s : runner.stats()) {
            out.add(new ProcessProbe.SourceState(
                    s.name(),
                    s.kind(),
                    s.healthy(),
                    s.lastSuccess() == null ? null : s.lastSuccess().toString(),
                    s.lastError(),
                    s.records(),
                    s.failures()));
        }
        return out;
    }

    static String hash(String s) {
        return Integer.toHexString(s.hashCode());
    }

    @Override
    public void close() throws InterruptedException {
        runner.stop();
        if (aws != null) {
            aws.close();
        }
    }
}
