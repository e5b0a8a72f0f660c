package io.secrettrail.analytics.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the resource policies of successful PutResourcePolicy calls, and each secret's current policy (read with
 * GetResourcePolicy or from a saved output; event_id {@code current:<ARN>}), into the snapshot's table
 * {@code policy_statements}, one row per Allow statement, so that a rule can judge them in SQL with
 * its own parameters. Only facts are extracted here; what is "public" is the rule's decision.
 *
 * <p>Columns: event_id, arn, stmt (1-based position), sid, grantees (VARCHAR[]: {@code *} for
 * everyone, a 12-digit account, or the principal as written when it names neither), actions,
 * org_restricted (a positive condition on aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceVpc
 * or aws:SourceVpce), condition_accounts (the accounts that account-bearing condition keys such as
 * aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn limit callers to, {@code *} for a
 * wildcard account; NULL when there is no such condition), error (why the policy could not be read;
 * then the row has stmt 0 and nothing else).
 *
 * <p>The policy may be logged as a JSON string (what CloudTrail writes) or an object (as some
 * normalised feeds do). Conditions with negated operators (StringNotEquals...), {@code ...IfExists}
 * or {@code Null} restrict nothing and are ignored.
 */
public final class PolicyStatements {
    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    /**
     * For a policy document: of a key given twice, the last would win here, while which one AWS evaluates is not
     * documented; a policy with "Principal": "*" first and a trusted account last must not read as trusted.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
            JSON.reader().with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ARN_ACCOUNT = Pattern.compile("arn:[^:]*:[^:]*:[^:]*:([^:]*):.*");
    private static final Set<String> ORG_KEYS = Set.of(
            "aws:principalorgid",
            "aws:principalorgpaths",
            "aws:sourceorgid",
            "aws:sourceorgpaths",
            "aws:sourcevpc",
            "aws:sourcevpce");
    private static final Set<String> ACCOUNT_KEYS =
            Set.of("aws:principalaccount", "aws:sourceaccount", "aws:sourceowner");
    private static final Set<String> ARN_KEYS = Set.of("aws:principalarn", "aws:sourcearn");

    /** One Allow statement, or (stmt 0) a policy that could not be read. */
    public record Row(
            int stmt,
            String sid,
            List<String> grantees,
            List<String> actions,
            boolean orgRestricted,
            List<String> conditionAccounts,
            String error) {}

    private PolicyStatements() {}

