package io.secrettrail.app;

import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.core.Times;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Prints the access ledger of the DuckDB file in the work dir (after {@code analyze}) as a table:
 * who read a secret, or what a principal touched. The file must not be held by a running analytics.
 */
@Command(
        name = "access",
        mixinStandardHelpOptions = true,
        description =
                "Print the access ledger for a secret (ARN or name) or a principal (ARN), from <work-dir>/secrettrail.duckdb.")
public final class AccessCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Filter filter;

    static final class Filter {
        @Option(names = "--secret", paramLabel = "ARN|NAME", required = true)
        String secret;

        @Option(names = "--principal", paramLabel = "ARN", required = true)
        String principal;
    }

    @Option(names = "--as-of", paramLabel = "ISO-8601", description = "Ignore events after this time (default: now).")
    String asOf;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Instant at = asOf == null ? main.clock().instant() : AnalyzeCommand.parseAsOf(asOf);
        AppConfig config = ConfigLoader.of(main).kafka(options).load();
        print(OneShot.access(config, at, filter.secret, filter.principal), System.out);
        return 0;
    }

    /** A plain text table; every cell on one line (control characters shown as '?'). */
    static void print(List<AccessEntry> rows, PrintStream out) {
        out.printf(
                "%-70s %-60s %7s %7s %-20s %-20s %-16s %s%n",
                "SECRET",
                "PRINCIPAL",
                "CALLS",
                "ERRORS",
                "FIRST SEEN",
                "LAST SEEN",
                "CALLER KINDS",
                "SOURCE IPS / USER AGENTS");
        for (AccessEntry a : rows) {
            out.printf(
                    "%-70s %-60s %7d %7d %-20s %-20s %-16s %s / %s%n",
                    clean(a.secret()),
                    clean(a.principal()),
                    a.calls(),
                    a.errors(),
                    Times.format(a.firstSeen()),
                    Times.format(a.lastSeen()),
                    String.join(",", a.callerKinds()),
                    clean(String.join(",", a.sourceIps())),
                    clean(String.join(" | ", a.userAgents())));
        }
        if (rows.isEmpty()) {
            out.println("(no access recorded)");
        }
    }

    /** User agents are attacker-controlled: no terminal escape sequences reach the screen. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
