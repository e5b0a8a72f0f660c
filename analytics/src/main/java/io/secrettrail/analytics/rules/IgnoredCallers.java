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
 * one of {@link CallerKinds#KINDS}; the principal a key as the report shows it (a role or user ARN, a root
 * ARN, or an AWS service name). Default none: the kind comes from the user agent, which the caller chooses,
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
            if (!CallerKinds.KINDS.contains(kind)) {
                throw new IllegalArgumentException("detections.ignore: expected kind:principal with a kind among "
                        + new TreeSet<>(CallerKinds.KINDS) + ", was " + entry);
            }
            if (!(principal.startsWith("arn:") || principal.endsWith(".amazonaws.com"))) {
                throw new IllegalArgumentException("detections.ignore: expected kind:principal with a principal "
                        + "ARN or an AWS service name, was " + entry);
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
