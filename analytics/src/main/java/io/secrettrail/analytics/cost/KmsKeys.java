package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which KMS key each secret uses and how many KMS requests were made for it, up to a moment, as
 * {@code sql/kms/secret-keys.sql} defines them (the snapshot's {@code secret_kms_keys} is the same query, so the
 * cmk-required rule judges the key the bill charges): the key its latest KMS request names, else its inventory's
 * {@code KmsKeyId}, else {@link #AWS_MANAGED} for an inventoried secret without one (Secrets Manager's default),
 * else unknown (null).
 *
 * <p>A key is customer managed when it is the key of an inventoried secret whose {@code KmsKeyId} names one other
 * than {@code aws/secretsmanager}; every other key is taken for the AWS managed one (no monthly fee). The events
 * alone cannot tell: both kinds appear as {@code arn:aws:kms:...:key/...} in {@code resources}.
 */
public final class KmsKeys {
    /** The AWS managed key Secrets Manager encrypts with when a secret names none. */
    static final String AWS_MANAGED = "alias/aws/secretsmanager";

    /** {@value #AWS_MANAGED}: a method, so that no class copies the text in (see ArchitectureTest). */
    public static String awsManaged() {
        return AWS_MANAGED;
    }

    /** One inventoried secret: its account and region, its {@code KmsKeyId} (null: none), when it stopped being billed. */
    record Listed(String arn, String account, String region, String kmsKeyId, Instant created, Instant ended) {}

    private final Map<String, Long> requests;
    private final Map<String, String> keys;
    private final Set<String> covered;
    private final Map<String, Listed> listed;
    private final Set<String> customerManaged;
    private final Set<String> listedWithCustomerKey;

    private KmsKeys(
            Map<String, Long> requests,
            Map<String, String> keys,
            Set<String> customerManaged,
            Set<String> listedWithCustomerKey,
            Set<String> covered,
            Map<String, Listed> listed) {
        this.requests = requests;
        this.keys = keys;
        this.customerManaged = customerManaged;
        this.listedWithCustomerKey = listedWithCustomerKey;
        this.covered = covered;
        this.listed = listed;
    }

    /** The KMS requests and keys of the data up to {@code asOf} (inclusive, like a secret's calls). */
    public static KmsKeys at(Connection conn, Instant asOf) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("kms/secret-keys"))) {
            ps.setTimestamp(1, ts(asOf));
            return read(conn, asOf, ps);
        }
    }

    /** As {@link #at}, from the snapshot's {@code secret_kms_keys}: the same query, already run for its asOf. */
    public static KmsKeys of(Snapshot snapshot) throws SQLException {
        try (PreparedStatement ps = snapshot.connection().prepareStatement(Sql.text("kms/snapshot-keys"))) {
            return read(snapshot.connection(), snapshot.asOf(), ps);
        }
    }

    /** @param keys a statement whose rows are those of {@code sql/kms/secret-keys.sql} */
    private static KmsKeys read(Connection conn, Instant asOf, PreparedStatement keys) throws SQLException {
        Map<String, Long> requests = new HashMap<>();
        Map<String, String> keyOf = new HashMap<>();
        Set<String> customerManaged = new HashSet<>();
        Set<String> listedWithCustomerKey = new HashSet<>();
        try (ResultSet rs = keys.executeQuery()) {
            while (rs.next()) {
                String arn = rs.getString("arn");
                long n = rs.getLong("requests");
                if (n > 0) {
                    requests.put(arn, n);
                }
                String key = rs.getString("kms_key");
                if (key != null) {
                    keyOf.put(arn, key);
                    if (rs.getBoolean("customer_managed")) {
                        customerManaged.add(key);
                    }
                }
                if (rs.getBoolean("listed_customer_key")) {
                    listedWithCustomerKey.add(arn);
                }
            }
        }
        Set<String> covered = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("kms/covered"))) {
            ps.setTimestamp(1, ts(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    covered.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        Map<String, Listed> listed = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("kms/inventory-keys"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                listed.put(
                        rs.getString(1),
                        new Listed(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                instant(rs, 5),
                                instant(rs, 6)));
            }
        }
        return new KmsKeys(requests, keyOf, customerManaged, listedWithCustomerKey, covered, listed);
    }

    /**
     * The secret's KMS requests up to the moment, or null when the data holds no KMS request at all for its
     * account and region (the trail may not record KMS there: 0 would claim none were made).
     */
    public Long requests(String arn, String account, String region) {
        Long n = requests.get(arn);
        if (n != null) {
            return n;
        }
        return covered.contains(account + ":" + region) ? 0L : null;
    }

    /** Whether the data holds any KMS request at all up to the moment (else every KMS figure is unknown). */
    public boolean anyRequests() {
        return !covered.isEmpty();
    }

    /** The key the secret uses (see the class comment), or null when nothing says. */
    public String key(String arn) {
        return keys.get(arn);
    }

    /** Whether a key (as {@link #key} gives it) is customer managed, so bears a monthly fee. */
    public boolean customerManaged(String key) {
        return key != null && customerManaged.contains(key);
    }

    /** Whether the secret is inventoried with a customer managed key. */
    boolean listedWithCustomerKey(String arn) {
        return listedWithCustomerKey.contains(arn);
    }

    List<Listed> listed() {
        return List.copyOf(listed.values());
    }

    static Timestamp ts(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
