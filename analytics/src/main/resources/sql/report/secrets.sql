-- One row per secret (the inventory and every secret events name up to asOf), in ARN order.
-- Parameter 1: asOf. exists is the snapshot's secret_facts.secret_exists. Change events are those AWS's LastChangedDate counts. Reads and lastAccessed come
-- from read_refs, where a batch and the entries it generated are one retrieval. calls, errors and principals leave
-- out SecretTrail's own calls (self_calls).
WITH ev AS (SELECT *, event_id IN (SELECT event_id FROM self_calls) AS own FROM events WHERE event_time <= ?),
reads AS (SELECT arn, count(*) AS reads, max(event_time) AS last_accessed FROM read_refs GROUP BY arn),
stats AS (
    SELECT r.arn, bool_or(r.resolved) AS resolved,
        count(*) FILTER (WHERE NOT e.own) AS calls,
        count(*) FILTER (WHERE e.error_code IS NOT NULL AND NOT e.own) AS errors,
        count(DISTINCT e.principal) FILTER (WHERE e.event_type = 'AwsApiCall' AND NOT e.own) AS principals,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RotationSucceeded') AS ev_rotated,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name IN (
            'CreateSecret','UpdateSecret','PutSecretValue','RotateSecret','CancelRotateSecret','DeleteSecret',
            'RestoreSecret','TagResource','UntagResource','PutResourcePolicy','DeleteResourcePolicy',
            'UpdateSecretVersionStage','ReplicateSecretToRegions','RemoveRegionsFromReplication',
            'StopReplicationToReplica','RotationSucceeded')) AS ev_changed,
        min(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'CreateSecret') AS ev_created,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'DeleteSecret') AS ev_deleted,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RestoreSecret') AS ev_restored
    FROM event_refs r JOIN ev e USING (event_id)
    GROUP BY r.arn
),
everything AS (SELECT arn FROM inventory UNION SELECT arn FROM stats)
SELECT a.arn, i.arn IS NOT NULL AS in_inventory, coalesce(s.resolved, true) AS resolved,
    i.name, i.primary_region, i.rotation_enabled,
    coalesce(s.calls, 0), coalesce(s.errors, 0), coalesce(s.principals, 0), rd.last_accessed,
    greatest(i.last_rotated_date, s.ev_rotated),
    greatest(i.last_changed_date, s.ev_changed),
    coalesce(i.created_date, s.ev_created),
    coalesce(i.deleted_date,
        CASE WHEN s.ev_deleted IS NOT NULL AND (s.ev_restored IS NULL OR s.ev_restored < s.ev_deleted)
             THEN s.ev_deleted END),
    coalesce(rd.reads, 0),
    f.secret_exists
FROM everything a
LEFT JOIN secret_facts f ON f.arn = a.arn
LEFT JOIN inventory i ON i.arn = a.arn
LEFT JOIN stats s ON s.arn = a.arn
LEFT JOIN reads rd ON rd.arn = a.arn
ORDER BY a.arn
