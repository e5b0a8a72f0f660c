-- unused-secret: no read of the secret or any of its replicas within unused_days; raised on the primary.
-- A name never confirmed to exist (only refused calls name it) is skipped: there is nothing to delete.
-- "Not read" is said only where the data covers the window: for each of the group's secrets, the
-- inventory gives a LastAccessedDate (AWS tracks it since creation), or the trail of its account and
-- region reaches back unused_days (secret_facts.history_since, the earliest stored event there).
WITH f AS (SELECT s.*, p.as_of, p.unused_days, p.secret_month_usd FROM secret_facts s, params p),
covered AS (
    SELECT *, last_accessed_date IS NOT NULL
        OR coalesce(as_of - history_since >= to_days(unused_days), false) AS has_history
    FROM f
),
groups AS (
    SELECT primary_arn,
        max(greatest(last_read, last_accessed_date)) AS evidence,
        count(*) FILTER (WHERE is_replica AND deleted_date IS NULL) AS replicas,
        coalesce(bool_and(has_history) FILTER (WHERE deleted_date IS NULL), false) AS has_history,
        bool_or(history_since IS NULL) FILTER (WHERE deleted_date IS NULL AND NOT has_history) AS no_events,
        max(history_since) FILTER (WHERE deleted_date IS NULL AND NOT has_history) AS history_since
    FROM covered GROUP BY primary_arn
),
judged AS (
    SELECT f.*, g.evidence, g.replicas, g.has_history, g.no_events, g.history_since AS group_history_since,
        CAST(floor(epoch(f.as_of - g.evidence) / 86400) AS BIGINT) AS days,
        CAST(floor(epoch(f.as_of - g.history_since) / 86400) AS BIGINT) AS history_days
    FROM f JOIN groups g ON g.primary_arn = f.primary_arn
)
SELECT arn AS resource,
    CASE WHEN NOT confirmed THEN 'skip'
         WHEN is_replica OR deleted_date IS NOT NULL THEN 'skip'
         WHEN owning_service IS NOT NULL THEN 'skip'
         WHEN created_date IS NOT NULL AND as_of - created_date < to_days(unused_days) THEN 'skip'
         WHEN evidence IS NOT NULL AND as_of - evidence <= to_days(unused_days) THEN 'ok'
         WHEN NOT has_history THEN 'skip'
         ELSE 'alarm' END AS status,
    CASE WHEN NOT confirmed THEN 'not known to exist: not in the inventory, and no successful call or service event names it'
         WHEN is_replica THEN 'a replica of ' || primary_arn || ', judged with it'
         WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN owning_service IS NOT NULL THEN managed_by || ', which deletes it with the resource it belongs to'
         WHEN created_date IS NOT NULL AND as_of - created_date < to_days(unused_days)
             THEN 'created ' || CAST(floor(epoch(as_of - created_date) / 86400) AS BIGINT)
                  || ' days ago, within the window of ' || unused_days || ' days'
         WHEN evidence IS NOT NULL AND as_of - evidence <= to_days(unused_days)
             THEN 'last read ' || days || ' days ago; the window is ' || unused_days || ' days'
         WHEN NOT has_history
             THEN 'insufficient history: '
                  || (CASE WHEN no_events THEN 'the trail holds no event of '
                                || (CASE WHEN replicas > 0 THEN 'the account and region of it or a replica' ELSE 'its account and region' END)
                           ELSE 'the trail covers ' || history_days || (CASE WHEN history_days = 1 THEN ' day' ELSE ' days' END)
                                || ' (its earliest event is of ' || strftime(group_history_since, '%Y-%m-%dT%H:%M:%SZ') || ')' END)
                  || ' and the inventory gives no LastAccessedDate; the window is ' || unused_days || ' days'
         ELSE (CASE WHEN evidence IS NULL THEN 'never read'
                    ELSE 'not read for ' || (CASE WHEN days = unused_days THEN 'more than ' ELSE '' END) || days || ' days' END)
              || '; the window is ' || unused_days || ' days; deleting it'
              || (CASE WHEN replicas = 1 THEN ' and its replica' WHEN replicas > 1 THEN ' and its ' || replicas || ' replicas' ELSE '' END)
              || ' saves $' || printf('%.2f', secret_month_usd * (1 + replicas)) || ' a month' END AS reason,
    account, region, first_seen, last_seen
FROM judged
