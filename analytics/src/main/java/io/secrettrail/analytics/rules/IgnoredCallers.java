package io.secrettrail.analytics.rules;

import io.secrettrail.analytics.snapshot.CallerKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The (principal, caller kind) pairs that detections leave out, from the setting {@code detections.ignore}:
 * entries {@code kind:principal} separated by commas or spaces, e.g.
 * {@code caching:arn:aws:iam::111111111111:role/app, iac:arn:aws:iam::111111111111:role/deploy}. The kind is
 * one of {@link CallerKinds#KINDS} but {@link #REFUSED_KINDS}; the principal a key as the report shows it (a
 * whole role or user ARN, a root ARN, or an AWS service name). Default none: the kind comes from the user agent, which the caller chooses,
 * so listing a pair trusts whoever holds that principal's credentials not to forge it.
 */
public record IgnoredCallers(List<Pair> pairs) {
    /** One principal's calls of one kind. */
    public record Pair(String principal, String kind) {}

    public static final IgnoredCallers NONE = new IgnoredCallers(List.of());

    public IgnoredCallers {
        pairs = List.copyOf(pairs);
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /**
     * Kinds a caller has without trying: {@code unknown} is any user agent no rule knows (a random one),
     * {@code sdk} and {@code cli} what every AWS SDK and the AWS CLI send unchanged. Ignoring one of them
     * for a principal would ignore whoever holds its credentials, so they are refused. {@code secrettrail} too:
     * SecretTrail's own calls are set apart by {@code self.principals} (see SelfCalls), on its actions only.
     */
    static final java.util.Set<String> REFUSED_KINDS = java.util.Set.of("unknown", "sdk", "cli", "secrettrail");

    /** A whole ARN of an account: partition, service, region (may be empty), 12-digit account, resource. */
    private static final java.util.regex.Pattern ARN =
            java.util.regex.Pattern.compile("arn:aws(?:-[a-z-]+)?:[a-z0-9-]+:[a-z0-9-]*:\\d{12}:[^\\s:][^\\s]*");

    private static final java.util.regex.Pattern SERVICE =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]*\\.amazonaws\\.com");

    /** Parses {@code detections.ignore}; a bad entry fails naming the setting and the entry. */
    public static IgnoredCallers of(Map<String, String> settings) {
        String v = settings.get("detections.ignore");
        if (v == null || v.isBlank()) {
            return NONE;
        }
        List<Pair> out = new ArrayList<>();
        for (String entry : v.strip().split("[,\\s]+")) {
            int colon = entry.indexOf(':');
            String kind = colon < 0 ? "" : entry.substring(0, colon);
            String principal = colon < 0 ? "" : entry.substring(colon + 1);
            if (kind.equals(io.secrettrail.analytics.snapshot.SelfCalls.kind())) {
                throw new IllegalArgumentException(
                        "detections.ignore: kind secrettrail cannot be ignored: SecretTrail's"
                                + " own calls are left out by self.principals, on the actions SecretTrail calls only, was "
                                + entry);
            }
            if (REFUSED_KINDS.contains(kind)) {
                throw new IllegalArgumentException("detections.ignore: kind " + kind + " cannot be ignored: "
                        + (kind.equals("unknown")
                                ? "it is any user agent no rule knows, so a random one"
                                : "it is what the AWS " + (kind.equals("sdk") ? "SDKs send" : "CLI sends")
                                        + " unchanged")
                        + ", and ignoring it would ignore whoever holds the principal's credentials;"
                        + " name the client's own kind (caching, iac, console, aws-service), was " + entry);
            }
            if (!CallerKinds.KINDS.contains(kind)) {
                java.util.Set<String> allowed = new TreeSet<>(CallerKinds.KINDS);
                allowed.removeAll(REFUSED_KINDS);
                throw new IllegalArgumentException(
                        "detections.ignore: expected kind:principal with a kind among " + allowed + ", was " + entry);
            }
            if (!(ARN.matcher(principal).matches() || SERVICE.matcher(principal).matches())) {
                throw new IllegalArgumentException("detections.ignore: expected kind:principal with a principal "
                        + "ARN (arn:aws:iam::ACCOUNT:role/NAME, :user/NAME, :root) or an AWS service name, was "
                        + entry);
            }
            out.add(new Pair(principal, kind));
        }
        return new IgnoredCallers(out);
    }

    List<String> principals() {
        return pairs.stream().map(Pair::principal).toList();
    }

    List<String> kinds() {
        return pairs.stream().map(Pair::kind).toList();
    }
}
