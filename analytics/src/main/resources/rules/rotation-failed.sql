-- rotation-failed: the latest rotation failure has no RotationSucceeded after it.
WITH f AS (
    SELECT s.*, p.as_of,
        nullif(regexp_extract(coalesce(s.last_rotation_failure_message, ''), 'during (\w+) step', 1), '') AS step
    FROM secret_facts s, params p
)
SELECT arn AS resource,
    CASE WHEN deleted_date IS NOT NULL THEN 'skip'
         WHEN last_rotation_failure IS NULL THEN 'ok'
         WHEN ev_rotation_succeeded > last_rotation_failure THEN 'ok'
         ELSE 'alarm' END AS status,
    CASE WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN last_rotation_failure IS NULL THEN 'no rotation failure in the trail'
         WHEN ev_rotation_succeeded > last_rotation_failure
             THEN 'rotation failed on ' || strftime(last_rotation_failure, '%Y-%m-%dT%H:%M:%SZ')
                  || ' and succeeded on ' || strftime(ev_rotation_succeeded, '%Y-%m-%dT%H:%M:%SZ')
         ELSE last_rotation_failure_event || ' at the ' || coalesce(step, 'unknown') || ' step on '
              || strftime(last_rotation_failure, '%Y-%m-%dT%H:%M:%SZ') || ', '
              || CAST(floor(epoch(as_of - last_rotation_failure) / 86400) AS BIGINT)
              || (CASE WHEN floor(epoch(as_of - last_rotation_failure) / 86400) = 1 THEN ' day' ELSE ' days' END)
              || ' ago, with no RotationSucceeded since' END AS reason,
    account, region, first_seen, last_seen
FROM f
