-- batch-multi-region: BatchGetSecretValue calls by one principal in >= multi_regions regions within
-- multi_window_minutes. One finding per principal, on its worst window.
WITH calls AS (
    SELECT e.principal, e.event_time, e.event_id, e.aws_region, e.arrival
    FROM events e
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall'
      AND e.event_name = 'BatchGetSecretValue' AND e.principal IS NOT NULL AND e.aws_region IS NOT NULL
),
windows AS (
    SELECT principal, event_time AS window_end, min(event_time) OVER w AS window_start, count(DISTINCT aws_region) OVER w AS regions,
        max(arrival) OVER w AS arrival
    FROM calls
    WINDOW w AS (PARTITION BY principal ORDER BY event_time
                 RANGE BETWEEN (SELECT to_minutes(multi_window_minutes) FROM params) PRECEDING AND CURRENT ROW)
),
hits AS (
    -- one row per window over the threshold; incidents are grouped in sql/rules/incidents.sql. Grouped on
    -- the principal: the windows of one sweep see different region sets, which must not split it.
    SELECT principal AS subject, principal, window_end AS hit_at, window_start, arrival, regions AS score,
        CASE WHEN regions >= 2 * (SELECT multi_regions FROM params) THEN 'critical' ELSE 'high' END AS severity,
        window_end, regions
    FROM windows WHERE regions >= (SELECT multi_regions FROM params)
),
--@incidents
peak AS (
    SELECT h.*,
        (SELECT list(c.event_id) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS event_ids,
        (SELECT list_sort(list(DISTINCT c.aws_region)) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS region_list,
        (SELECT list_sort(list(DISTINCT c.aws_region)) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.first_start AND h.last_hit) AS incident_regions
    FROM incidents_worst h
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    'called BatchGetSecretValue in ' || regions || ' regions in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.multi_regions || ' within ' || p.multi_window_minutes || ' minutes): '
        || array_to_string(region_list, ', ') AS reason,
    account_of(principal) AS account, NULL AS region,
    first_start AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'regions': regions, 'calls': len(event_ids), 'regionSet': array_to_string(incident_regions, ',')} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
