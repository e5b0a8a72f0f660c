package io.secrettrail.generator;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Realistic, globally unique secret names. The templates cycle so that any set of eight or more
 * names contains each of {@code / + = . @ -}; uniqueness keeps plain-name references unambiguous.
 */
final class SecretNames {
    private static final String[] ENVS = {"prod", "staging", "dev", "qa"};
    private static final String[] TEAMS = {
        "payments", "billing", "search", "identity", "platform", "data", "mobile", "growth"
    };
    private static final String[] APPS = {
        "orders",
        "ledger",
        "checkout",
        "gateway",
        "catalog",
        "notifier",
        "auth",
        "reports",
        "etl",
        "web",
        "inventory",
        "pricing"
    };
    private static final String[] PURPOSES = {"token", "key", "creds", "password", "webhook"};

    private final Set<String> used = new HashSet<>();
    private int next;

    String next(SplittableRandom rng) {
        String env = ENVS[rng.nextInt(ENVS.length)];
        String team = TEAMS[rng.nextInt(TEAMS.length)];
        String app = APPS[rng.nextInt(APPS.length)];
        String purpose = PURPOSES[rng.nextInt(PURPOSES.length)];
        String base = switch (next++ % 8) {
            case 0 -> env + "/" + team + "/" + app + "/db-password";
            case 1 -> "svc." + app + "@" + team;
            case 2 -> "ci+" + app + "=" + purpose;
            case 3 -> "team-" + (char) ('a' + rng.nextInt(26)) + "/app-" + (1 + rng.nextInt(9));
            case 4 -> env + "/" + app + "/api-key";
            case 5 -> team + "." + app + "/oauth-client";
            case 6 -> "rds/" + env + "-" + app + "-cluster/master";
            default -> app + "_" + env + "_stripe-" + purpose;
        };
        String candidate = base;
        for (int k = 2; used.contains(candidate) || looksSuffixed(candidate); k++) {
            candidate = base + "-" + k;
        }
        used.add(candidate);
        return candidate;
    }

    /**
     * A name ending in "-" plus six alphanumerics reads like a full ARN's random suffix once put in
     * a partial ARN, which would make the expected resolution ambiguous; such names are avoided.
     */
    static boolean looksSuffixed(String name) {
        int dash = name.lastIndexOf('-');
        if (dash < 0 || name.length() - dash - 1 != 6) {
            return false;
        }
        for (int i = dash + 1; i < name.length(); i++) {
            if (!Character.isLetterOrDigit(name.charAt(i)) || name.charAt(i) > 'z') {
                return false;
            }
        }
        return true;
    }
}
