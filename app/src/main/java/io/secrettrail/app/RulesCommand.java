package io.secrettrail.app;

import io.secrettrail.analytics.rules.Parameter;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.rules.SigmaExport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists every rule with its metadata and the parameters in force, or exports the rules as Sigma rules. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "List the rules, their metadata and current parameters; or export them (--export sigma).")
public final class RulesCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    SettingsOptions settings;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Option(
            names = "--export",
            paramLabel = "FORMAT",
            description = "Instead of the list, the rules in FORMAT: sigma (the rules Sigma can express, as Sigma"
                    + " rules; the summary says which are exact, approximate or not expressible, and why).")
    String export;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "With --export: write one file per rule and README.md (the summary) into DIR, and print the"
                    + " summary. Default: the rules as one YAML stream on stdout, the summary on stderr.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (export != null && !export.equals("sigma")) {
            throw new IllegalArgumentException("--export: the one format is sigma, was " + export);
        }
        if (out != null && export == null) {
            throw new IllegalArgumentException("--out: only with --export sigma");
        }
        AppConfig config = ConfigLoader.of(main).settings(settings).load();
        if (export == null) {
            print(config.report().rules(), config.report().ruleValues(), System.out);
            return 0;
        }
        SigmaExport sigma = SigmaExport.of(config.report().rules());
        if (out == null) {
            System.out.print(sigma.documents());
            System.err.print(sigma.summary());
        } else {
            sigma.write(out);
            System.out.print(sigma.summary());
        }
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
