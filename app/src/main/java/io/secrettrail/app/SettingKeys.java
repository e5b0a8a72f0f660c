package io.secrettrail.app;

import io.secrettrail.analytics.alerts.SecurityHubSettings;
import io.secrettrail.analytics.alerts.WebhookSettings;
import io.secrettrail.analytics.export.ExportSettings;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.Parameter;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.analytics.store.StoreLimits;
import io.secrettrail.web.WebConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Who claims which setting. A key nobody claims is refused at start, named, with the nearest
 * known key: a typo in a rule threshold ({@code rotation.maxDay}) would otherwise leave the
 * default in force without a word. Keys under {@code aws.}, {@code webhook.} and {@code suppress.}
 * are checked by their owners ({@code AwsConfig}, {@code WebhookSettings}), whose messages list
 * their keys (and {@code price.region.} by {@code ReportSettings}, {@code ownership.} by {@code Ownership}), since theirs have parts (an account, a webhook's name) no fixed list holds.
 */
final class SettingKeys {
    private static final Set<String> OWNED_PREFIXES =
            Set.of("aws.", "webhook.", "suppress.", "digest.", Ownership.prefix());

    private SettingKeys() {}

    /**
     * Every fixed key: the rules' parameters, prices, the cache, the store's bounds, web, the OCSF file, Security Hub,
     * the Parquet export.
     */
    static Set<String> known(RuleCatalog rules) {
        Set<String> out = new TreeSet<>();
        for (Rule r : rules.all()) {
            for (Parameter p : r.parameters()) {
                out.add(p.name());
            }
        }
        out.addAll(ReportSettings.KEYS);
        out.addAll(StoreLimits.KEYS);
        out.addAll(WebConfig.KEYS);
        out.addAll(WebhookSettings.KEYS);
        out.addAll(SecurityHubSettings.KEYS);
        out.addAll(ExportSettings.KEYS);
        return out;
    }

    /**
     * @param origin where a key came from ({@code --set}, {@code SECRETTRAIL_SET} or the file), for the message
     * @throws IllegalArgumentException naming the first unclaimed key (in the settings' order)
     */
    static void check(Map<String, String> settings, RuleCatalog rules, UnaryOperator<String> origin) {
        Set<String> known = known(rules);
        for (String k : settings.keySet()) {
            // price.region.<region>.<price>: the region is open, the price names are checked by Prices
            if (known.contains(k)
                    || ReportSettings.regionalKey(k)
                    || OWNED_PREFIXES.stream().anyMatch(k::startsWith)) {
                continue;
            }
            String near = nearest(k, known);
            String what = k.startsWith("web.") ? "unknown web setting" : "unknown setting";
            throw new IllegalArgumentException(k + ": " + what + " (from " + origin.apply(k) + ")"
                    + (near == null
                            ? "; known: " + known
                                    + ", aws.*, webhook.NAME.*, suppress.NAME.*, digest.NAME.*, ownership.*"
                            : "; did you mean " + near + "?"));
        }
    }

    /** The known key closest to {@code key} by edit distance, ignoring case, or null when none is close. */
    static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
