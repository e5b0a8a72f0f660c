package io.secrettrail.analytics.rules;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Rule settings: a properties file ({@code rotation.maxDays=60}), overridden by flags. */
public final class RuleSettings {
    private RuleSettings() {}

    /** @param file a properties file, or null; @param flags win over the file */
    public static Map<String, String> load(Path file, Map<String, String> flags) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        }
        out.putAll(flags);
        return out;
    }
}
