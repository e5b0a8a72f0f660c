package io.secrettrail.analytics.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What the rules, the cost model and the access ledger read: the trail as it stood at {@link #asOf()}, as
 * relations visible on {@link #connection()} beside the store's tables and the shared views ({@code keymap},
 * {@code keymap_all}):
 * <ul>
 * <li>{@code event_refs} (event_id, arn, resolved): every (event, secret) pair of the events up to asOf,
 *     the secret under its final key, as the report resolves it;
 * <li>{@code batch_entries} (entry_id, batch_id, match): the {@code GetSecretValue} entries a
 *     {@code BatchGetSecretValue} generated, by {@link #matcher()}'s rules (see {@link BatchEntryMatcher});
 * <li>{@code read_refs} (event_id, arn, principal, event_time, source): every successful retrieval of a
 *     secret's value once, {@code source} telling a direct {@code GetSecretValue}, a generated one, or a
 *     listed secret a batch counts itself because the trail holds no entry for it;
 * <li>{@code secret_facts}: what is known of every secret at asOf, the inventory and the events together
 *     (created and deleted dates, last read, rotation, whether it is confirmed to exist, whether an
 *     inventory covers its account and region and so whether it exists: {@code secret_exists} true, false
 *     or NULL, when its storage is billed from, its primary);
 * <li>{@code billed_refs} (event_id, arn): the pairs of {@code event_refs} whose secret exists, the ones
 *     the cost model attributes calls to;
 * <li>{@code name_refs} (event_id, name, account, region): every (event, name) pair up to asOf whose name is
 *     never confirmed to exist, including the names the store does not track one by one;
 * <li>{@code secret_kms_keys} (arn, requests, event_key, kms_key_id, in_inventory, kms_key, key_source,
 *     listed_customer_key, customer_managed): the KMS key of every secret as the cost model defines it
 *     ({@code sql/kms/secret-keys.sql}), with the macros {@code kms_key_ref(k)}, {@code kms_key_same(a, b)} and
 *     {@code kms_key_qualified(k, secret_arn)} that compare two spellings of a key (key ARN and key id, alias ARN
 *     and alias name);
 * <li>{@code rotation_schedules} (arn, schedule, interval_minutes, interval_text, last_firing, problem): the
 *     longest gap each inventoried secret's rotation schedule leaves between two rotations, see
 *     {@link RotationSchedule};
 * <li>{@code policy_statements}: the Allow statements of every resource policy set up to asOf, see
 *     {@link PolicyStatements};
 * <li>{@code caller_kinds} (user_agent, invoked_by, kind, label): the kind of every distinct caller up to
 *     asOf, joined through the macro {@code caller_service(principal)}, see {@link CallerKinds};
 * <li>{@code self_calls} (event_id): SecretTrail's own calls, which counts, cost attribution and caller
 *     detections leave out, see {@link SelfCalls} (empty when {@code self.principals} is not set);
 * <li>{@code secret_owners} (arn, name, team, owner, resolved_by, tag_value): every secret of {@code secret_facts} with its
 *     team and owner, see {@link SecretOwners} (by {@link Ownership#DEFAULTS} until built again with settings).
 * </ul>
 *
 * <p>This is a contract about what the relations hold, not about how they are made: an implementation may
 * build them from all history or bring them up to date from the events that arrived since the last
 * snapshot. A reader therefore only reads them, never writes them, and assumes nothing of their row order.
 * Readers that must ignore events after asOf still filter {@code events} by {@code event_time <= asOf}.
 *
 * <p>A snapshot lives on its connection: taking another one on the same connection replaces it.
 */
public interface Snapshot {

    /** The instant the relations describe; events after it are not in them. */
    Instant asOf();

    /** The connection the relations are visible on (a reader connection of the owning process). */
    Connection connection();

    /** How {@code batch_entries} and {@code read_refs} were told apart ({@code batch.matchSeconds}). */
    BatchEntryMatcher matcher();

    /** Whose calls {@code self_calls} holds ({@code self.principals}). */
    SelfCalls self();

    /** {@link #asOf()} as a JDBC timestamp in UTC, the way the store keeps times. */
    default Timestamp asOfTimestamp() {
        return Timestamp.valueOf(LocalDateTime.ofInstant(asOf(), ZoneOffset.UTC));
    }

    /**
     * Builds the relations for {@code asOf} on {@code connection}, once; pass the snapshot to every reader
     * of the same report.
     */
    static Snapshot at(Connection connection, Instant asOf) throws SQLException {
        return at(connection, asOf, BatchEntryMatcher.defaults());
    }

    /** {@link #at(Connection, Instant)} with the configured {@code batch.matchSeconds}. */
    static Snapshot at(Connection connection, Instant asOf, BatchEntryMatcher matcher) throws SQLException {
        return at(connection, asOf, matcher, SelfCalls.NONE);
    }

    /** {@link #at(Connection, Instant, BatchEntryMatcher)} with SecretTrail's own principals ({@code self.principals}). */
    static Snapshot at(Connection connection, Instant asOf, BatchEntryMatcher matcher, SelfCalls self)
            throws SQLException {
        return at(connection, asOf, matcher, self, true);
    }

    /**
     * {@link #at(Connection, Instant, BatchEntryMatcher, SelfCalls)}, walking the rotation schedules into
     * {@code rotation_schedules} only when {@code rotationSchedules} (a rule judges them); else that table is empty.
     */
    static Snapshot at(
            Connection connection, Instant asOf, BatchEntryMatcher matcher, SelfCalls self, boolean rotationSchedules)
            throws SQLException {
        return TempTableSnapshot.build(connection, asOf, matcher, self, rotationSchedules);
    }
}
