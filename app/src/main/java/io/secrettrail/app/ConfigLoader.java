package io.secrettrail.app;

import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.ingest.aws.AwsConfig;
import io.secrettrail.web.WebConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a command's options and the process environment into one {@link AppConfig}. Each value
 * is taken from the first that has it: a flag, an environment variable, the config file, the
 * default. The environment is a map handed in ({@link Main} reads the real one), so a test can
 * pass its own. A command gives only the option groups it has; the rest take their defaults.
 *
 * <p>Environment variables: {@code SECRETTRAIL_WORK_DIR} (--work-dir), {@code SECRETTRAIL_KAFKA}
 * (--kafka), {@code KAFKA_*} (client settings, under --kafka-property), {@code SECRETTRAIL_CONFIG}
 * (--config), {@code SECRETTRAIL_SET} (settings, under --set, over the file),
 * {@code SECRETTRAIL_WEB_TOKEN} (under --token-file).
 */
final class ConfigLoader {
    static final String ENV_WORK_DIR = "SECRETTRAIL_WORK_DIR";
    static final String ENV_KAFKA = "SECRETTRAIL_KAFKA";
    static final String ENV_WEB_TOKEN = "SECRETTRAIL_WEB_TOKEN";

    private final Map<String, String> env;
    private final Clock clock;
    private KafkaOptions kafka;
    private SettingsOptions settings;
    private ReadOptions read;
    private WebOptions web;
    private int port = -1;
    private List<Path> watch = List.of();
    private List<Path> inventory = List.of();
    private boolean sources;
    private boolean once;
    private int maxBatch = SecretTrailRuntime.DEFAULT_MAX_BATCH;
    private Instant asOf;

    ConfigLoader(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /** For a subcommand: its parent's environment and clock. */
    static ConfigLoader of(Main main) {
        return new ConfigLoader(main.env(), main.clock());
    }

    ConfigLoader kafka(KafkaOptions o) {
        this.kafka = o;
        return this;
    }

    ConfigLoader settings(SettingsOptions o) {
        this.settings = o;
        return this;
    }

    ConfigLoader read(ReadOptions o) {
        this.read = o;
        return this;
    }

    /** @param port where to serve; negative for no server */
    ConfigLoader web(WebOptions o, int port) {
        this.web = o;
        this.port = port;
        return this;
    }

    /** A process that reads sources: it needs --watch or an AWS source. */
    ConfigLoader sources(List<Path> watch, List<Path> inventory, boolean once) {
        this.sources = true;
        this.watch = watch;
        this.inventory = inventory;
        this.once = once;
        return this;
    }

    ConfigLoader maxBatch(int n) {
        this.maxBatch = n;
        return this;
    }

    /** Reports as of this fixed time instead of the clock's now. */
    ConfigLoader asOf(Instant at) {
        this.asOf = at;
        return this;
    }

    /** @throws IllegalArgumentException naming the first bad or unknown setting */
    AppConfig load() throws IOException {
        Path workDir = kafka != null && kafka.workDir != null
                ? kafka.workDir
                : Path.of(env.getOrDefault(ENV_WORK_DIR, KafkaOptions.DEFAULT_WORK_DIR));
        String bootstrap =
                kafka != null && kafka.kafka != null ? kafka.kafka : env.getOrDefault(ENV_KAFKA, KafkaOptions.EMBEDDED);
        AppConfig.Kafka k = kafka == null
                ? new AppConfig.Kafka(bootstrap, Map.of(), (short) 0, 6, maxBatch)
                : new AppConfig.Kafka(
                        bootstrap, kafka.clientProperties(env), kafka.replicationFactor, kafka.partitions, maxBatch);
        Map<String, String> values = settings == null ? Map.of() : settings.load(env);
        ReportSettings report = ReportSettings.of(values);
        SettingKeys.check(values, report.rules(), settings == null ? key -> "defaults" : settings::origin);
        ExportSettings.of(values); // export.parquet.dir and export.cron, checked at start like the rest
        WebhookSettings hooks = WebhookSettings.of(
                values, Set.copyOf(report.rules().all().stream().map(Rule::id).toList()));
        AwsConfig aws = AwsConfig.of(values);
        if (sources && watch.isEmpty() && !aws.any()) {
            throw new IllegalArgumentException(
                    "nothing to read: give --watch DIR and/or configure an AWS source (aws.s3.bucket,"
                            + " aws.lookup.enabled, aws.inventory.enabled; see the README)");
        }
        ReadLimits limits = read == null ? ReadLimits.defaults() : read.limits();
        WebConfig webConfig =
                web == null || port < 0 ? null : new WebConfig(web.host, port, token()).withSettings(values);
        return new AppConfig(
                workDir,
                k,
                limits,
                webConfig,
                report,
                hooks,
                new AppConfig.Ingest(watch, inventory, aws, once),
                asOf,
                clock,
                values);
    }

    /** --token-file, else $SECRETTRAIL_WEB_TOKEN, else none. */
    private String token() throws IOException {
        if (web.tokenFile != null) {
            return Files.readString(web.tokenFile).strip();
        }
        String t = env.get(ENV_WEB_TOKEN);
        return t == null || t.isBlank() ? null : t.strip();
    }
}
