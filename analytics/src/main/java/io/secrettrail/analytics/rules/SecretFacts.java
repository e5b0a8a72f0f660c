package io.secrettrail.analytics.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.secrettrail.analytics.report.ReportService;

/**
 * Builds what rules read, as temporary tables and macros on the connection that built them:
 * <ul>
 * <li>{@code event_refs} (event_id, arn, resolved): every (event, secret) pair up to {@code asOf},
 *     references resolved as in the report;
 * <li>{@code secret_facts}: what is known of every secret at {@code asOf}, inventory and events together;
 * <li>{@code policy_statements}: the statements of every resource policy set, see {@link PolicyStatements};
 * <li>{@code name_refs} (event_id, name, account, region): every (event, name) pair up to {@code asOf} whose
 *     name is never confirmed to exist (not in {@code secret_facts} as confirmed), including the names
 *     the store does not track one by one;
 * <li>macros {@code span_text(from, to)} ("4 s", "9 min 59 s", "23 h 10 min") and
 *     {@code account_of(arn)}.
 * </ul>
 */
public final class SecretFacts {
    static final String FAILURES = "'RotationFailed', 'TestRotationFailed', 'RotationAbandoned'";
    /**
     * Events that show the secret they name exists: any successful call but BatchGetSecretValue
     * (which succeeds while listing ids that do not exist), and service events.
     */
    static final String CONFIRMS = "(e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall'";

    private SecretFacts() {}

    public static void build(Connection c, Instant asOf) throws SQLException {
        Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(asOf, ZoneOffset.UTC));
        try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE event_refs AS " + ReportService.REFS
                + " SELECT event_id, arn, resolved FROM refs")) {
            ps.setTimestamp(1, at);
            ps.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE OR REPLACE TEMP MACRO span_text(a, b) AS (
                        CASE WHEN epoch(b - a) < 60 THEN CAST(floor(epoch(b - a)) AS BIGINT) || ' s'
                             WHEN epoch(b - a) < 3600 THEN CAST(floor(epoch(b - a) / 60) AS BIGINT) || ' min'
                                 || CASE WHEN CAST(floor(epoch(b - a)) AS BIGINT) % 60 > 0
                                         THEN ' ' || CAST(floor(epoch(b - a)) AS BIGINT) % 60 || ' s' ELSE '' END
                             ELSE CAST(floor(epoch(b - a) / 3600) AS BIGINT) || ' h'
                                 || CASE WHEN CAST(floor(epoch(b - a) / 60) AS BIGINT) % 60 > 0
                                         THEN ' ' || CAST(floor(epoch(b - a) / 60) AS BIGINT) % 60 || ' min' ELSE '' END END)""");
            s.execute("CREATE OR REPLACE TEMP MACRO account_of(arn) AS nullif(split_part(arn, ':', 5), '')");
        }
        String sql = "CREATE OR REPLACE TEMP TABLE secret_facts AS WITH ev AS (SELECT * FROM events WHERE event_time <= ?),"
                + " refs AS (SELECT * FROM event_refs)" + """
                , stats AS (
                    SELECT r.arn,
                        min(e.event_time) AS first_seen,
                        max(e.event_time) AS last_seen,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name IN ('GetSecretValue', 'BatchGetSecretValue')) AS last_read,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RotationSucceeded') AS ev_rotation_succeeded,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name IN ('PutSecretValue', 'UpdateSecret')) AS ev_manual_change,
                        max(e.event_time) FILTER (WHERE e.event_name IN (%1$s)) AS last_rotation_failure,
                        arg_max(e.error_message, e.event_time) FILTER (WHERE e.event_name IN (%1$s)) AS last_rotation_failure_message,
                        arg_max(e.event_name, e.event_time) FILTER (WHERE e.event_name IN (%1$s)) AS last_rotation_failure_event,
                        min(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'CreateSecret') AS ev_created,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'DeleteSecret') AS ev_deleted,
                        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RestoreSecret') AS ev_restored,
                        count(*) FILTER (WHERE %2$s) AS confirming_events
                    FROM refs r JOIN ev e USING (event_id)
                    GROUP BY r.arn
                ),
                everything AS (SELECT arn FROM inventory UNION SELECT arn FROM stats),
                base AS (
                    SELECT a.arn, i.arn IS NOT NULL AS in_inventory,
                        split_part(a.arn, ':', 5) AS account, split_part(a.arn, ':', 4) AS region,
                        split_part(a.arn, ':', 7) AS resource_name,
                        coalesce(i.primary_region, split_part(a.arn, ':', 4)) AS primary_region,
                        i.rotation_enabled, i.last_rotated_date, i.next_rotation_date, i.last_accessed_date,
                        coalesce(i.created_date, s.ev_created) AS created_date,
                        coalesce(i.deleted_date,
                            CASE WHEN s.ev_deleted IS NOT NULL AND (s.ev_restored IS NULL OR s.ev_restored < s.ev_deleted)
                                 THEN s.ev_deleted END) AS deleted_date,
                        s.first_seen, s.last_seen, s.last_read, s.ev_rotation_succeeded, s.ev_manual_change,
                        s.last_rotation_failure, s.last_rotation_failure_message, s.last_rotation_failure_event,
                        -- the secret exists: the inventory lists it, or a successful event or a service event names it
                        i.arn IS NOT NULL OR coalesce(s.confirming_events, 0) > 0 AS confirmed
                    FROM everything a
                    LEFT JOIN inventory i ON i.arn = a.arn
                    LEFT JOIN stats s ON s.arn = a.arn
                )
                SELECT *,
                    primary_region <> region AS is_replica,
                    'arn:' || split_part(arn, ':', 2) || ':secretsmanager:' || primary_region || ':' || account
                        || ':secret:' || resource_name AS primary_arn
                FROM base
                """.formatted(FAILURES, CONFIRMS);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, at);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE name_refs AS " + ReportService.KEYMAP_ALL + """
                SELECT DISTINCT es.event_id, coalesce(km.arn, es.secret_key) AS name, es.account, es.region
                FROM event_secrets es LEFT JOIN keymap_all km ON km.key = es.secret_key
                WHERE es.event_time <= ? AND coalesce(km.arn, es.secret_key) NOT IN (SELECT arn FROM secret_facts WHERE confirmed)""")) {
            ps.setTimestamp(1, at);
            ps.execute();
        }
        PolicyStatements.build(c, asOf);
    }
}
