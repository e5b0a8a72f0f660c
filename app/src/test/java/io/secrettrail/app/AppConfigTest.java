package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One config, loaded once: flags over the environment over the config file over defaults, every
 * key claimed by someone (a typo fails naming it), the environment and the clock handed in.
 */
class AppConfigTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:34:56Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Options as picocli parses them from {@code args}. */
    private static <T> T parse(T options, String... args) {
        new CommandLine(new Object() {
                    @CommandLine.Mixin
                    T o = options;
                })
                .parseArgs(args);
        return options;
    }

    private static AppConfig load(Map<String, String> env, KafkaOptions kafka, SettingsOptions settings)
            throws Exception {
        return new ConfigLoader(env, CLOCK).kafka(kafka).settings(settings).load();
    }

    @Test
    void a_typo_in_a_rule_threshold_given_with_set_fails_naming_it_and_the_nearest_key() {
        SettingsOptions s = parse(new SettingsOptions(), "--set", "rotation.maxDay=30");
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rotation.maxDay: unknown setting (from --set)")
                .hasMessageContaining("did you mean rotation.maxDays?");
    }

    @Test
    void regional_prices_are_claimed_settings_and_their_unknown_price_names_refused() throws Exception {
        SettingsOptions good = parse(new SettingsOptions(), "--set", "price.region.eu-west-1.secretMonthUsd=0.5");
        assertThat(load(Map.of(), new KafkaOptions(), good)
                        .report()
                        .prices()
                        .forRegion("eu-west-1")
                        .secretMonthUsd())
                .isEqualByComparingTo("0.5");
        SettingsOptions bad = parse(new SettingsOptions(), "--set", "price.region.eu-west-1.storageUsd=0.5");
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("price.region.eu-west-1.storageUsd: unknown regional price");
    }

    @Test
    void ownership_settings_are_claimed_and_an_unknown_ownership_key_refused_by_name() throws Exception {
        SettingsOptions good = parse(
                new SettingsOptions(),
                "--set",
                "ownership.prefix.payments=prod/payments/",
                "--set",
                "ownership.account.123456789012=core",
                "--set",
                "ownership.required=true");
        assertThat(load(Map.of(), new KafkaOptions(), good).report().ownership().prefixes())
                .containsEntry("prod/payments/", "payments");
        SettingsOptions bad = parse(new SettingsOptions(), "--set", "ownership.teamTags=squad");
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ownership.teamTags: unknown ownership setting");
    }

    @Test
    void a_typo_in_the_config_file_fails_naming_the_key_and_the_file() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "rotation.maxDays=60\nrotation.maxDay=30\n");
        SettingsOptions s = parse(new SettingsOptions(), "--config", file.toString());
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rotation.maxDay: unknown setting (from " + file + ")")
                .hasMessageContaining("did you mean rotation.maxDays?");
    }

    @Test
    void a_typo_in_the_environment_settings_fails_naming_the_key_and_the_variable() {
        assertThatThrownBy(() -> load(
                        Map.of("SECRETTRAIL_SET", "aws.regions=us-east-1; cache.tll=2h"),
                        new KafkaOptions(),
                        new SettingsOptions()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cache.tll: unknown setting (from SECRETTRAIL_SET)")
                .hasMessageContaining("did you mean cache.ttl?");
    }

    @Test
    void an_unknown_web_key_is_refused_even_without_a_web_server_and_a_far_off_key_lists_the_known_ones() {
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(new SettingsOptions(), "--set", "web.publicURL=https://x.example")))
                .hasMessageStartingWith("web.publicURL: unknown web setting")
                .hasMessageContaining("did you mean web.publicUrl?");
        assertThatThrownBy(() -> load(
                        Map.of(), new KafkaOptions(), parse(new SettingsOptions(), "--set", "completely.different=1")))
                .hasMessageStartingWith("completely.different: unknown setting")
                .hasMessageContaining("known: [")
                .hasMessageContaining("rotation.maxDays")
                .hasMessageContaining("webhook.NAME.*");
    }

    @Test
    void detections_ignore_takes_kind_principal_pairs_and_refuses_anything_else() throws Exception {
        AppConfig c = load(
                Map.of(),
                new KafkaOptions(),
                parse(
                        new SettingsOptions(),
                        "--set",
                        "detections.ignore=caching:arn:aws:iam::111111111111:role/app, "
                                + "iac:arn:aws:iam::111111111111:role/deploy"));
        assertThat(c.report().ignore().pairs())
                .extracting(p -> p.kind() + " " + p.principal())
                .containsExactly(
                        "caching arn:aws:iam::111111111111:role/app", "iac arn:aws:iam::111111111111:role/deploy");
        assertThat(load(Map.of(), new KafkaOptions(), new SettingsOptions())
                        .report()
                        .ignore()
                        .isEmpty())
                .isTrue();
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(new SettingsOptions(), "--set", "detections.ignore=cache:arn:aws:iam::1:role/app")))
                .hasMessageStartingWith("detections.ignore: expected kind:principal with a kind among [")
                .hasMessageEndingWith("was cache:arn:aws:iam::1:role/app");
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(new SettingsOptions(), "--set", "detections.ignore=caching:role/app")))
                .hasMessageStartingWith("detections.ignore: expected kind:principal with a principal ARN");
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(
                                new SettingsOptions(),
                                "--set",
                                "detections.ignore=unknown:arn:aws:iam::111111111111:role/app")))
                .hasMessageStartingWith("detections.ignore: kind unknown cannot be ignored")
                .hasMessageEndingWith("was unknown:arn:aws:iam::111111111111:role/app");
    }

    @Test
    void the_ocsf_file_and_an_ocsf_webhook_are_claimed_settings_and_a_typo_is_refused(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String file = dir.resolve("findings.ocsf.jsonl").toString();
        SettingsOptions s = parse(
                new SettingsOptions(),
                "--set",
                "export.ocsf.file=" + file,
                "--set",
                "webhook.lake.url=https://lake.example.com/in",
                "--set",
                "webhook.lake.format=ocsf",
                "--set",
                "webhook.lake.secret=a-shared-signing-secret");
        AppConfig c = load(Map.of(), new KafkaOptions(), s);
        assertThat(c.webhooks().ocsfFile()).hasToString(file);
        assertThat(c.webhooks().get("lake").format()).isEqualTo("ocsf");
        assertThat(c.webhooks().anyDestination()).isTrue();
        SettingsOptions typo = parse(new SettingsOptions(), "--set", "export.ocsf.fille=" + file);
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), typo))
                .hasMessageStartingWith("export.ocsf.fille: unknown setting (from --set)")
                .hasMessageContaining("did you mean export.ocsf.file?");
    }

    @Test
    void security_hub_is_a_claimed_setting_a_target_of_the_outbox_and_a_typo_or_bad_value_is_refused_named()
            throws Exception {
        SettingsOptions s = parse(
                new SettingsOptions(),
                "--set",
                "securityhub.enabled=true",
                "--set",
                "securityhub.region=eu-west-1",
                "--set",
                "securityhub.minSeverity=medium",
                "--set",
                "aws.roleName=SecretTrailAudit");
        AppConfig c = load(Map.of(), new KafkaOptions(), s);
        assertThat(io.secrettrail.analytics.alerts.SecurityHubSettings.of(c.settings()))
                .isEqualTo(new io.secrettrail.analytics.alerts.SecurityHubSettings("eu-west-1", "medium"));
        assertThat(c.webhooks().get("securityhub").url().getHost()).isEqualTo("securityhub.eu-west-1.amazonaws.com");
        assertThat(c.webhooks().anyDestination()).isTrue();
        assertThat(c.ingest().aws().roleName()).isEqualTo("SecretTrailAudit");

        SettingsOptions typo = parse(new SettingsOptions(), "--set", "securityhub.regoin=eu-west-1");
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), typo))
                .hasMessageStartingWith("securityhub.regoin: unknown setting (from --set)")
                .hasMessageContaining("did you mean securityhub.region?");
        SettingsOptions bad =
                parse(new SettingsOptions(), "--set", "securityhub.enabled=true", "--set", "securityhub.region=mars");
        assertThatThrownBy(() -> load(Map.of(), new KafkaOptions(), bad))
                .hasMessageStartingWith("securityhub.region: not an AWS region");
        // off by default: no target
        assertThat(load(Map.of(), new KafkaOptions(), new SettingsOptions())
                        .webhooks()
                        .anyDestination())
                .isFalse();
    }

    @Test
    void every_documented_key_is_claimed() throws Exception {
        SettingsOptions s = parse(
                new SettingsOptions(),
                "--set",
                "rotation.maxDays=60",
                "--set",
                "price.per10kCallsUsd=0.05",
                "--set",
                "price.secretMonthUsd=0.4",
                "--set",
                "cache.ttl=30m",
                "--set",
                "cache.maxReadsPerHour=10",
                "--set",
                "names.maxUnconfirmed=20",
                "--set",
                "ledger.topClients=5",
                "--set",
                "web.allowedHosts=a.example",
                "--set",
                "aws.regions=us-east-1",
                "--set",
                "suppress.x.rule=unused-secret",
                "--set",
                "suppress.x.resource=*",
                "--set",
                "suppress.x.reason=sandbox",
                "--set",
                "detections.ignore=caching:arn:aws:iam::111111111111:role/app");
        AppConfig c = load(Map.of(), new KafkaOptions(), s);
        assertThat(c.report().ruleValues()).containsEntry("rotation.maxDays", 60);
        assertThat(c.report().limits().topClients()).isEqualTo(5);
    }

    @Test
    void the_batch_settings_default_to_5_seconds_and_unbilled_entries_and_come_from_set_env_and_file()
            throws Exception {
        AppConfig d = load(Map.of(), new KafkaOptions(), new SettingsOptions());
        assertThat(d.report().batchMatcher().matchSeconds()).isEqualTo(5);
        assertThat(d.report().batchEntriesBilled()).isFalse();
        Path file =
                Files.writeString(dir.resolve("b.properties"), "batch.matchSeconds=2\nprice.batchEntriesBilled=true\n");
        SettingsOptions fromFile = parse(new SettingsOptions(), "--config", file.toString());
        AppConfig f = load(Map.of(), new KafkaOptions(), fromFile);
        assertThat(f.report().batchMatcher().matchSeconds()).isEqualTo(2);
        assertThat(f.report().batchEntriesBilled()).isTrue();
        AppConfig e = load(Map.of("SECRETTRAIL_SET", "batch.matchSeconds=1"), new KafkaOptions(), fromFile);
        assertThat(e.report().batchMatcher().matchSeconds()).isEqualTo(1);
        AppConfig flag = load(
                Map.of("SECRETTRAIL_SET", "batch.matchSeconds=1"),
                new KafkaOptions(),
                parse(new SettingsOptions(), "--config", file.toString(), "--set", "batch.matchSeconds=0"));
        assertThat(flag.report().batchMatcher().matchSeconds()).isZero();
    }

    @Test
    void the_export_settings_are_claimed_checked_at_load_and_off_by_default() throws Exception {
        assertThat(load(Map.of(), new KafkaOptions(), new SettingsOptions())
                        .export()
                        .enabled())
                .isFalse();
        AppConfig c = load(
                Map.of(),
                new KafkaOptions(),
                parse(
                        new SettingsOptions(),
                        "--set",
                        "export.parquet.dir=/var/lib/secrettrail/lake",
                        "--set",
                        "export.cron=cron(30 2 * * ? *)"));
        assertThat(c.export().dir()).isEqualTo(java.nio.file.Path.of("/var/lib/secrettrail/lake"));
        assertThat(c.export().schedule().test(java.time.LocalDateTime.parse("2026-11-21T02:30")))
                .isTrue();
        assertThat(c.export().schedule().test(java.time.LocalDateTime.parse("2026-11-21T02:31")))
                .isFalse();
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(
                                new SettingsOptions(),
                                "--set",
                                "export.parquet.dir=/tmp/x",
                                "--set",
                                "export.cron=daily")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("export.cron: expected cron(");
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(new SettingsOptions(), "--set", "export.parquet.dri=/tmp/x")))
                .hasMessageContaining("did you mean export.parquet.dir?");
    }

    @Test
    void a_bad_batch_setting_is_refused_naming_it() {
        assertThatThrownBy(() -> load(
                        Map.of(), new KafkaOptions(), parse(new SettingsOptions(), "--set", "batch.matchSeconds=-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("batch.matchSeconds");
        assertThatThrownBy(() -> load(
                        Map.of(),
                        new KafkaOptions(),
                        parse(new SettingsOptions(), "--set", "price.batchEntriesBilled=yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("price.batchEntriesBilled: must be true or false");
    }

    @Test
    void report_max_age_and_trail_silence_are_settings_with_defaults_and_bad_values_are_refused() throws Exception {
        AppConfig defaults = load(Map.of(), new KafkaOptions(), new SettingsOptions());
        assertThat(defaults.report().maxAge()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(defaults.report().ruleValues()).containsEntry("trail.silenceHours", 6);
        AppConfig set = load(
                Map.of(),
                new KafkaOptions(),
                parse(new SettingsOptions(), "--set", "report.maxAgeMinutes=5", "--set", "trail.silenceHours=12"));
        assertThat(set.report().maxAge()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(set.report().ruleValues()).containsEntry("trail.silenceHours", 12);
        assertThatThrownBy(() -> load(
                        Map.of(), new KafkaOptions(), parse(new SettingsOptions(), "--set", "report.maxAgeMinutes=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("report.maxAgeMinutes: must be 1..1440, was 0");
        assertThatThrownBy(() -> load(
                        Map.of(), new KafkaOptions(), parse(new SettingsOptions(), "--set", "trail.silenceHours=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trail.silenceHours: must be 1..720, was 0");
    }

    @Test
    void a_rule_threshold_comes_from_set_then_the_environment_then_the_file_then_the_default() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "rotation.maxDays=60\n");
        String[] fileFlag = {"--config", file.toString()};
        Map<String, String> env = Map.of("SECRETTRAIL_SET", "rotation.maxDays=45");
        assertThat(load(Map.of(), new KafkaOptions(), new SettingsOptions())
                        .report()
                        .ruleValues())
                .containsEntry("rotation.maxDays", 90);
        assertThat(load(Map.of(), new KafkaOptions(), parse(new SettingsOptions(), fileFlag))
                        .report()
                        .ruleValues())
                .containsEntry("rotation.maxDays", 60);
        assertThat(load(env, new KafkaOptions(), parse(new SettingsOptions(), fileFlag))
                        .report()
                        .ruleValues())
                .containsEntry("rotation.maxDays", 45);
        assertThat(load(
                                env,
                                new KafkaOptions(),
                                parse(
                                        new SettingsOptions(),
                                        "--config",
                                        file.toString(),
                                        "--set",
                                        "rotation.maxDays=30"))
                        .report()
                        .ruleValues())
                .containsEntry("rotation.maxDays", 30);
    }

    @Test
    void the_config_file_comes_from_the_flag_then_the_environment() throws Exception {
        Path fromEnv = Files.writeString(dir.resolve("env.properties"), "unused.days=10\n");
        Path fromFlag = Files.writeString(dir.resolve("flag.properties"), "unused.days=20\n");
        Map<String, String> env = Map.of("SECRETTRAIL_CONFIG", fromEnv.toString());
        assertThat(load(env, new KafkaOptions(), new SettingsOptions()).report().ruleValues())
                .containsEntry("unused.days", 10);
        assertThat(load(env, new KafkaOptions(), parse(new SettingsOptions(), "--config", fromFlag.toString()))
                        .report()
                        .ruleValues())
                .containsEntry("unused.days", 20);
    }

    @Test
    void work_dir_and_kafka_come_from_the_flag_then_the_environment_then_the_default() throws Exception {
        Map<String, String> env = Map.of(
                "SECRETTRAIL_WORK_DIR",
                "/from/env",
                "SECRETTRAIL_KAFKA",
                "env-broker:9092",
                "KAFKA_SASL_MECHANISM",
                "PLAIN");
        AppConfig defaults = load(Map.of(), new KafkaOptions(), new SettingsOptions());
        assertThat(defaults.workDir()).isEqualTo(Path.of(".secrettrail"));
        assertThat(defaults.kafka().embedded()).isTrue();
        AppConfig fromEnv = load(env, new KafkaOptions(), new SettingsOptions());
        assertThat(fromEnv.workDir()).isEqualTo(Path.of("/from/env"));
        assertThat(fromEnv.database()).isEqualTo(Path.of("/from/env/secrettrail.duckdb"));
        assertThat(fromEnv.kafka().bootstrap()).isEqualTo("env-broker:9092");
        assertThat(fromEnv.kafka().clientProperties()).containsEntry("sasl.mechanism", "PLAIN");
        AppConfig fromFlags = load(
                env,
                parse(
                        new KafkaOptions(),
                        "--work-dir",
                        "/from/flag",
                        "--kafka",
                        "flag-broker:9092",
                        "--kafka-property",
                        "sasl.mechanism=SCRAM-SHA-512"),
                new SettingsOptions());
        assertThat(fromFlags.workDir()).isEqualTo(Path.of("/from/flag"));
        assertThat(fromFlags.kafka().bootstrap()).isEqualTo("flag-broker:9092");
        assertThat(fromFlags.kafka().clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void the_web_token_comes_from_the_token_file_then_the_environment() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "token-from-the-file-0123456789\n");
        Map<String, String> env = Map.of("SECRETTRAIL_WEB_TOKEN", "token-from-the-environment-42");
        assertThat(new ConfigLoader(env, CLOCK)
                        .web(parse(new WebOptions()), 0)
                        .load()
                        .web()
                        .token())
                .isEqualTo("token-from-the-environment-42");
        assertThat(new ConfigLoader(env, CLOCK)
                        .web(parse(new WebOptions(), "--token-file", tokenFile.toString()), 0)
                        .load()
                        .web()
                        .token())
                .isEqualTo("token-from-the-file-0123456789");
        assertThat(new ConfigLoader(Map.of(), CLOCK)
                        .web(parse(new WebOptions()), 0)
                        .load()
                        .web()
                        .token())
                .isNull();
        assertThat(new ConfigLoader(env, CLOCK)
                        .web(parse(new WebOptions()), -1)
                        .load()
                        .web())
                .as("no port, no server")
                .isNull();
    }

    @Test
    void a_command_run_with_a_fixed_clock_uses_it() throws Exception {
        Path out = dir.resolve("trail");
        assertThat(Main.run(
                        Map.of(),
                        CLOCK,
                        "generate",
                        "--out",
                        out.toString(),
                        "--days",
                        "1",
                        "--secrets",
                        "3",
                        "--events-per-day",
                        "20"))
                .isZero();
        Path truth;
        try (Stream<Path> files = Files.walk(out)) {
            truth = files.filter(p -> p.getFileName().toString().equals("truth.json"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(Files.readString(truth)).containsPattern("\"asOf\" *: *\"2026-11-21T12:00:00Z\"");
    }

    @Test
    void a_command_given_an_unknown_key_exits_with_a_usage_error() {
        assertThat(Main.run(Map.of(), CLOCK, "rules", "--set", "rotation.maxDay=30"))
                .isEqualTo(Main.USAGE);
        assertThat(Main.run(Map.of("SECRETTRAIL_SET", "rotation.maxDay=30"), CLOCK, "rules"))
                .isEqualTo(Main.USAGE);
    }

    @Test
    void analyze_given_an_invalid_team_name_exits_with_a_usage_error_before_reading_anything() {
        assertThat(Main.run(Map.of(), CLOCK, "analyze", "--trail", "missing", "--team", "pay ments"))
                .isEqualTo(Main.USAGE);
    }
}
