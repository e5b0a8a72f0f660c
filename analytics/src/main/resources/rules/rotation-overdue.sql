-- rotation-overdue: rotation enabled, NextRotationDate more than grace_hours ago, and no successful
-- rotation since that date (a RotationSucceeded event or the inventory's LastRotatedDate): a rotation
-- after the date ends the overdue state even while the inventory still shows the old date.
WITH f AS (
    SELECT s.*, p.as_of, p.grace_hours,
        greatest(s.last_rotated_date, s.ev_rotation_succeeded) AS last_success,
        CAST(floor(epoch(p.as_of - s.next_rotation_date) / 3600) AS BIGINT) AS hours_late
    FROM secret_facts s, params p
),
g AS (SELECT *, last_success IS NOT NULL AND last_success >= next_rotation_date AS rotated_since_due FROM f)
SELECT arn AS resource,
    CASE WHEN deleted_date IS NOT NULL OR rotation_enabled IS NULL OR NOT rotation_enabled OR next_rotation_date IS NULL THEN 'skip'
         WHEN rotated_since_due THEN 'ok'
         WHEN as_of - next_rotation_date > to_hours(grace_hours) THEN 'alarm'
         ELSE 'ok' END AS status,
    CASE WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN rotation_enabled IS NULL THEN 'not in the inventory, so its rotation schedule is unknown'
         WHEN NOT rotation_enabled THEN 'rotation is not enabled'
         WHEN next_rotation_date IS NULL THEN 'the inventory gives no next rotation date'
         WHEN rotated_since_due
             THEN 'rotated ' || strftime(last_success, '%Y-%m-%dT%H:%M:%SZ') || ', after the rotation due '
                  || strftime(next_rotation_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN as_of - next_rotation_date > to_hours(grace_hours)
             THEN 'the next rotation was due ' || (CASE WHEN hours_late = grace_hours THEN 'more than ' ELSE '' END)
                  || hours_late || ' hours ago (' || strftime(next_rotation_date, '%Y-%m-%dT%H:%M:%SZ')
                  || '); the grace period is ' || grace_hours || ' hours'
         WHEN next_rotation_date > as_of
             THEN 'the next rotation is due ' || strftime(next_rotation_date, '%Y-%m-%dT%H:%M:%SZ')
         ELSE 'the next rotation was due ' || hours_late || ' hours ago, within the grace period of ' || grace_hours || ' hours'
         END AS reason,
    account, region, first_seen, last_seen
FROM g
