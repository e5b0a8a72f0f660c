package io.secrettrail.analytics.access;

import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The access ledger: per (secret, principal), the API calls up to asOf, errors, first and last
 * seen, source IPs, user agents and caller kinds — complete, sorted by secret then principal, read from a {@link Snapshot}. Principals are keyed
 * as in the report (a role for its sessions). Filters take a secret's ARN or name, or a principal.
 */
public final class AccessService {
    private final int topClients;

    public AccessService() {
        this(io.secrettrail.analytics.store.StoreLimits.DEFAULT_TOP_CLIENTS);
    }

    /** @param topClients clients (source IP, user agent) listed per secret and principal, by calls; the rest are counted */
    public AccessService(int topClients) {
        this.topClients = topClients;
    }

    /** The whole ledger at the snapshot's asOf. */
    public List<AccessEntry> ledger(Snapshot snapshot) throws SQLException {
        return ledger(snapshot, null, null);
    }

    /**
     * @param secret a full or partial ARN or a name (matched against the secret's name), or null for all
     * @param principal a principal key (role or user ARN, ...), or null for all
     */
    public List<AccessEntry> ledger(Snapshot snapshot, String secret, String principal) throws SQLException {
        List<AccessEntry> out = new ArrayList<>();
        try (PreparedStatement ps = snapshot.connection().prepareStatement(Sql.text("access/ledger"))) {
            ps.setTimestamp(1, snapshot.asOfTimestamp());
            ps.setInt(2, topClients);
            ps.setString(3, secret);
            ps.setString(4, principal);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccessEntry(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            instant(rs, 5),
                            instant(rs, 6),
                            strings(rs.getArray(7)),
                            strings(rs.getArray(8)),
                            rs.getLong(9),
                            rs.getLong(10),
                            strings(rs.getArray(11))));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
