package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.store.OwnCalls;
import io.secrettrail.core.Setting;
import io.secrettrail.core.event.Principal;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The principals SecretTrail itself runs as, from the setting {@code self.principals} (comma-separated ARNs;
 * default none). A call is SecretTrail's own, and left out of counts, cost attribution and caller detections, only
 * when all three hold: its principal is one of these, its user agent carries SecretTrail's marker (caller kind
 * {@code secrettrail}), and it is one of {@link #ACTIONS}, the only Secrets Manager actions SecretTrail calls. The
 * marker alone only labels a call: any identity may send it, and a hostile one that did would otherwise hide from
 * the detections. A session ARN counts as its role, as the events are keyed ({@link Principal#keyOf}).
 *
 * @param principals the principal keys, sorted and distinct
 */
public record SelfCalls(List<String> principals) {
    public static final SelfCalls NONE = new SelfCalls(List.of());

    /**
     * What SecretTrail calls on Secrets Manager: its inventory's ListSecrets and DescribeSecret, and
     * GetResourcePolicy. It never reads a value, so a GetSecretValue from its principal is never its own.
     */
    public static final List<String> ACTIONS = List.of("DescribeSecret", "GetResourcePolicy", "ListSecrets");

    /** A method, not a public constant: javac would copy a constant into its readers (see ArchitectureTest). */
    static final String KIND = "secrettrail";

    private static final Pattern KEY =
            Pattern.compile("arn:aws(?:-[a-z-]+)?:iam::\\d{12}:(?:root|role/[^\\s*?,]+|user/[^\\s*?,]+)");

    public SelfCalls {
        principals = List.copyOf(new TreeSet<>(principals));
    }

    /** The user agent's caller kind that marks SecretTrail's calls (see callers/kinds.tsv). */
    public static String kind() {
        return KIND;
    }

    /** The same rule for the store's rollups (the dashboard's counts): these principals, actions and marker. */
    public OwnCalls ownCalls() {
        return isEmpty()
                ? OwnCalls.NONE
                : new OwnCalls(principals, ACTIONS, CallerKinds.standard().ownMarker());
    }

    public boolean isEmpty() {
        return principals.isEmpty();
    }

    /** Parses {@code self.principals}; a bad entry fails naming the setting and the entry. */
    public static SelfCalls of(Map<String, String> settings) {
        List<String> keys = new java.util.ArrayList<>();
        for (String entry : Setting.list(settings, "self.principals")) {
            String key = Principal.keyOf(entry);
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("self.principals: expected the ARN of a role, user or root"
                        + " (arn:aws:iam::ACCOUNT:role/NAME, :user/NAME, :root, or an assumed-role session ARN),"
                        + " no wildcards, was " + io.secrettrail.core.Text.visible(entry));
            }
            keys.add(key);
        }
        return new SelfCalls(keys);
    }
}
