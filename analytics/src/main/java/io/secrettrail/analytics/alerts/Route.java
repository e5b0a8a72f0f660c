package io.secrettrail.analytics.alerts;

import java.util.List;
import java.util.Set;

/**
 * Which alerts a webhook takes by whom they concern ({@code webhook.NAME.teams}, {@code .accounts}, {@code .tags}),
 * beside its rules and minimum severity. Each filter left empty takes every alert; those set must all match.
 *
 * <ul>
 *   <li>teams: the team owning the alert's secret; an alert whose secret no team owns (or that concerns a principal,
 *       not a secret) is team {@code unowned}, so a teams filter takes it only when it lists {@code unowned};
 *   <li>accounts: the 12-digit account of the alert;
 *   <li>tags: {@code key=value} (that tag with that value) or {@code key} (that tag, any value) on the alert's
 *       secret, from the inventory; an alert with no tagged secret matches no tags filter.
 * </ul>
 */
public record Route(Set<String> teams, Set<String> accounts, Set<String> tags) {
    /** The team of what no team owns: the ownership resolution's name for it. */
    static final String UNOWNED = io.secrettrail.analytics.snapshot.Ownership.unowned();

    public static final Route ANY = new Route(Set.of(), Set.of(), Set.of());

    /** What a route sees of one alert. @param team null when no team owns it */
    public record Subject(String team, String account, List<String> tags) {
        public static final Subject NONE = new Subject(null, null, List.of());

        /** The team as routes and digests name it: {@code unowned} when none. */
        public String teamName() {
            return team == null || team.isBlank() ? UNOWNED : team;
        }
    }

    /** Whether the route takes an alert about this subject. */
    public boolean matches(Subject s) {
        return (teams.isEmpty() || teams.contains(s.teamName()))
                && (accounts.isEmpty() || (s.account() != null && accounts.contains(s.account())))
                && (tags.isEmpty() || s.tags().stream().anyMatch(t -> tags.contains(t) || tags.contains(key(t))));
    }

    /** Whether it looks past rule and severity at all (the subjects are read only for such routes). */
    public boolean any() {
        return teams.isEmpty() && accounts.isEmpty() && tags.isEmpty();
    }

    private static String key(String tag) {
        int eq = tag.indexOf('=');
        return eq < 0 ? tag : tag.substring(0, eq);
    }
}
