-- deleted-secret-access: calls refused because the secret was marked for deletion. Each refused call
-- is a hit on the secret; incidents are grouped per secret in sql/rules/incidents.sql. High from 10
-- refused calls within an hour.
WITH refused AS (
    SELECT r.arn, e.principal, e.event_time, e.event_id, e.event_name, e.arrival
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.error_message ILIKE '%marked for deletion%'
),
windows AS (
    SELECT arn, principal, event_time, count(*) OVER w AS hour_calls, max(arrival) OVER w AS arrival
    FROM refused
    WINDOW w AS (PARTITION BY arn ORDER BY event_time RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW)
),
hits AS (
    SELECT arn AS subject, arn, event_time AS hit_at, event_time AS window_start, arrival, hour_calls AS score,
        CASE WHEN hour_calls >= 10 THEN 'high' ELSE 'medium' END AS severity
    FROM windows
),
--@incidents
peak AS (
    SELECT h.*,
        (SELECT count(*) FROM refused x WHERE x.arn = h.arn AND x.event_time BETWEEN h.first_hit AND h.last_hit) AS attempts,
        (SELECT list(x.event_id) FROM refused x WHERE x.arn = h.arn AND x.event_time BETWEEN h.first_hit AND h.last_hit) AS event_ids,
        (SELECT list_sort(list(DISTINCT x.event_name)) FROM refused x
         WHERE x.arn = h.arn AND x.event_time BETWEEN h.first_hit AND h.last_hit) AS actions,
        (SELECT list_sort(list(DISTINCT x.principal)) FROM refused x
         WHERE x.arn = h.arn AND x.event_time BETWEEN h.first_hit AND h.last_hit AND x.principal IS NOT NULL) AS callers
    FROM incidents_worst h
)
SELECT arn AS resource, callers[1] AS principal, 'alarm' AS status, severity,
    attempts || (CASE WHEN attempts = 1 THEN ' attempt' ELSE ' attempts' END) || ' ('
        || array_to_string(actions, ', ') || ') to use the secret after it was marked for deletion'
        || CASE WHEN len(callers) > 1 THEN ', by ' || len(callers) || ' callers' ELSE '' END AS reason,
    account_of(arn) AS account, split_part(arn, ':', 4) AS region,
    first_hit AS first_seen, last_hit AS last_seen, first_hit AS window_start, last_hit AS window_end,
    {'attempts': attempts, 'callers': len(callers), 'hourCalls': score} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak
