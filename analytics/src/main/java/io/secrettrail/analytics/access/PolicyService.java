package io.secrettrail.analytics.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Least-privilege IAM policies from what a principal really did: exactly the Secrets Manager
 * actions it used successfully, on exactly the secrets it used them on. Actions that name no
 * secret (ListSecrets, GetRandomPassword, BatchGetSecretValue itself) get {@code "Resource": "*"}; a
 * batch also needs GetSecretValue on each secret it returned, and a batch by filters ListSecrets.
 * A secret known only by name gets its ARN with AWS's {@code -??????} suffix wildcard.
 */
public final class PolicyService {
    /** AWS's limit for a managed policy, counted without whitespace. */
    public static final int MAX_POLICY_CHARS = 6144;

    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    private static final Set<String> NO_RESOURCE = Set.of("ListSecrets", "GetRandomPassword", "BatchGetSecretValue");

    private final Connection conn;

    public PolicyService(Connection conn) {
        this.conn = conn;
    }

    /** How far resources had to be widened to fit the limit. */
    public enum Grouping {
        /** exactly the secrets used */
        NONE,
        /** names with a path grouped under their first segment ({@code prod/*}) */
        PATH,
        /** what still did not fit: every secret of the account and region ({@code secret:*}) */
        REGION
    }

    /** The policy, and how its resources were widened to fit. */
    public record Policy(String json, Grouping grouping, int chars) {
        public boolean grouped() {
            return grouping != Grouping.NONE;
        }
    }

    public Policy forPrincipal(String principal, Instant asOf, Duration lookback) throws SQLException {
        Map<String, Set<String>> byAction = new TreeMap<>();
        // From the rollups (whole UTC days): a (day, secret, principal, action) row with fewer
        // errors than calls had at least one successful call.
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("access/principal-actions"))) {
            ps.setString(1, principal);
            ps.setTimestamp(2, ts(asOf.minus(lookback)));
            ps.setTimestamp(3, ts(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String action = rs.getString(1);
                    String arn = rs.getString(2);
                    if (NO_RESOURCE.contains(action) || arn == null) {
                        byAction.computeIfAbsent(action, a -> new TreeSet<>()).add("*");
                        if (action.equals("BatchGetSecretValue") && arn != null) {
                            // Batch reads need GetSecretValue on each secret they return.
                            byAction.computeIfAbsent("GetSecretValue", a -> new TreeSet<>())
                                    .add(resource(arn, rs.getBoolean(3)));
                        } else if (action.equals("BatchGetSecretValue")) {
                            // A batch by filters names no secret: AWS needs ListSecrets to run the filter; the
                            // secrets it returned show as the GetSecretValue entries it generated.
                            byAction.computeIfAbsent("ListSecrets", a -> new TreeSet<>())
                                    .add("*");
                        }
                    } else {
                        byAction.computeIfAbsent(action, a -> new TreeSet<>()).add(resource(arn, rs.getBoolean(3)));
                    }
                }
            }
        }
        String exact = document(byAction);
        if (chars(exact) <= MAX_POLICY_CHARS) {
            return new Policy(exact, Grouping.NONE, chars(exact));
        }
        Map<String, Set<String>> byPath = group(byAction);
        String path = document(byPath);
        if (chars(path) <= MAX_POLICY_CHARS) {
            return new Policy(path, Grouping.PATH, chars(path));
        }
        // Widen the largest groups first, one account and region at a time, until it fits.
        Map<String, Set<String>> widened = byPath;
        String doc = path;
        for (String scope : scopesBySize(byPath)) {
            widened = widen(widened, scope);
            doc = document(widened);
            if (chars(doc) <= MAX_POLICY_CHARS) {
                break;
            }
        }
        return new Policy(doc, Grouping.REGION, chars(doc));
    }

    /** Account-and-region scopes ({@code arn:...:region:account:secret:}), most resources first. */
    private static List<String> scopesBySize(Map<String, Set<String>> byAction) {
        Map<String, Integer> count = new TreeMap<>();
        byAction.values()
                .forEach(rs -> rs.forEach(r -> {
                    int secret = r.indexOf(":secret:");
                    if (secret >= 0) {
                        count.merge(r.substring(0, secret + ":secret:".length()), 1, Integer::sum);
                    }
                }));
        List<String> scopes = new ArrayList<>(count.keySet());
        scopes.sort(Comparator.comparing((String k) -> -count.get(k)).thenComparing(k -> k));
        return scopes;
    }

    private static Map<String, Set<String>> widen(Map<String, Set<String>> byAction, String scope) {
        Map<String, Set<String>> out = new TreeMap<>();
        byAction.forEach((action, resources) -> {
            Set<String> g = new TreeSet<>();
            for (String r : resources) {
                g.add(r.startsWith(scope) ? scope + "*" : r);
            }
            out.put(action, g);
        });
        return out;
    }

    /** The inverse view: which principals used the secret in the lookback before the snapshot's asOf, with which actions. */
    public Map<String, Set<String>> principalsOf(Snapshot snapshot, String secretArn, Duration lookback)
            throws SQLException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (PreparedStatement ps = snapshot.connection().prepareStatement(Sql.text("access/secret-principals"))) {
            ps.setTimestamp(1, snapshot.asOfTimestamp());
            ps.setString(2, secretArn);
            ps.setTimestamp(3, ts(snapshot.asOf().minus(lookback)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), p -> new TreeSet<>()).add("secretsmanager:" + rs.getString(2));
                }
            }
        }
        return out;
    }

    static String resource(String arn, boolean resolved) {
        return resolved ? arn : arn + "-??????";
    }

    /**
     * One statement per set of resources, with every action used on exactly that set; actions and
     * resources sorted: stable output, easy to review.
     */
    static String document(Map<String, Set<String>> byAction) {
        Map<Set<String>, Set<String>> actionsByResources = new LinkedHashMap<>();
        byAction.forEach((action, resources) -> actionsByResources
                .computeIfAbsent(resources, k -> new TreeSet<>())
                .add(action));
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        for (var e : actionsByResources.entrySet()) {
            ObjectNode st = statements.addObject();
            st.put("Sid", String.join("", e.getValue()).replaceAll("[^A-Za-z0-9]", ""));
            st.put("Effect", "Allow");
            if (e.getValue().size() == 1) {
                st.put("Action", "secretsmanager:" + e.getValue().iterator().next());
            } else {
                ArrayNode a = st.putArray("Action");
                e.getValue().forEach(x -> a.add("secretsmanager:" + x));
            }
            if (e.getKey().size() == 1) {
                st.put("Resource", e.getKey().iterator().next());
            } else {
                ArrayNode r = st.putArray("Resource");
                e.getKey().forEach(r::add);
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resources grouped by the path prefix of the name ({@code prod/db-x} under {@code prod/*}). */
    static Map<String, Set<String>> group(Map<String, Set<String>> byAction) {
        Map<String, Set<String>> out = new TreeMap<>();
        byAction.forEach((action, resources) -> {
            Set<String> g = new TreeSet<>();
            for (String r : resources) {
                int secret = r.indexOf(":secret:");
                int slash = secret < 0 ? -1 : r.indexOf('/', secret);
                // A name without a path stays exact: widening it would grant every secret of the account.
                g.add(slash < 0 ? r : r.substring(0, slash + 1) + "*");
            }
            out.put(action, g);
        });
        return out;
    }

    static int chars(String json) {
        return json.replaceAll("\\s", "").length();
    }

    private static Timestamp ts(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
}