    /**
     * Fills {@code policy_statements} from the policies set up to {@code asOf} and the current ones read by then;
     * {@code event_refs} must be built.
     */
    static void build(Connection c, Timestamp asOf) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("snapshot/policy-statements-create"));
        }
        try (PreparedStatement read = c.prepareStatement(Sql.text("snapshot/policy-puts"));
                PreparedStatement insert = c.prepareStatement(Sql.text("snapshot/policy-statements-insert"))) {
            read.setTimestamp(1, asOf);
            read.setTimestamp(2, asOf);
            int n = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    for (Row row : parse(rs.getString(3))) {
                        insert.setString(1, rs.getString(1));
                        insert.setString(2, rs.getString(2));
                        insert.setInt(3, row.stmt());
                        insert.setString(4, row.sid());
                        insert.setString(5, list(row.grantees()));
                        insert.setString(6, list(row.actions()));
                        insert.setBoolean(7, row.orgRestricted());
                        insert.setString(8, row.conditionAccounts() == null ? null : list(row.conditionAccounts()));
                        insert.setString(9, row.error());
                        insert.addBatch();
                        n++;
                    }
                }
            }
            if (n > 0) {
                insert.executeBatch();
            }
        }
    }

    /**
     * The Allow statements of the policy a PutResourcePolicy record set.
     *
     * @param policyField the JSON of the record's {@code requestParameters.resourcePolicy} (the events column
     *     resource_policy), null when the record has none
     */
    public static List<Row> parse(String policyField) {
        JsonNode policy;
        try {
            JsonNode field = policyField == null
                    ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : JSON.readTree(policyField);
            if (field.isTextual()) {
                policy = STRICT.readTree(field.asText());
            } else if (field.isObject()) {
                policy = field;
            } else {
                return List.of(failure("requestParameters.resourcePolicy is "
                        + (field.isMissingNode() ? "missing" : field.getNodeType())));
            }
        } catch (JsonProcessingException e) {
            String repeated = repeatedKey(e);
            if (repeated != null) {
                return List.of(failure("the policy repeats the key \"" + repeated + "\""));
            }
            return List.of(failure("requestParameters.resourcePolicy is not valid JSON: " + e.getOriginalMessage()));
        }
        JsonNode statements = policy.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        } else {
            return List.of(failure("the policy has no Statement"));
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode st = list.get(i);
            if (!"Allow".equalsIgnoreCase(st.path("Effect").asText())) {
                continue;
            }
            List<String> grantees = st.has("NotPrincipal") ? List.of("*") : grantees(st.path("Principal"));
            if (grantees.isEmpty()) {
                continue; // a service principal only: the service acts for the account
            }
            List<String> actions = new ArrayList<>();
            strings(st.path("Action")).forEach(actions::add);
            strings(st.path("NotAction")).forEach(a -> actions.add("NotAction " + a));
            Set<String> accounts = null;
            boolean org = false;
            JsonNode cond = st.path("Condition");
            for (Iterator<Map.Entry<String, JsonNode>> ops = cond.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!restricts(op.getKey())) {
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                    Map.Entry<String, JsonNode> k = keys.next();
                    String key = k.getKey().toLowerCase(Locale.ROOT);
                    if (ORG_KEYS.contains(key)) {
                        org = true;
                    } else if (ACCOUNT_KEYS.contains(key) || ARN_KEYS.contains(key)) {
                        if (accounts == null) {
                            accounts = new LinkedHashSet<>();
                        }
                        for (String v : strings(k.getValue())) {
                            accounts.add(ACCOUNT_KEYS.contains(key) ? wildcard(v) : accountOfArn(v));
                        }
                    }
                }
            }
            out.add(new Row(
                    i + 1,
                    st.path("Sid").isTextual() ? st.path("Sid").asText() : null,
                    grantees,
                    actions,
                    org,
                    accounts == null ? null : List.copyOf(accounts),
                    null));
        }
        return out;
    }

    /** A condition operator that limits who matches: not negated, not ...IfExists, not Null. */
    static boolean restricts(String operator) {
        String op = operator.toLowerCase(Locale.ROOT);
        op = op.replaceFirst("^for(all|any)values:", "");
        return !op.endsWith("ifexists") && !op.contains("not") && !op.equals("null");
    }

    private static List<String> grantees(JsonNode principal) {
        Set<String> out = new LinkedHashSet<>();
        if (principal.isTextual()) {
            out.add(principal.asText().equals("*") ? "*" : principal.asText());
        } else if (principal.isObject()) {
            for (String p : strings(principal.path("AWS"))) {
                if (p.equals("*")) {
                    out.add("*");
                } else if (ACCOUNT.matcher(p).matches()) {
                    out.add(p);
                } else {
                    Matcher m = ARN_ACCOUNT.matcher(p);
                    out.add(m.matches() ? wildcard(m.group(1)) : p);
                }
            }
            // Service, Federated and CanonicalUser principals are the account's own services or
            // identity providers; they are not judged here.
        }
        return List.copyOf(out);
    }

    private static String accountOfArn(String arn) {
        Matcher m = ARN_ACCOUNT.matcher(arn);
        return m.matches() ? wildcard(m.group(1)) : "*";
    }

    private static String wildcard(String account) {
        return account.isEmpty() || account.contains("*") || account.contains("?") ? "*" : account;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static Row failure(String why) {
        return new Row(0, null, List.of(), List.of(), false, null, why);
    }

    /** The key a policy repeats, when that is why it was refused; else null. */
    private static String repeatedKey(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m != null
                && m.startsWith("Duplicate field")
                && e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
            try {
                return io.secrettrail.core.Text.visible(p.currentName(), 100);
            } catch (java.io.IOException | RuntimeException ignored) {
                return "?";
            }
        }
        return null;
    }

    /** A VARCHAR[] literal cast from JSON text: safe for any string, bound as a parameter. */
    private static String list(List<String> values) {
        return io.secrettrail.core.Json.array(values);
    }
}
