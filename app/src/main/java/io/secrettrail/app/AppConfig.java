package io.secrettrail.app;

import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.web.WebConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a process runs with, loaded once by {@link ConfigLoader} (flags, then the
 * environment, then the config file, then defaults) and validated before anything starts: a bad
 * or unknown setting fails naming it. Immutable; {@link SecretTrailRuntime#start} builds from it.
 *
 * @param workDir  state: embedded broker data, the DuckDB file, the sources' checkpoints
 * @param kafka    the cluster and how clients talk to it
 * @param read     how large a field, a record and a trail file may be
 * @param web      where the dashboard (or, for ingest, the health and metrics server) listens, or null for none
 * @param report   rules and their thresholds, prices, the report cache, the store's bounds
 * @param webhooks webhooks and suppressions ({@link WebhookSettings#none()} when none is configured)
 * @param ingest   what an ingesting process reads
 * @param asOf     "now" of every report when fixed (the demo's finished trail), or null for the clock
 * @param clock    the process's clock: read in {@link Main} only and passed down from here
 * @param settings every setting as merged (file, then $SECRETTRAIL_SET, then --set), all claimed
 */
public record AppConfig(
        Path workDir,
        Kafka kafka,
        ReadLimits read,
        WebConfig web,
        ReportSettings report,
        WebhookSettings webhooks,
        Ingest ingest,
        Instant asOf,
        Clock clock,
        Map<String, String> settings) {

    /**
     * @param bootstrap         {@code embedded} (a KRaft broker in a child JVM under the work dir) or host:port[,host:port]
     * @param clientProperties  {@code KAFKA_*} variables naming a client setting, then {@code --kafka-property}
     * @param replicationFactor of the topics when created; 0 is the cluster's default
     * @param partitions        of the events topic when created
     * @param maxBatch          messages per DuckDB transaction at most
     */
    public record Kafka(
            String bootstrap,
            Map<String, String> clientProperties,
            short replicationFactor,
            int partitions,
            int maxBatch) {
        public Kafka {
            clientProperties = Map.copyOf(clientProperties);
        }

        public boolean embedded() {
            return KafkaOptions.EMBEDDED.equals(bootstrap);
        }
    }

    /**
     * @param watch     trail directories watched for new files
     * @param inventory list-secrets output published at start
     * @param aws       the AWS sources ({@code aws.*})
     * @param once      one pass of every source, then exit, instead of running continuously
     */
    public record Ingest(List<Path> watch, List<Path> inventory, AwsConfig aws, boolean once) {
        public Ingest {
            watch = List.copyOf(watch);
            inventory = List.copyOf(inventory);
        }
    }

    public AppConfig {
        settings = Map.copyOf(settings);
    }

    /** Where and when serve writes the Parquet export ({@code export.*}, validated when loaded). */
    public ExportSettings export() {
        return ExportSettings.of(settings);
    }

    /** The DuckDB file analytics owns. */
    public Path database() {
        return workDir.resolve("secrettrail.duckdb");
    }

    /** The database an earlier analyze left, for commands that only read it. */
    public Path existingDatabase() {
        if (!Files.exists(database())) {
            throw new IllegalArgumentException(database() + ": no database; run ./secrettrail analyze first");
        }
        return database();
    }
}
