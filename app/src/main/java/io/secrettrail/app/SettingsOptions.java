package io.secrettrail.app;

import io.secrettrail.analytics.rules.RuleSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** --config FILE and repeatable --set key=value: rule thresholds, prices, webhooks and suppressions. */
final class SettingsOptions {
    static final String ENV_FILE = "SECRETTRAIL_CONFIG";
    static final String ENV_SET = "SECRETTRAIL_SET";

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Settings as Java properties: rule thresholds, prices, webhooks, suppressions, AWS sources (see the README)."
                            + " Default: $SECRETTRAIL_CONFIG.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting; wins over --config. Repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    /** Where each setting of the last {@link #load} came from, for the messages that name a bad one. */
    private final Map<String, String> origins = new LinkedHashMap<>();

    /** The file (--config, else $SECRETTRAIL_CONFIG), then $SECRETTRAIL_SET, then --set: each wins over the one before. */
    Map<String, String> load(Map<String, String> env) throws IOException {
        if (config == null && env.get(ENV_FILE) != null && !env.get(ENV_FILE).isBlank()) {
            config = Path.of(env.get(ENV_FILE));
        }
        return load(env.get(ENV_SET));
    }

    /**
     * @param env settings from the environment (containers): {@code key=value} pairs separated by
     *     newlines or semicolons, e.g. {@code aws.s3.bucket=trail; aws.regions=us-east-1,eu-west-1}
     */
    Map<String, String> load(String env) throws IOException {
        Map<String, String> flags = new LinkedHashMap<>();
        origins.clear();
        if (env != null) {
            for (String pair : env.split("[;\\n]")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "SECRETTRAIL_SET: expected key=value pairs separated by ';' or newlines, found \""
                                    + pair.strip() + "\"");
                }
                flags.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                origins.put(pair.substring(0, eq).strip(), "SECRETTRAIL_SET");
            }
        }
        flags.putAll(set);
        set.keySet().forEach(k -> origins.put(k, "--set"));
        return RuleSettings.load(config, flags);
    }

    /** "--set", "SECRETTRAIL_SET" or the config file, for a key of the last {@link #load}. */
    String origin(String key) {
        return origins.getOrDefault(key, config == null ? "defaults" : config.toString());
    }
}
