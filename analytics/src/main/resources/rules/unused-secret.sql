-- unused-secret: no read of the secret or any of its replicas within unused_days; raised on the primary.
-- A name never confirmed to exist (only refused calls name it) is skipped: there is nothing to delete.
WITH f AS (SELECT s.*, p.as_of, p.unused_days, p.secret_month_usd FROM secret_facts s, params p),
groups AS (
    SELECT primary_arn,
        max(greatest(last_read, last_accessed_date)) AS evidence,
        count(*) FILTER (WHERE is_replica AND deleted_date IS NULL) AS replicas
    FROM f GROUP BY primary_arn
),
judged AS (
    SELECT f.*, g.evidence, g.replicas,
        CAST(floor(epoch(f.as_of - g.evidence) / 86400) AS BIGINT) AS days
    FROM f JOIN groups g ON g.primary_arn = f.primary_arn
)
SELECT arn AS resource,
    CASE WHEN NOT confirmed THEN 'skip'
         WHEN is_replica OR deleted_date IS NOT NULL THEN 'skip'
         WHEN created_date IS NOT NULL AND as_of - created_date < to_days(unused_days) THEN 'skip'
         WHEN evidence IS NOT NULL AND as_of - evidence <= to_days(unused_days) THEN 'ok'
         ELSE 'alarm' END AS status,
    CASE WHEN NOT confirmed THEN 'not known to exist: not in the inventory, and no successful call or service event names it'
         WHEN is_replica THEN 'a replica of ' || primary_arn || ', judged with it'
         WHEN deleted_date IS NOT NULL THEN 'scheduled for deletion on ' || strftime(deleted_date, '%Y-%m-%dT%H:%M:%SZ')
         WHEN created_date IS NOT NULL AND as_of - created_date < to_days(unused_days)
             THEN 'created ' || CAST(floor(epoch(as_of - created_date) / 86400) AS BIGINT)
                  || ' days ago, within the window of ' || unused_days || ' days'
         WHEN evidence IS NOT NULL AND as_of - evidence <= to_days(unused_days)
             THEN 'last read ' || days || ' days ago; the window is ' || unused_days || ' days'
         ELSE (CASE WHEN evidence IS NULL THEN 'never read'
                    ELSE 'not read for ' || (CASE WHEN days = unused_days THEN 'more than ' ELSE '' END) || days || ' days' END)
              || '; the window is ' || unused_days || ' days; deleting it'
              || (CASE WHEN replicas = 1 THEN ' and its replica' WHEN replicas > 1 THEN ' and its ' || replicas || ' replicas' ELSE '' END)
              || ' saves $' || printf('%.2f', secret_month_usd * (1 + replicas)) || ' a month' END AS reason,
    account, region, first_seen, last_seen
FROM judged
