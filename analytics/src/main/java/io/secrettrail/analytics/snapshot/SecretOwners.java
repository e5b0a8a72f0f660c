package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the temp table {@code secret_owners (arn, name, team, owner, resolved_by, tag_value)} from a snapshot's
 * {@code secret_facts} and the inventory's tags, by {@link Ownership}'s order; readers (the report, the rules, the
 * dashboard) join it by ARN. Every snapshot builds it with {@link Ownership#DEFAULTS}, so that a rule reading it runs
 * anywhere; a report builds it again with the configured settings right after its snapshot.
 */
public final class SecretOwners {
    /** One secret's row. */
    public record Owner(String arn, String name, String team, String owner, String resolvedBy) {}

    private SecretOwners() {}

    /** Builds {@code secret_owners} on {@code conn}, which must hold a snapshot's {@code secret_facts}. */
    public static void build(Connection conn, Ownership ownership) throws SQLException {
        List<String> prefixes = new ArrayList<>(ownership.prefixes().keySet());
        List<String> prefixTeams =
                prefixes.stream().map(ownership.prefixes()::get).toList();
        List<String> accounts = new ArrayList<>(ownership.accounts().keySet());
        List<String> accountTeams =
                accounts.stream().map(ownership.accounts()::get).toList();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("ownership/secret-owners"))) {
            ps.setString(1, ownership.teamTag());
            ps.setString(2, ownership.ownerTag());
            ps.setString(3, Json.array(prefixes));
            ps.setString(4, Json.array(prefixTeams));
            ps.setString(5, Json.array(accounts));
            ps.setString(6, Json.array(accountTeams));
            ps.execute();
        }
    }

    /** What {@link #build} wrote, by ARN. */
    public static Map<String, Owner> read(Connection conn) throws SQLException {
        Map<String, Owner> out = new TreeMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("ownership/secret-owners-read"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(
                        rs.getString(1),
                        new Owner(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }
}
