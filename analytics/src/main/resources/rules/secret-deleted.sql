-- secret-deleted: the secret's latest successful DeleteSecret, unless a RestoreSecret followed.
-- High when forced (forceDeleteWithoutRecovery: gone at once, unrecoverable), low with a recovery window.
WITH deletes AS (
    SELECT r.arn, e.event_id, e.event_time, e.principal,
        coalesce(TRY_CAST(e.force_delete AS BOOLEAN), false) AS forced,
        coalesce(TRY_CAST(e.recovery_window_days AS INTEGER), 30) AS window_days
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall' AND e.error_code IS NULL
      AND e.event_name = 'DeleteSecret'
),
latest AS (
    SELECT arn, arg_max(event_id, event_time) AS event_id, max(event_time) AS at, arg_max(principal, event_time) AS principal,
        arg_max(forced, event_time) AS forced, arg_max(window_days, event_time) AS window_days, count(*) AS deletes
    FROM deletes GROUP BY arn
),
restores AS (
    SELECT r.arn, max(e.event_time) AS at
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.error_code IS NULL AND e.event_name = 'RestoreSecret'
    GROUP BY r.arn
)
SELECT l.arn AS resource, l.principal,
    CASE WHEN rs.at >= l.at THEN 'ok' ELSE 'alarm' END AS status,
    CASE WHEN l.forced THEN 'high' ELSE 'low' END AS severity,
    CASE WHEN rs.at >= l.at THEN 'deleted at ' || strftime(l.at, '%Y-%m-%dT%H:%M:%SZ') || ', restored at ' || strftime(rs.at, '%Y-%m-%dT%H:%M:%SZ')
         WHEN l.forced THEN 'deleted by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.at, '%Y-%m-%dT%H:%M:%SZ')
             || ' with forceDeleteWithoutRecovery: gone at once, it cannot be restored'
         ELSE 'scheduled for deletion by ' || coalesce(l.principal, 'an unknown caller') || ' at ' || strftime(l.at, '%Y-%m-%dT%H:%M:%SZ')
             || ' with a ' || l.window_days || '-day recovery window: restorable until '
             || strftime(l.at + to_days(l.window_days), '%Y-%m-%dT%H:%M:%SZ') END AS reason,
    account_of(l.arn) AS account, split_part(l.arn, ':', 4) AS region,
    l.at AS first_seen, l.at AS last_seen, l.at AS window_start, l.at AS window_end,
    {'deletes': l.deletes, 'recoveryWindowDays': CASE WHEN l.forced THEN 0 ELSE l.window_days END} AS counts,
    [l.event_id] AS event_ids
FROM latest l LEFT JOIN restores rs USING (arn)
