package io.secrettrail.app;

import io.secrettrail.ingest.TrailIngestor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code secrettrail} command. Exit codes: 0 done, 2 usage errors (bad flags, a trail path that
 * does not exist or holds no files), 1 fatal errors. Rejected records never fail a run.
 *
 * <p>The two things a process takes from the machine, its environment variables and the wall
 * clock, are read here and nowhere else, then handed to every subcommand (through
 * {@code @ParentCommand}), which turns options and environment into an {@link AppConfig} and
 * starts a {@link SecretTrailRuntime} with it.
 */
@Command(
        name = "secrettrail",
        mixinStandardHelpOptions = true,
        version = "secrettrail 0.1.0",
        description = "Audit and cost analyzer for AWS Secrets Manager, from CloudTrail events.",
        subcommands = {
            AnalyzeCommand.class,
            GenerateCommand.class,
            DemoCommand.class,
            AnalyticsCommand.class,
            BrokerCommand.class,
            RulesCommand.class,
            WebhookCommand.class,
            HealthCommand.class,
            ServeCommand.class,
            IngestCommand.class,
            AccessCommand.class,
            CostCommand.class,
            PolicyCommand.class,
            ExportCommand.class
        })
public final class Main {
    public static final int USAGE = 2;
    public static final int FATAL = 1;

    private final Map<String, String> env;
    private final Clock clock;

    Main(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** With this process's environment and the system clock. */
    public static int run(String... args) {
        return run(System.getenv(), Clock.systemUTC(), args);
    }

    /**
     * @param env the environment variables the commands see (tests pass their own)
     * @param clock "now" for every command: reports, access tokens, sources' schedules
     */
    static int run(Map<String, String> env, Clock clock, String... args) {
        Main main = new Main(env, clock);
        CommandLine cli = new CommandLine(main);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (isUsage(e)) {
                err.println("secrettrail: " + message(e));
                return USAGE;
            }
            err.println("secrettrail: fatal: " + message(e));
            if (env.get("SECRETTRAIL_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("secrettrail: (run again with SECRETTRAIL_DEBUG=1 to print the stack trace)");
            }
            return FATAL;
        });
        return cli.execute(args);
    }

    /** What the commands read from the environment: every variable is read through this map. */
    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    static boolean isUsage(Throwable e) {
        return e instanceof IllegalArgumentException
                || e instanceof TrailIngestor.NoTrailFilesException
                || e instanceof NoSuchFileException;
    }

    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        String m = e.getMessage();
        return m == null ? describe(e) : m;
    }

    /**
     * The exception's class and message, then each cause's: for exceptions whose own message says
     * nothing (an ArithmeticException inside a SQLException without a message).
     */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (b.length() > 0) {
                b.append("; caused by ");
            }
            b.append(
                    t.getClass().getSimpleName().isEmpty()
                            ? t.getClass().getName()
                            : t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }

    /** Creates the parent directory of an output file. */
    static void createParent(java.nio.file.Path out) throws IOException {
        if (out.getParent() != null) {
            java.nio.file.Files.createDirectories(out.getParent());
        }
    }
}
