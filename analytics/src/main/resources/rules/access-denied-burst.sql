-- access-denied-burst: >= denied_calls Secrets Manager calls refused with AccessDenied by one
-- principal within denied_window_hours. One finding per principal, on its worst window.
WITH denied AS (
    SELECT e.principal, e.event_time, e.event_id, e.aws_region, e.event_name, e.arrival
    FROM events e
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall'
      AND e.error_code IN ('AccessDenied', 'AccessDeniedException') AND e.principal IS NOT NULL
),
windows AS (
    SELECT principal, event_time AS window_end, min(event_time) OVER w AS window_start, count(*) OVER w AS n,
        max(arrival) OVER w AS arrival
    FROM denied
    WINDOW w AS (PARTITION BY principal ORDER BY event_time
                 RANGE BETWEEN (SELECT to_hours(denied_window_hours) FROM params) PRECEDING AND CURRENT ROW)
),
hits AS (
    -- one row per window over the threshold; incidents are grouped in sql/rules/incidents.sql
    SELECT principal AS subject, principal, window_end AS hit_at, window_start, arrival, n AS score,
        CASE WHEN n >= 5 * (SELECT denied_calls FROM params) THEN 'high' ELSE 'medium' END AS severity, window_end, n
    FROM windows WHERE n >= (SELECT denied_calls FROM params)
),
--@incidents
peak AS (
    SELECT h.*,
        (SELECT list(d.event_id) FROM denied d
         WHERE d.principal = h.principal AND d.event_time BETWEEN h.window_start AND h.window_end) AS event_ids,
        (SELECT list_sort(list(DISTINCT d.event_name)) FROM denied d
         WHERE d.principal = h.principal AND d.event_time BETWEEN h.window_start AND h.window_end) AS actions,
        (SELECT count(DISTINCT r.arn) FROM denied d JOIN event_refs r USING (event_id)
         WHERE d.principal = h.principal AND d.event_time BETWEEN h.window_start AND h.window_end) AS secrets,
        (SELECT list(DISTINCT d.aws_region) FROM denied d
         WHERE d.principal = h.principal AND d.event_time BETWEEN h.window_start AND h.window_end) AS regions
    FROM incidents_worst h
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    n || ' calls refused with AccessDenied in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.denied_calls || ' within ' || p.denied_window_hours || ' hours), on '
        || secrets || (CASE WHEN secrets = 1 THEN ' secret' ELSE ' secrets' END) || ': ' || array_to_string(actions, ', ') AS reason,
    account_of(principal) AS account, CASE WHEN len(regions) = 1 THEN regions[1] END AS region,
    first_start AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'denied': n, 'secrets': secrets} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
