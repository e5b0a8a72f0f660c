-- rotation-schedule-too-long: the longest gap the rotation schedule leaves (rotation_schedules, see
-- RotationSchedule) is longer than posture.maxRotationInterval (Nd or Nh, as minutes here).
WITH maxi AS (
    SELECT max_rotation_interval AS max_text,
        CASE WHEN max_rotation_interval = '' THEN NULL
             ELSE CAST(rtrim(max_rotation_interval, 'dh') AS BIGINT)
                  * CASE WHEN right(max_rotation_interval, 1) = 'd' THEN 1440 ELSE 60 END END AS max_minutes
    FROM params
),
judged AS (
    SELECT f.*, s.schedule, s.interval_minutes, s.interval_text, s.last_firing, s.problem, m.max_text, m.max_minutes
    FROM secret_facts f
    LEFT JOIN rotation_schedules s ON s.arn = f.arn, maxi m
),
verdict AS (
    SELECT *,
        CASE WHEN max_minutes IS NULL THEN 'not-required'
             WHEN NOT in_inventory THEN 'unknown'
             WHEN is_replica THEN 'replica'
             WHEN deleted_date IS NOT NULL THEN 'deleting'
             WHEN owning_service IS NOT NULL THEN 'owned'
             WHEN managed_by IS NOT NULL THEN 'external'
             WHEN NOT coalesce(rotation_enabled, false) THEN 'no-rotation'
             WHEN schedule IS NULL THEN 'no-schedule'
             WHEN problem IS NOT NULL THEN 'unreadable'
             WHEN last_firing IS NOT NULL THEN 'ends'
             WHEN interval_minutes IS NULL THEN 'never'
             WHEN interval_minutes > max_minutes THEN 'too-long'
             ELSE 'within' END AS verdict
    FROM judged
)
SELECT arn AS resource,
    CASE WHEN verdict IN ('ends', 'never', 'too-long') THEN 'alarm' WHEN verdict = 'within' THEN 'ok' ELSE 'skip' END AS status,
    CASE verdict
         WHEN 'not-required' THEN 'not required: posture.maxRotationInterval is empty'
         WHEN 'unknown' THEN 'not in the inventory, so its rotation schedule is unknown'
         WHEN 'replica' THEN 'a replica of ' || primary_arn || ', which rotates it'
         WHEN 'deleting' THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN 'owned' THEN managed_by || ', which sets its rotation schedule'
         WHEN 'external' THEN managed_by || ', rotated through its partner integration'
         WHEN 'no-rotation' THEN 'rotation is not enabled (rotation-disabled reports it)'
         WHEN 'no-schedule' THEN 'rotation is enabled but the inventory lists no rotation rules'
         WHEN 'unreadable' THEN 'the schedule ' || schedule || ' could not be read: ' || problem
         WHEN 'ends' THEN 'the schedule ' || schedule || ' fires for the last time on '
             || strftime(last_firing, '%Y-%m-%dT%H:%MZ') || ', after which the secret never rotates; the maximum is ' || max_text
         WHEN 'never' THEN 'the schedule ' || schedule || ' never fires again, so the secret never rotates; the maximum is ' || max_text
         WHEN 'too-long' THEN 'the schedule ' || schedule || ' leaves up to ' || interval_text
             || ' between rotations; the maximum is ' || max_text
         ELSE 'the schedule ' || schedule || ' leaves up to ' || interval_text || ' between rotations; the maximum is ' || max_text
         END AS reason,
    account, region, first_seen, last_seen
FROM verdict
