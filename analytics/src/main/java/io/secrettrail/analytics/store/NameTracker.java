package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.secret.SecretRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * The secret keys the store tracks one by one, in memory beside {@code secret_keys}: every key stored,
 * and of those the ones never confirmed to exist, counted per account and region so that a flood of
 * made-up names stops being tracked by name at {@link StoreLimits#unconfirmedNames()} (see
 * {@code rollup_unknown_names}).
 */
final class NameTracker {
    private final DuckDBConnection conn;
    private final StoreLimits limits;
    /** Secret keys already in secret_keys. */
    private final Set<String> knownKeys = new HashSet<>();
    /** Of those, the keys never confirmed to exist, with their account and region (bounded by the cap). */
    private final Map<String, String> unconfirmed = new HashMap<>();

    private final Map<String, Integer> unconfirmedPerScope = new HashMap<>();

    NameTracker(DuckDBConnection conn, StoreLimits limits) {
        this.conn = conn;
        this.limits = limits;
    }

    /** The keys in secret_keys, which Rollups.append adds to as it writes new ones. */
    Set<String> knownKeys() {
        return knownKeys;
    }

    /** Reads both views from the tables. */
    void load() throws SQLException {
        knownKeys.clear();
        loadKnownKeys();
        loadUnconfirmed();
    }

    private void loadKnownKeys() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/secret-keys"))) {
            while (rs.next()) {
                knownKeys.add(rs.getString(1));
            }
        }
    }

    /** The tracked keys that no inventory entry and no successful event confirm. */
    private void loadUnconfirmed() throws SQLException {
        unconfirmed.clear();
        unconfirmedPerScope.clear();
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/unconfirmed-names"))) {
            while (rs.next()) {
                track(rs.getString(1), scope(rs.getString(2), rs.getString(3)));
            }
        }
    }

    /**
     * After a rollback: the in-memory views may hold keys of the rolled-back batch. A failure to reload is
     * added to {@code cause} when there is one, else thrown.
     */
    void reload(Exception cause) throws SQLException {
        knownKeys.clear();
        try {
            loadKnownKeys();
        } catch (SQLException reload) {
            if (cause == null) {
                throw reload;
            }
            cause.addSuppressed(reload);
        }
        try {
            loadUnconfirmed();
        } catch (SQLException reload) {
            if (cause == null) {
                throw reload;
            }
            cause.addSuppressed(reload);
        }
        conn.rollback();
    }

    private void track(String key, String scope) {
        unconfirmed.put(key, scope);
        unconfirmedPerScope.merge(scope, 1, Integer::sum);
    }

    private static String scope(String account, String region) {
        return (account == null ? "" : account) + '\u0000' + (region == null ? "" : region);
    }

    /** Whether this event shows that the secrets it names exist (the SQL twin: unconfirmed-names.sql). */
    static boolean confirms(CloudTrailEvent e) {
        return (!e.failed() && !"BatchGetSecretValue".equals(e.eventName())) || !e.isApiCall();
    }

    /**
     * The names of this batch's new pairs that are not tracked one by one: never confirmed (not in
     * the inventory, no successful event naming them, in this batch or before) and past the cap of
     * their account and region. Each maps to whether no pair of it was stored before.
     */
    Map<String, Boolean> untracked(Map<UUID, Batch.EventRow> pairs, Set<UUID> stored, Batch batch) throws SQLException {
        Set<String> confirmedNow = new HashSet<>();
        Map<String, SecretRef> candidates = new LinkedHashMap<>();
        for (var entry : pairs.entrySet()) {
            if (stored.contains(entry.getKey())) {
                continue;
            }
            SecretRef ref = entry.getValue().secret();
            if (confirms(entry.getValue().event())) {
                confirmedNow.add(ref.key());
            } else if (!knownKeys.contains(ref.key())) {
                candidates.putIfAbsent(ref.key(), ref);
            }
        }
        for (String k : confirmedNow) {
            String scope = unconfirmed.remove(k);
            if (scope != null) {
                unconfirmedPerScope.merge(scope, -1, Integer::sum);
            }
            candidates.remove(k);
        }
        List<SecretRef> past = new ArrayList<>();
        for (SecretRef ref : candidates.values()) {
            String scope = scope(ref.account(), ref.region());
            if (unconfirmedPerScope.getOrDefault(scope, 0) < limits.unconfirmedNames()) {
                track(ref.key(), scope);
            } else {
                past.add(ref);
            }
        }
        Map<String, Boolean> out = new HashMap<>();
        if (past.isEmpty()) {
            return out;
        }
        // Rare: only names past the cap are looked up, in the inventory (stored or in this batch).
        Set<String> listed = new HashSet<>();
        for (var i : batch.inventory.values()) {
            if (i != null) {
                listed.add(i.arn());
                listed.add(scope(i.account(), i.region()) + '\u0000' + i.name());
            }
        }
        Set<String> inInventory = new HashSet<>();
        Set<String> seenBefore = new HashSet<>();
        lookUp(past, inInventory, seenBefore);
        for (SecretRef r : past) {
            boolean listedNow =
                    listed.contains(r.key()) || listed.contains(scope(r.account(), r.region()) + '\u0000' + r.name());
            if (!inInventory.contains(r.key()) && !listedNow) {
                out.put(r.key(), !seenBefore.contains(r.key()));
            }
        }
        return out;
    }

    /** Which of these names the stored inventory lists, and which have a pair stored before. */
    private void lookUp(List<SecretRef> past, Set<String> inInventory, Set<String> seenBefore) throws SQLException {
        String[] keys = new String[past.size()];
        String[] accounts = new String[past.size()];
        String[] regions = new String[past.size()];
        String[] names = new String[past.size()];
        for (int i = 0; i < past.size(); i++) {
            SecretRef r = past.get(i);
            keys[i] = r.key();
            accounts[i] = r.account() == null ? "" : r.account();
            regions[i] = r.region() == null ? "" : r.region();
            names[i] = r.name() == null ? "" : r.name();
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/untracked-names"))) {
            ps.setArray(1, conn.createArrayOf("VARCHAR", keys));
            ps.setArray(2, conn.createArrayOf("VARCHAR", accounts));
            ps.setArray(3, conn.createArrayOf("VARCHAR", regions));
            ps.setArray(4, conn.createArrayOf("VARCHAR", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    (rs.getInt(2) == 0 ? inInventory : seenBefore).add(rs.getString(1));
                }
            }
        }
    }
}
