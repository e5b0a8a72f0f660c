package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

import io.secrettrail.analytics.rules.RuleSettings;

/** --config FILE and repeatable --set key=value: rule thresholds, prices, webhooks and suppressions. */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SECRETTRAIL_CONFIG}",
            description = "Settings as Java properties: rule thresholds, prices, webhooks, suppressions, AWS sources (see the README)."
                    + " Default: $SECRETTRAIL_CONFIG.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting; wins over --config. Repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    /** The file, then $SECRETTRAIL_SET, then --set: each wins over the one before. */
    Map<String, String> load() throws IOException {
        return load(System.getenv("SECRETTRAIL_SET"));
    }

    /**
     * @param env settings from the environment (containers): {@code key=value} pairs separated by
     *     newlines or semicolons, e.g. {@code aws.s3.bucket=trail; aws.regions=us-east-1,eu-west-1}
     */
    Map<String, String> load(String env) throws IOException {
        Map<String, String> flags = new LinkedHashMap<>();
        if (env != null) {
            for (String pair : env.split("[;\\n]")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("SECRETTRAIL_SET: expected key=value pairs separated by ';' or newlines, found \""
                            + pair.strip() + "\"");
                }
                flags.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        flags.putAll(set);
        return RuleSettings.load(config, flags);
    }
}
