package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.store.Sql;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Tells what kind of client made a call (SecretTrail itself, a caching agent or library, infrastructure as code,
 * the console, the AWS CLI, an SDK, an AWS service, or unknown) from its user agent and {@code userIdentity.invokedBy}.
 * The rules are data, {@code callers/kinds.tsv}, tried in order, the first match winning; the file says
 * where each string comes from and why the order is what it is.
 *
 * <p>SQL does not repeat the rules: the snapshot classifies the distinct (user agent, invoking service)
 * pairs of its events once, into the temp table {@code caller_kinds(user_agent, invoked_by, kind, label)}
 * (NULLs stored as ''), which readers join with
 * {@code k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)}.
 *
 * <p>A user agent is whatever the caller chose to send: a kind describes a claim, never a proof.
 */
public final class CallerKinds {
    /** Every kind a rule can give, and {@code unknown}. */
    public static final Set<String> KINDS =
            Set.of("secrettrail", "caching", "iac", "console", "cli", "sdk", "aws-service", "unknown");

    private static final CallerKinds DEFAULT = load("/callers/kinds.tsv");
    private static final CallerKind UNKNOWN = new CallerKind("unknown", null);

    /** A kind and, when a rule named the client, its label ("Secrets Manager Agent", "SDK Go v2"). */
    public record CallerKind(String kind, String label) {}

    private record Row(CallerKind kind, boolean invokedBy, Pattern pattern) {}

    private final List<Row> rows;

    private CallerKinds(List<Row> rows) {
        this.rows = rows;
    }

    /** The rules shipped with SecretTrail. */
    public static CallerKinds standard() {
        return DEFAULT;
    }

    /**
     * The kind of a call.
     *
     * @param userAgent the event's userAgent, or null
     * @param invokedBy the AWS service that made the call ({@code userIdentity.invokedBy}), or null
     */
    public CallerKind classify(String userAgent, String invokedBy) {
        for (Row r : rows) {
            String value = r.invokedBy() ? invokedBy : userAgent;
            if (value != null && !value.isEmpty() && r.pattern().matcher(value).find()) {
                return r.kind();
            }
        }
        return UNKNOWN;
    }

    /**
     * The invoking service as the store keeps it: a principal key that is a service name rather than an ARN
     * is the event's {@code invokedBy} (see the event parser's principal key). Mirrored by the SQL macro
     * {@code caller_service}.
     */
    public static String serviceOf(String principal) {
        return principal != null && !principal.startsWith("arn:") && principal.endsWith(".amazonaws.com")
                ? principal
                : null;
    }

    /** Fills {@code caller_kinds} from the distinct callers of the events up to {@code asOf}. */
    static void build(Connection c, Timestamp asOf) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("snapshot/caller-service-macro"));
            s.execute(Sql.text("snapshot/caller-kinds-create"));
        }
        // Read them all before appending: the Appender writes on the same connection, which must not have a
        // result still streaming. As many rows as distinct user agents (one caller can send a new one on every
        // call), so the Appender, not a JDBC batch: a batch runs one INSERT per row, 30 s for 50,000 agents.
        List<String[]> callers = new ArrayList<>();
        try (PreparedStatement read = c.prepareStatement(Sql.text("snapshot/caller-kinds-distinct"))) {
            read.setTimestamp(1, asOf);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    callers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        try (DuckDBAppender put = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", "caller_kinds")) {
            for (String[] caller : callers) {
                CallerKind k = DEFAULT.classify(caller[0], caller[1]);
                put.beginRow()
                        .append(caller[0])
                        .append(caller[1])
                        .append(k.kind())
                        .append(k.label())
                        .endRow();
            }
        }
    }

    /**
     * The regular expression of SecretTrail's marker (the rule of kind {@code secrettrail}), for the store's rollups
     * ({@link io.secrettrail.analytics.store.OwnCalls}). It stands for {@link #classify} only because no rule on the
     * user agent comes before it, and the rules before it read {@code invokedBy}, which a principal SecretTrail runs
     * as (an IAM ARN) never has: checked here, so that reordering the file cannot make the two disagree.
     */
    public String ownMarker() {
        for (Row r : rows) {
            if (!r.invokedBy()) {
                if (!r.kind().kind().equals(SelfCalls.KIND)) {
                    throw new IllegalStateException(
                            "callers/kinds.tsv: the first userAgent rule must be SecretTrail's marker (kind "
                                    + SelfCalls.KIND + "), was " + r.kind().kind());
                }
                return r.pattern().pattern();
            }
        }
        throw new IllegalStateException("callers/kinds.tsv: no rule of kind " + SelfCalls.KIND);
    }

    static CallerKinds load(String resource) {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = CallerKinds.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("caller kinds not found on the classpath: " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4 || !KINDS.contains(f[0]) || !(f[2].equals("invokedBy") || f[2].equals("userAgent"))) {
                    throw new IllegalStateException(
                            resource + ":" + no + ": expected kind, label, invokedBy|userAgent, regex");
                }
                rows.add(new Row(new CallerKind(f[0], f[1]), f[2].equals("invokedBy"), Pattern.compile(f[3])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return new CallerKinds(List.copyOf(rows));
    }
}
