package io.secrettrail.app;

import io.secrettrail.analytics.alerts.Deliverer;
import io.secrettrail.analytics.alerts.WebhookConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./secrettrail webhook test NAME}: sends one test message now and says what came back. */
@Command(
        name = "webhook",
        mixinStandardHelpOptions = true,
        description = "Webhook tools: test NAME sends a test message to a configured webhook.")
public final class WebhookCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "test")
    String action;

    @Parameters(index = "1", paramLabel = "NAME", description = "the webhook (webhook.NAME.* in the config)")
    String name;

    @picocli.CommandLine.Mixin
    SettingsOptions settings;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("test")) {
            throw new IllegalArgumentException("webhook: the only action is test, was " + action);
        }
        AppConfig config = ConfigLoader.of(main).settings(settings).load();
        WebhookConfig w = config.webhooks().get(name);
        Deliverer.Attempt a = OneShot.testWebhook(config, w);
        if (a.error() == null) {
            System.out.printf(
                    "webhook %s (%s, %s): HTTP %d in %d ms%n",
                    w.name(), w.format(), w.maskedUrl(), a.status(), a.latencyMs());
            return 0;
        }
        System.out.printf(
                "webhook %s (%s, %s): failed after %d ms: %s%n",
                w.name(), w.format(), w.maskedUrl(), a.latencyMs(), a.error());
        return Main.FATAL;
    }
}
