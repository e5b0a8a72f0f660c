package io.secrettrail.analytics.snapshot;

import io.secrettrail.analytics.store.IndexMemory;
import io.secrettrail.analytics.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A {@link Snapshot} built in full as temporary tables of its connection: each relation from the events up
 * to asOf, in the order they depend on one another (batch_entries and read_refs read event_refs,
 * secret_facts reads read_refs, name_refs and billed_refs read secret_facts, self_calls reads caller_kinds and
 * billed_refs self_calls; secret_kms_keys reads the KMS requests and the inventory), after a checkpoint that frees
 * the memory of the store's indexes for them (see {@link IndexMemory}).
 */
record TempTableSnapshot(Connection connection, Instant asOf, BatchEntryMatcher matcher, SelfCalls self)
        implements Snapshot {

    static Snapshot build(Connection c, Instant asOf, BatchEntryMatcher matcher, SelfCalls self, boolean schedules)
            throws SQLException {
        TempTableSnapshot s = new TempTableSnapshot(c, asOf, matcher, self);
        Timestamp at = s.asOfTimestamp();
        IndexMemory.release(c);
        create(c, "snapshot/event-refs", at);
        create(c, "snapshot/batch-entries", at, matcher.matchSeconds());
        create(c, "snapshot/read-refs", at, matcher.matchSeconds());
        create(c, "snapshot/secret-facts", at);
        create(c, "snapshot/name-refs", at);
        // before self_calls, which reads the kinds
        CallerKinds.build(c, at);
        if (self.isEmpty()) {
            // the default: no pass over the events for a relation that must be empty
            try (PreparedStatement ps = c.prepareStatement(Sql.text("snapshot/self-calls-none"))) {
                ps.execute();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(Sql.text("snapshot/self-calls"))) {
                ps.setTimestamp(1, at);
                ps.setString(2, io.secrettrail.core.Json.array(self.principals()));
                ps.setString(3, io.secrettrail.core.Json.array(SelfCalls.ACTIONS));
                ps.setString(4, SelfCalls.KIND);
                ps.execute();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Sql.text("snapshot/billed-refs"))) {
            ps.execute();
        }
        // the cost model's key query itself (see KmsKeys), not a copy of it, so that a rule judges the billed key
        try (PreparedStatement ps =
                c.prepareStatement("CREATE OR REPLACE TEMP TABLE secret_kms_keys AS " + Sql.text("kms/secret-keys"))) {
            ps.setTimestamp(1, at);
            ps.execute();
        }
        try (Statement st = c.createStatement()) {
            st.execute(Sql.text("snapshot/kms-key-ref-macro"));
            st.execute(Sql.text("snapshot/kms-key-same-macro"));
            st.execute(Sql.text("snapshot/kms-key-qualified-macro"));
        }
        // a cron costs a walk of up to two Gregorian cycles: none unless a rule reads them
        RotationSchedules.build(c, at, schedules);
        PolicyStatements.build(c, at);
        // the default ownership, so ownership-required runs on any snapshot; a report builds it with its settings
        SecretOwners.build(c, Ownership.DEFAULTS);
        return s;
    }

    private static void create(Connection c, String sql, Timestamp at, long... more) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.text(sql))) {
            ps.setTimestamp(1, at);
            for (int i = 0; i < more.length; i++) {
                ps.setLong(i + 2, more[i]);
            }
            ps.execute();
        }
    }
}
