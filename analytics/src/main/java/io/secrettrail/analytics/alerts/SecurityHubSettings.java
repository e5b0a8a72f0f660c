package io.secrettrail.analytics.alerts;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Security Hub as a target of the alerts outbox, from settings:
 * <pre>
 * securityhub.enabled=true          (every alert transition as an ASFF finding; default false)
 * securityhub.region=eu-west-1      (where findings are imported; default us-east-1)
 * securityhub.minSeverity=medium    (alerts below it are not imported; default low)
 * </pre>
 * When enabled, {@link WebhookSettings} holds its {@link #target()} among the webhooks, so the ledger enqueues each
 * transition to it in the one outbox (clears included: they archive the finding); {@link SecurityHubDelivery}
 * imports those rows, the webhook deliverer leaves them alone. A bad setting fails at start, named.
 *
 * @param region the Security Hub region findings are imported into (and their ProductArn names)
 * @param minSeverity alerts below it are not imported
 */
public record SecurityHubSettings(String region, String minSeverity) {
    /** The keys this record claims. */
    public static final Set<String> KEYS =
            Set.of("securityhub.enabled", "securityhub.region", "securityhub.minSeverity");

    /** The outbox name, and the format, of the Security Hub target. */
    static final String TARGET = "securityhub";

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /** @return null when {@code securityhub.enabled} is off */
    public static SecurityHubSettings of(Map<String, String> settings) {
        if (!io.secrettrail.core.Setting.bool(settings, "securityhub.enabled", false)) {
            return null;
        }
        String region = settings.getOrDefault("securityhub.region", "us-east-1").strip();
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(
                    "securityhub.region: not an AWS region (eu-west-1, us-east-1), was " + region);
        }
        String min = settings.getOrDefault("securityhub.minSeverity", "low").strip();
        if (!WebhookConfig.SEVERITIES.contains(min)) {
            throw new IllegalArgumentException(
                    "securityhub.minSeverity: must be one of " + WebhookConfig.SEVERITIES + ", was " + min);
        }
        return new SecurityHubSettings(region, min);
    }

    /** The Security Hub target's name among the webhooks (its outbox rows and delivery log go by it). */
    public static String targetName() {
        return TARGET;
    }

    /** Whether a webhook is the Security Hub target (whose rows only {@link SecurityHubDelivery} delivers). */
    public static boolean isTarget(WebhookConfig w) {
        return w.format().equals(TARGET);
    }

    /** The outbox target: every rule, every route, clears included (an archived finding is how Security Hub resolves). */
    WebhookConfig target() {
        return new WebhookConfig(
                TARGET,
                URI.create("https://" + host(region) + "/findings/import"),
                TARGET,
                minSeverity,
                Set.of(),
                null,
                true,
                6000,
                Route.ANY);
    }

    /** Security Hub's endpoint host in a region. */
    public static String host(String region) {
        return "securityhub." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
    }
}
