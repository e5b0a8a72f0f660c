package io.secrettrail.analytics.alerts;

import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What routes and digests see of secrets: each one's inventory tags ({@code k=v}) and owning team. The team comes
 * from {@code secret_owners(arn, team, owner, resolved_by)} when that table is there (the ownership resolution);
 * without it every secret is {@code unowned}.
 */
public final class Subjects {
    private final Map<String, List<String>> tags;
    private final java.util.function.Function<String, String> teams;

    private Subjects(Map<String, List<String>> tags, java.util.function.Function<String, String> teams) {
        this.tags = tags;
        this.teams = teams;
    }

    public static final Subjects NONE = new Subjects(Map.of(), arn -> null);

    /**
     * The subjects of these secrets (ARNs; other resources are skipped by the queries), or of all when null.
     *
     * @param teamOf each secret's team (the report's ownership), or null to read {@code secret_owners} here
     */
    public static Subjects of(Connection c, Collection<String> arns, java.util.function.Function<String, String> teamOf)
            throws SQLException {
        String list = arns == null ? null : Json.mapper().valueToTree(arns).toString();
        Map<String, List<String>> tags = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/subject-tags"))) {
            ps.setString(1, list);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getString(1), tags(rs.getString(2)));
                }
            }
        }
        if (teamOf != null) {
            return new Subjects(tags, teamOf);
        }
        return new Subjects(tags, teams(c, list)::get);
    }

    /** Every owned secret's team (for digests, which cover all of a team's secrets). */
    public static Map<String, String> teams(Connection c) throws SQLException {
        return teams(c, null);
    }

    private static Map<String, String> teams(Connection c, String list) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement probe = c.prepareStatement(Sql.text("alerts/owners-present"));
                ResultSet rs = probe.executeQuery()) {
            if (!rs.next() || rs.getLong(1) == 0) {
                return out;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Sql.text("alerts/subject-teams"))) {
            ps.setString(1, list);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The subject of an alert on {@code resource} in {@code account}. */
    public Route.Subject of(String resource, String account) {
        return new Route.Subject(teams.apply(resource), account, tags.getOrDefault(resource, List.of()));
    }

    /** Inventory tags ({@code {"k":"v"}}) as {@code k=v}; an unreadable value (we wrote it) has none. */
    static List<String> tags(String json) {
        List<String> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            Json.mapper()
                    .readTree(json)
                    .fields()
                    .forEachRemaining(
                            e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
