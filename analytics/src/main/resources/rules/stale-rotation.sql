-- stale-rotation: the latest rotation (or the creation, if none) is older than max_days. In lenient mode a
-- manual change counts only when it wrote a version (secret_facts.ev_manual_change).
WITH f AS (
    SELECT s.*, p.as_of, p.max_days,
        CASE WHEN p.mode = 'strict' THEN greatest(s.last_rotated_date, s.ev_rotation_succeeded)
             ELSE greatest(s.last_rotated_date, s.ev_rotation_succeeded, s.ev_manual_change) END AS last_rotation
    FROM secret_facts s, params p
),
aged AS (
    SELECT *, coalesce(last_rotation, created_date) AS since,
        CAST(floor(epoch(as_of - coalesce(last_rotation, created_date)) / 86400) AS BIGINT) AS days
    FROM f
)
SELECT arn AS resource,
    CASE WHEN NOT confirmed OR is_replica OR deleted_date IS NOT NULL OR since IS NULL THEN 'skip'
         WHEN as_of - since > to_days(max_days) THEN 'alarm'
         ELSE 'ok' END AS status,
    CASE WHEN NOT confirmed THEN 'not known to exist: not in the inventory, and no successful call or service event names it'
         WHEN is_replica THEN 'a replica of ' || primary_arn || ', which rotates it'
         WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN since IS NULL THEN 'no rotation or creation date is known'
         WHEN as_of - since > to_days(max_days)
             THEN (CASE WHEN last_rotation IS NULL THEN 'never rotated since it was created ' ELSE 'not rotated for ' END)
                  || (CASE WHEN days = max_days THEN 'more than ' ELSE '' END) || days
                  || (CASE WHEN last_rotation IS NULL THEN ' days ago' ELSE ' days' END) || '; the maximum is ' || max_days
                  || coalesce('; ' || managed_by, '')
         ELSE (CASE WHEN last_rotation IS NULL THEN 'created ' ELSE 'rotated ' END) || days || ' days ago; the maximum is ' || max_days
                  || coalesce('; ' || managed_by, '')
         END AS reason,
    account, region, first_seen, last_seen
FROM aged
