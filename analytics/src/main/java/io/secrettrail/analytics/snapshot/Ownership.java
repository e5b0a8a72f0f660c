package io.secrettrail.analytics.snapshot;

import io.secrettrail.core.Setting;
import io.secrettrail.core.Text;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a secret's team and owner are found, from the {@code ownership.*} settings. In order: the team tag
 * ({@code ownership.teamTag}, default {@code team}) on the secret (a replica's primary's tags); else the longest
 * prefix of the secret's name among {@code ownership.prefix.<team>} (comma-separated prefixes such as
 * {@code prod/payments/}); else the secret's account ({@code ownership.account.<12 digits>=<team>}); else
 * {@link #unowned()}. A tag value that is not a team name, or is {@code unowned}, is no team and falls through. The
 * owner is the owner tag's value ({@code ownership.ownerTag}, default {@code owner}), when there is one.
 * {@code ownership.required} (default false) makes an unowned secret a posture failure (rule ownership-required).
 *
 * @param prefixes prefix to team (one prefix names one team)
 * @param accounts account id to team
 */
public record Ownership(
        String teamTag, String ownerTag, Map<String, String> prefixes, Map<String, String> accounts, boolean required) {

    /** A method, not a public constant: javac would copy a constant into its readers (see ArchitectureTest). */
    private static final String UNOWNED = "unowned";

    private static final String PREFIX = "ownership.";

    /** The team of a secret no tag, prefix or account places: a team of its own in every view. */
    public static String unowned() {
        return UNOWNED;
    }

    /** Where the settings live: every key under it is one of {@link #KEYS} or a prefix/account entry. */
    public static String prefix() {
        return PREFIX;
    }

    /** The fixed keys under {@link #prefix()}. */
    public static final Set<String> KEYS = Set.of("ownership.teamTag", "ownership.ownerTag", "ownership.required");

    private static final String PREFIX_KEY = "ownership.prefix.";
    private static final String ACCOUNT_KEY = "ownership.account.";

    /** A team name: what a tag value must look like to count as one (the SQL repeats it, see secret-owners.sql). */
    public static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** An AWS tag key: 1 to 128 characters, no control characters. */
    private static final Pattern TAG_KEY = Pattern.compile("[^\\p{Cntrl}]{1,128}");

    public static final Ownership DEFAULTS = new Ownership("team", "owner", Map.of(), Map.of(), false);

    public Ownership {
        prefixes = Map.copyOf(prefixes);
        accounts = Map.copyOf(accounts);
    }

    /**
     * Reads and validates the {@code ownership.*} settings; an unknown key, a bad team name, account or value fails
     * naming the key.
     */
    public static Ownership of(Map<String, String> settings) {
        Map<String, String> prefixes = new TreeMap<>();
        Map<String, String> accounts = new TreeMap<>();
        for (String k : new java.util.TreeSet<>(settings.keySet())) {
            if (!k.startsWith(PREFIX) || KEYS.contains(k)) {
                continue;
            }
            if (k.startsWith(PREFIX_KEY)) {
                String team = team(k, k.substring(PREFIX_KEY.length()));
                for (String p : Setting.list(settings, k)) {
                    String previous = prefixes.put(p, team);
                    if (previous != null && !previous.equals(team)) {
                        throw new IllegalArgumentException(k + ": prefix " + Text.visible(p)
                                + " is already ownership.prefix." + previous + "'s; a prefix names one team");
                    }
                }
            } else if (k.startsWith(ACCOUNT_KEY)) {
                String id = k.substring(ACCOUNT_KEY.length());
                if (!ACCOUNT.matcher(id).matches()) {
                    throw new IllegalArgumentException(
                            k + ": expected ownership.account.<12-digit account id>, was " + Text.visible(id));
                }
                accounts.put(id, team(k, settings.get(k).trim()));
            } else {
                throw new IllegalArgumentException(k + ": unknown ownership setting; known: "
                        + new java.util.TreeSet<>(KEYS) + ", ownership.prefix.<team>, ownership.account.<account id>");
            }
        }
        return new Ownership(
                tagKey(settings, "ownership.teamTag", "team"),
                tagKey(settings, "ownership.ownerTag", "owner"),
                prefixes,
                accounts,
                Setting.bool(settings, "ownership.required", false));
    }

    /**
     * Validates a team name given by a user ({@code analyze --team}, a dashboard filter): {@link #unowned()} is one.
     *
     * @param what what named it, for the message
     */
    public static String teamName(String what, String value) {
        if (value == null || !(value.equals(UNOWNED) || TEAM.matcher(value).matches())) {
            throw new IllegalArgumentException(what
                    + ": expected a team name (letters, digits, '.', '_', '-', up to 64,"
                    + " starting with a letter or digit) or unowned, was " + Text.visible(String.valueOf(value)));
        }
        return value;
    }

    private static String team(String key, String team) {
        if (!TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException(key + ": expected a team name (letters, digits, '.', '_', '-', up to 64,"
                    + " starting with a letter or digit), was " + Text.visible(team));
        }
        if (team.equals(UNOWNED)) {
            throw new IllegalArgumentException(
                    key + ": unowned is reserved for secrets no tag, prefix or account places");
        }
        return team;
    }

    private static String tagKey(Map<String, String> settings, String key, String fallback) {
        String v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        String t = v.trim();
        if (!TAG_KEY.matcher(t).matches()) {
            throw new IllegalArgumentException(
                    key + ": expected a tag key of 1 to 128 characters, was " + Text.visible(v));
        }
        return t;
    }
}
