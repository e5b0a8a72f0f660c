package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

import io.secrettrail.analytics.rules.RuleSettings;

/** --config FILE and repeatable --set key=value: rule thresholds, prices, webhooks and suppressions. */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings as Java properties: rule thresholds, prices, webhooks, suppressions (see the README).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting; wins over --config. Repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    Map<String, String> load() throws IOException {
        return RuleSettings.load(config, set);
    }
}
