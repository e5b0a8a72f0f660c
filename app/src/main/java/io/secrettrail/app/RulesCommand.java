package io.secrettrail.app;

import io.secrettrail.analytics.rules.Parameter;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists every rule with its metadata and the parameters in force. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "List the rules, their metadata and current parameters.")
public final class RulesCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    SettingsOptions settings;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        AppConfig config = ConfigLoader.of(main).settings(settings).load();
        print(config.report().rules(), config.report().ruleValues(), System.out);
        return 0;
    }

    static void print(RuleCatalog catalog, Map<String, Object> values, PrintStream out) {
        for (Rule r : catalog.all()) {
            out.printf("%s  [%s]  %s%n", r.id(), r.severity(), r.title());
            out.printf("  %s%n", r.description());
            out.printf("  runbook:   %s%n", r.runbook());
            out.printf("  reference: %s%n", r.reference());
            for (Parameter p : r.parameters()) {
                String range = p.allowed().isEmpty()
                        ? (p.min() == null ? "" : p.min().toPlainString()) + ".."
                                + (p.max() == null ? "" : p.max().toPlainString())
                        : String.join("|", p.allowed());
                out.printf(
                        "  %s = %s  (default %s, allowed %s) %s%n",
                        p.name(), values.get(p.name()), p.defaultValue(), range, p.description());
            }
            out.println();
        }
    }
}
