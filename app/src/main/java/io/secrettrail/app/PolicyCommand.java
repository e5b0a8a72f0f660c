package io.secrettrail.app;

import io.secrettrail.analytics.access.PolicyService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Prints the least-privilege IAM policy a principal needs, from what it did; or, for a secret,
 * which principals need it and for what. Reads {@code <work-dir>/secrettrail.duckdb} after analyze.
 */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description =
                "Least-privilege IAM policy for a principal (--principal ARN), or who needs a secret (--secret ARN).")
public final class PolicyCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--principal", paramLabel = "ARN", required = true)
        String principal;

        @Option(names = "--secret", paramLabel = "ARN", required = true)
        String secret;
    }

    @Option(
            names = "--days",
            defaultValue = "90",
            description = "Look back this many days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--as-of", paramLabel = "ISO-8601", description = "The end of the look-back (default: now).")
    String asOf;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        if (days < 1 || days > 3650) {
            throw new IllegalArgumentException("--days: must be 1..3650, was " + days);
        }
        Instant at = asOf == null ? main.clock().instant() : AnalyzeCommand.parseAsOf(asOf);
        AppConfig config = ConfigLoader.of(main).kafka(options).load();
        OneShot.policy(config, (service, c) -> {
            if (target.principal != null) {
                PolicyService.Policy p = service.forPrincipal(target.principal, at, Duration.ofDays(days));
                System.out.println(p.json());
                switch (p.grouping()) {
                    case PATH ->
                        System.err.printf(
                                "secrettrail: resources grouped by path prefix (prod/*) to fit the %,d-character"
                                        + " managed-policy limit (%,d characters now); review before use%n",
                                PolicyService.MAX_POLICY_CHARS, p.chars());
                    case REGION ->
                        System.err.printf(
                                "secrettrail: resources grouped by path prefix, then widened to every secret of an"
                                        + " account and region (secret:*), largest first, to fit the %,d-character managed-policy limit (%,d characters"
                                        + " now); this grants more than was used: split the principal's access or review before use%n",
                                PolicyService.MAX_POLICY_CHARS, p.chars());
                    case NONE -> {}
                }
            } else {
                Map<String, Set<String>> who = service.principalsOf(
                        io.secrettrail.analytics.snapshot.Snapshot.at(
                                c,
                                at,
                                config.report().batchMatcher(),
                                config.report().self(),
                                false),
                        target.secret,
                        Duration.ofDays(days));
                who.forEach((principal, actions) -> System.out.println(principal + "\t" + String.join(",", actions)));
                if (who.isEmpty()) {
                    System.out.println("(no principal used this secret in the last " + days + " days)");
                }
            }
            return null;
        });
        return 0;
    }
}
