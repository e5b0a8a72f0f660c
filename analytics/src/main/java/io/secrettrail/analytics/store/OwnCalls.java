package io.secrettrail.analytics.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.Json;
import io.secrettrail.core.event.CloudTrailEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which stored events are SecretTrail's own calls, as the rollups count them: the dashboard's per-secret calls, errors
 * and principals leave them out (they count once as calls naming no secret), its access ledger keeps them under their
 * principal. The same condition as the snapshot's {@code self_calls} (see the snapshot's {@code SelfCalls}, which
 * builds this): the principal is listed, the action is one SecretTrail calls, the caller is not a bare account, and
 * the user agent carries SecretTrail's marker.
 *
 * <p>The rollups are as good as the rule they were built with: the store keeps the rule's {@link #basis()} beside them
 * ({@code rollup_basis}, V018) and rebuilds them when a writer opens it with another.
 */
public final class OwnCalls {
    /** No principal listed: no call is SecretTrail's own (the default of {@code self.principals}). */
    public static final OwnCalls NONE = new OwnCalls(List.of(), List.of(), "");

    private final List<String> principals;
    private final List<String> actions;
    private final String marker;
    private final Set<String> principalSet;
    private final Set<String> actionSet;
    private final Pattern pattern;

    /**
     * @param principals principal keys as events carry them (a session ARN counts as its role)
     * @param actions the Secrets Manager actions SecretTrail calls
     * @param marker the regular expression (Java's) that finds SecretTrail's marker in a user agent
     */
    public OwnCalls(List<String> principals, List<String> actions, String marker) {
        this.principals = List.copyOf(new TreeSet<>(principals));
        this.actions = List.copyOf(new TreeSet<>(actions));
        this.marker = Objects.requireNonNull(marker);
        this.principalSet = Set.copyOf(this.principals);
        this.actionSet = Set.copyOf(this.actions);
        this.pattern = Pattern.compile(marker);
    }

    public boolean isEmpty() {
        return principals.isEmpty();
    }

    public List<String> principals() {
        return principals;
    }

    public List<String> actions() {
        return actions;
    }

    /** Whether the event is SecretTrail's own call. */
    public boolean owns(CloudTrailEvent e) {
        String principal = e.principal().key();
        // an event naming no caller has no key (Set.copyOf's contains refuses null)
        return principal != null
                && principalSet.contains(principal)
                && e.eventName() != null
                && actionSet.contains(e.eventName())
                && !"AWSAccount".equals(e.principal().type())
                && marked(e.userAgent());
    }

    /** Whether a user agent carries the marker (null carries nothing). */
    public boolean marked(String userAgent) {
        return userAgent != null && pattern.matcher(userAgent).find();
    }

    /** The rule as stored beside the rollups: equal rules, equal text. */
    public String basis() {
        var o = Json.mapper().createObjectNode();
        principals.forEach(o.putArray("principals")::add);
        actions.forEach(o.putArray("actions")::add);
        o.put("marker", marker);
        return o.toString();
    }

    /** The rule a {@link #basis()} stands for. */
    static OwnCalls ofBasis(String basis) {
        try {
            JsonNode n = Json.mapper().readTree(basis);
            return new OwnCalls(
                    texts(n.path("principals")),
                    texts(n.path("actions")),
                    n.path("marker").asText(""));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "rollup_basis: not the JSON this version writes: " + e.getOriginalMessage());
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnCalls other && other.basis().equals(basis());
    }

    @Override
    public int hashCode() {
        return basis().hashCode();
    }

    @Override
    public String toString() {
        return basis();
    }
}
