package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.snapshot.BatchEntryMatcher;
import io.secrettrail.analytics.snapshot.CallerKinds;
import io.secrettrail.analytics.snapshot.SelfCalls;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.OwnCalls;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the dashboard's rollups leave SecretTrail's own calls out of each secret's calls, errors and principals,
 * as the report does: the same calls (the snapshot's {@code self_calls}), counted once each as naming no secret; the
 * access ledger keeps them. Built batch by batch or rebuilt, and rebuilt when the writer's rule changes.
 */
class OwnCallsRollupsTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String OURS = SelfCallsTest.OURS;
    static final String SELF = role("secrettrail-reader");
    static final OwnCalls OWN = new SelfCalls(List.of(SELF)).ownCalls();

    @TempDir
    Path dir;

    /** Per secret name, the calls rollup_daily gives it (the dashboard's secrets list). */
    private static Map<String, Long> callsBySecret(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT k.name, coalesce(sum(r.calls), 0) FROM secret_keys k"
                        + " LEFT JOIN rollup_daily r ON r.secret_key = k.secret_key GROUP BY 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static long one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every rollup row (summed), for comparing an incremental build with a rebuild. */
    private static List<String> rollups(Connection c) throws SQLException {
        return io.secrettrail.analytics.store.RollupsTest.rows(
                c,
                "SELECT day, secret_key, principal, event_name, api_call, sum(calls), sum(events), sum(errors),"
                        + " min(first_seen), max(last_seen) FROM rollup_daily GROUP BY ALL ORDER BY ALL",
                "SELECT hour, secret_key, event_name, sum(calls), sum(errors) FROM rollup_hourly GROUP BY ALL ORDER BY ALL",
                "SELECT secret_key, principal, source_ip, user_agent, sum(calls), sum(errors) FROM rollup_clients"
                        + " GROUP BY ALL ORDER BY ALL",
                "SELECT day, secret_key, principal, event_name, sum(calls), sum(errors) FROM rollup_own_calls"
                        + " GROUP BY ALL ORDER BY ALL",
                "SELECT * FROM secret_keys ORDER BY ALL");
    }

    /** Ours (ListSecrets, DescribeSecret, GetResourcePolicy), and four that are not: value read, no marker, not listed, failed. */
    private static List<String> mixed(RuleFixture fx) throws Exception {
        return List.of(
                fx.call("ListSecrets", T0).by("secrettrail-reader").agent(OURS).json(),
                fx.call("DescribeSecret", T0.plusSeconds(1))
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret("prod/db")
                        .json(),
                fx.call("GetResourcePolicy", T0.plusSeconds(2))
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret("prod/db")
                        .json(),
                fx.call("GetSecretValue", T0.plusSeconds(3))
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret("prod/db")
                        .json(),
                fx.call("DescribeSecret", T0.plusSeconds(4))
                        .by("secrettrail-reader")
                        .secret("prod/db")
                        .json(),
                fx.call("DescribeSecret", T0.plusSeconds(5))
                        .by("attacker")
                        .agent(OURS)
                        .secret("prod/db")
                        .json(),
                fx.call("DescribeSecret", T0.plusSeconds(6))
                        .by("secrettrail-reader")
                        .agent(OURS)
                        .secret("prod/db")
                        .error("AccessDeniedException", "not authorized")
                        .json());
    }

    @Test
    void our_calls_count_once_as_naming_no_secret_the_ledger_keeps_them_and_a_rebuild_agrees() throws Exception {
        try (RuleFixture fx = new RuleFixture(null, OWN)) {
            fx.load(Path.of(
                    "..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "events.ndjson"));
            List<String> first = mixed(fx);
            fx.events(first);
            fx.events(first.subList(1, 3)); // delivered again in a later batch: no more calls
            fx.events(mixed(fx).subList(1, 2)); // a copy of a call of ours under a new id: another call
            List<String> incremental;
            try (Connection c = fx.reader()) {
                // prod/db: the value read, the unmarked call and the attacker's; not our four (one refused)
                assertThat(callsBySecret(c)).containsEntry("prod/db", 3L);
                assertThat(one(c, "SELECT sum(errors) FROM rollup_daily WHERE secret_key LIKE '%prod/db'"))
                        .isZero();
                assertThat(one(
                                c,
                                "SELECT count(DISTINCT principal) FROM rollup_daily WHERE secret_key LIKE '%prod/db'"))
                        .isEqualTo(2);
                // ours: once each, naming no secret, the refused one an error there
                assertThat(one(
                                c,
                                "SELECT sum(calls) FROM rollup_daily WHERE secret_key = '' AND principal = '" + SELF
                                        + "'"))
                        .isEqualTo(5);
                assertThat(one(
                                c,
                                "SELECT sum(errors) FROM rollup_daily WHERE secret_key = '' AND principal = '" + SELF
                                        + "'"))
                        .isEqualTo(1);
                assertThat(one(c, "SELECT sum(calls) FROM rollup_hourly WHERE secret_key = ''"))
                        .isEqualTo(one(c, "SELECT sum(calls) FROM rollup_daily WHERE secret_key = ''"));
                // the access ledger: every call of SecretTrail's principal on prod/db, ours included
                assertThat(one(
                                c,
                                "SELECT sum(calls) FROM rollup_clients WHERE secret_key LIKE '%prod/db' AND principal = '"
                                        + SELF + "'"))
                        .isEqualTo(6);
                // what SecretTrail's role needs, per secret: its describes and policy reads, the refused one not
                assertThat(one(
                                c,
                                "SELECT sum(calls) FROM rollup_own_calls WHERE secret_key LIKE '%prod/db' AND principal = '"
                                        + SELF + "'"))
                        .isEqualTo(4);
                incremental = rollups(c);
            }
            fx.store().compactRollups();
            try (Connection c = fx.reader()) {
                assertThat(rollups(c)).isEqualTo(incremental);
            }
            fx.store().rebuildRollups();
            try (Connection c = fx.reader()) {
                assertThat(rollups(c)).isEqualTo(incremental);
            }
        }
    }

    @Test
    void without_self_principals_our_marker_alone_leaves_nothing_out() throws Exception {
        try (RuleFixture fx = new RuleFixture(null, OwnCalls.NONE)) {
            fx.events(mixed(fx));
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 6L);
            }
        }
    }

    @Test
    void a_call_naming_no_caller_is_stored_and_counted_while_self_principals_are_set() throws Exception {
        try (RuleFixture fx = new RuleFixture(null, OWN)) {
            com.fasterxml.jackson.databind.node.ObjectNode anonymous =
                    (com.fasterxml.jackson.databind.node.ObjectNode) io.secrettrail.core.Json.mapper()
                            .readTree(fx.call("DescribeSecret", T0)
                                    .agent(OURS)
                                    .secret("prod/db")
                                    .json());
            anonymous.remove("userIdentity");
            fx.events(List.of(anonymous.toString()));
            try (Connection c = fx.reader()) {
                assertThat(one(c, "SELECT count(*) FROM events")).isEqualTo(1);
                assertThat(callsBySecret(c)).containsEntry("prod/db", 1L);
            }
        }
    }

    @Test
    void secrettrails_role_still_needs_what_it_called_on_each_secret() throws Exception {
        String db = RuleFixture.arn("us-east-1", "prod/db");
        String gone = RuleFixture.arn("us-east-1", "prod/gone");
        try (RuleFixture fx = new RuleFixture(null, OWN)) {
            fx.inventory(db, null, false, T0.minusSeconds(86_400), null, null, null, null);
            fx.events(List.of(
                    fx.call("ListSecrets", T0)
                            .by("secrettrail-reader")
                            .agent(OURS)
                            .json(),
                    fx.call("DescribeSecret", T0.plusSeconds(1))
                            .by("secrettrail-reader")
                            .agent(OURS)
                            .secret(db)
                            .json(),
                    fx.call("GetResourcePolicy", T0.plusSeconds(2))
                            .by("secrettrail-reader")
                            .agent(OURS)
                            .secret(db)
                            .json(),
                    fx.call("DescribeSecret", T0.plusSeconds(3))
                            .by("secrettrail-reader")
                            .agent(OURS)
                            .secret(gone)
                            .json()));
            try (Connection c = fx.reader()) {
                // a secret only our calls name (left the inventory, say) is still one of the dashboard's secrets
                List<String> named = io.secrettrail.analytics.store.RollupsTest.rows(
                        c, io.secrettrail.analytics.store.Sql.text("dashboard/event-secrets"));
                assertThat(named).contains(gone + "|", db + "|");
                String policy = new io.secrettrail.analytics.access.PolicyService(c)
                        .forPrincipal(SELF, T0.plusSeconds(3600), java.time.Duration.ofDays(30))
                        .json();
                Map<String, String> resourceOf = new TreeMap<>();
                io.secrettrail.core.Json.mapper()
                        .readTree(policy)
                        .get("Statement")
                        .forEach(st -> {
                            List<String> actions = new ArrayList<>();
                            if (st.get("Action").isArray()) {
                                st.get("Action").forEach(a -> actions.add(a.asText()));
                            } else {
                                actions.add(st.get("Action").asText());
                            }
                            actions.forEach(
                                    a -> resourceOf.put(a, st.get("Resource").toString()));
                        });
                assertThat(resourceOf)
                        .containsEntry("secretsmanager:ListSecrets", "\"*\"")
                        .containsEntry("secretsmanager:DescribeSecret", "[\"" + db + "\",\"" + gone + "\"]")
                        .containsEntry("secretsmanager:GetResourcePolicy", "\"" + db + "\"");
                // the secret's page: the roles that need it, SecretTrail's among them
                try (java.sql.PreparedStatement ps = c.prepareStatement(
                        io.secrettrail.analytics.store.Sql.text("dashboard/secret-needed-actions"))) {
                    ps.setString(1, db);
                    ps.setObject(2, null);
                    ps.setObject(3, null);
                    List<String> roles = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            roles.add(rs.getString(1) + " " + rs.getString(2));
                        }
                    }
                    assertThat(roles)
                            .containsExactly(
                                    SELF + " ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy']");
                }
            }
        }
    }

    @Test
    void the_rollups_follow_the_writers_rule_rebuilt_when_it_changes_and_kept_by_other_openers() throws Exception {
        Path file = dir.resolve("own.duckdb");
        try (RuleFixture fx = new RuleFixture(file, OWN)) {
            fx.events(mixed(fx));
            List<String> built;
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 3L);
                built = rollups(c);
            }
            // a reader's open (export, access) keeps the rule and the rollups (a row no rebuild would write stays),
            // and a write through it follows the rule too
            try (Connection c = fx.reader();
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO rollup_hourly VALUES (TIMESTAMP '2000-01-01 00:00:00', 'sentinel', 'X', 1, 0)");
                c.commit();
            }
            fx.restart(null);
            try (Connection c = fx.reader()) {
                assertThat(one(c, "SELECT count(*) FROM rollup_hourly WHERE secret_key = 'sentinel'"))
                        .isEqualTo(1);
            }
            fx.events(mixed(fx).subList(1, 2));
            List<String> written;
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 3L);
                written =
                        rollups(c).stream().filter(r -> !r.contains("sentinel")).toList();
            }
            // self.principals removed: rebuilt, our calls count on the secret like any other
            fx.restart(OwnCalls.NONE);
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 7L);
                assertThat(one(c, "SELECT count(*) FROM rollup_hourly WHERE secret_key = 'sentinel'"))
                        .as("rebuilt")
                        .isZero();
                assertThat(one(c, "SELECT count(*) FROM rollup_own_calls")).isZero();
            }
            fx.restart(null);
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 7L);
            }
            // and named again: rebuilt back, equal to the rollups built batch by batch (our later copy added)
            fx.restart(OWN);
            try (Connection c = fx.reader()) {
                assertThat(callsBySecret(c)).containsEntry("prod/db", 3L);
                assertThat(rollups(c)).isEqualTo(written).isNotEqualTo(built);
            }
        }
    }

    @Test
    void the_rollups_own_exactly_the_calls_the_snapshot_leaves_out_whatever_the_user_agent() throws Exception {
        // one secret per user agent, so that each secret's count says whether the rollups took its call for ours
        List<String> agents = List.of(
                OURS,
                "secrettrail/0.1.0",
                "aws-cli/2.15.0 secrettrail/1",
                "aws-cli/2.15.0\tsecrettrail/1",
                "aws-cli/2.15.0\u000Bsecrettrail/1", // Java's \s has the vertical tab, RE2's does not
                "aws-cli/2.15.0\u00A0secrettrail/1", // no-break space: \s in neither
                "aws-cli/2.15.0\u2003secrettrail/1",
                "aws-cli/2.15.0 secrettrail/",
                "aws-cli/2.15.0 xsecrettrail/1",
                "aws-cli/2.15.0 SecretTrail/1",
                "[secrettrail/1]",
                "aws-sdk-java/2.25.0",
                "");
        try (RuleFixture fx = new RuleFixture(null, OWN)) {
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                calls.add(fx.call("DescribeSecret", T0.plusSeconds(i))
                        .by("secrettrail-reader")
                        .agent(agents.get(i))
                        .secret("prod/ua" + i)
                        .json());
            }
            fx.events(calls);
            TreeSet<String> bySnapshot = new TreeSet<>();
            TreeSet<String> byRollups = new TreeSet<>();
            try (Connection c = fx.reader()) {
                Snapshot.at(c, T0.plusSeconds(3600), BatchEntryMatcher.defaults(), new SelfCalls(List.of(SELF)));
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT es.name FROM self_calls JOIN event_secrets es USING (event_id)")) {
                    while (rs.next()) {
                        bySnapshot.add(rs.getString(1));
                    }
                }
                callsBySecret(c).forEach((name, n) -> {
                    if (n == 0) {
                        byRollups.add(name);
                    }
                });
            }
            assertThat(byRollups).isEqualTo(bySnapshot).contains("prod/ua0", "prod/ua1", "prod/ua4");
            assertThat(byRollups).doesNotContain("prod/ua5", "prod/ua8", "prod/ua9", "prod/ua11", "prod/ua12");
            // the rebuild tries the marker in Java too
            fx.store().rebuildRollups();
            try (Connection c = fx.reader()) {
                TreeSet<String> rebuilt = new TreeSet<>();
                callsBySecret(c).forEach((name, n) -> {
                    if (n == 0) {
                        rebuilt.add(name);
                    }
                });
                assertThat(rebuilt).isEqualTo(bySnapshot);
            }
        }
        for (String agent : agents) {
            assertThat(CallerKinds.standard().classify(agent, null).kind().equals(SelfCalls.kind()))
                    .as(agent)
                    .isEqualTo(java.util.regex.Pattern.compile(
                                    CallerKinds.standard().ownMarker())
                            .matcher(agent)
                            .find());
        }
    }
}
